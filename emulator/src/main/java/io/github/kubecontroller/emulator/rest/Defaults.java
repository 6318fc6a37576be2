package io.github.kubecontroller.emulator.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * The defaulting and PrepareForCreate/PrepareForUpdate steps of the built-in kinds' strategies, limited to what
 * controllers and kubectl observe.
 */
final class Defaults {

	static final String CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

	private static final AtomicInteger NEXT_CLUSTER_IP = new AtomicInteger(10);

	private Defaults() {
	}

	static void forCreate(ResourceType type, ObjectNode object, String now) {
		if (type.isCustom()) {
			return;
		}
		eventMembers(type, object);
		ObjectNode metadata = ResourceOperations.metadata(object);
		switch (type.group() + "/" + type.kind()) {
			case "/Namespace" -> {
				metadata.with("labels").put("kubernetes.io/metadata.name", metadata.path("name").asText());
				ArrayNode finalizers = object.with("spec").putArray("finalizers");
				finalizers.add("kubernetes");
				object.putObject("status").put("phase", "Active");
			}
			case "/Secret" -> {
				if (!object.hasNonNull("type")) {
					object.put("type", "Opaque");
				}
				mergeStringData(object);
			}
			case "/Pod" -> {
				ObjectNode spec = object.with("spec");
				putIfAbsent(spec, "restartPolicy", "Always");
				putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
				putIfAbsent(spec, "schedulerName", "default-scheduler");
				if (!spec.has("terminationGracePeriodSeconds")) {
					spec.put("terminationGracePeriodSeconds", 30);
				}
				object.putObject("status").put("phase", "Pending");
			}
			case "/Service" -> {
				ObjectNode spec = object.with("spec");
				putIfAbsent(spec, "type", "ClusterIP");
				putIfAbsent(spec, "sessionAffinity", "None");
				if (!spec.has("clusterIP") && !"ExternalName".equals(spec.path("type").asText())) {
					int n = NEXT_CLUSTER_IP.getAndIncrement();
					String ip = "10.96." + ((n / 250) % 250) + "." + (n % 250 + 1);
					spec.put("clusterIP", ip);
					spec.putArray("clusterIPs").add(ip);
				}
				for (JsonNode port : spec.path("ports")) {
					if (port.isObject()) {
						putIfAbsent((ObjectNode) port, "protocol", "TCP");
						if (!port.has("targetPort") && port.has("port")) {
							((ObjectNode) port).set("targetPort", port.get("port"));
						}
					}
				}
				object.putObject("status").putObject("loadBalancer");
			}
			case "apps/Deployment" -> {
				ObjectNode spec = object.with("spec");
				if (!spec.has("replicas")) {
					spec.put("replicas", 1);
				}
				ObjectNode strategy = spec.with("strategy");
				putIfAbsent(strategy, "type", "RollingUpdate");
				if ("RollingUpdate".equals(strategy.path("type").asText()) && !strategy.has("rollingUpdate")) {
					strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
				}
				if (!spec.has("revisionHistoryLimit")) {
					spec.put("revisionHistoryLimit", 10);
				}
				if (!spec.has("progressDeadlineSeconds")) {
					spec.put("progressDeadlineSeconds", 600);
				}
				object.putObject("status");
			}
			case "apiextensions.k8s.io/CustomResourceDefinition" -> CustomResourceDefinitions.establish(object, null, now);
			default -> {
			}
		}
	}

	static void forUpdate(ResourceType type, ObjectNode old, ObjectNode updated, String now) {
		eventMembers(type, updated);
		switch (type.group() + "/" + type.kind()) {
			case "/Secret" -> mergeStringData(updated);
			case "/Namespace" -> {
				ResourceOperations.metadata(updated)
					.with("labels")
					.put("kubernetes.io/metadata.name", old.path("metadata").path("name").asText());
				// spec.finalizers change only through the finalize subresource.
				if (old.has("spec")) {
					updated.set("spec", old.get("spec").deepCopy());
				}
			}
			case "/Service" -> {
				ObjectNode spec = updated.with("spec");
				JsonNode oldSpec = old.path("spec");
				if (!spec.has("clusterIP") && oldSpec.has("clusterIP")) {
					spec.set("clusterIP", oldSpec.get("clusterIP"));
					spec.set("clusterIPs", oldSpec.get("clusterIPs"));
				}
			}
			case "apiextensions.k8s.io/CustomResourceDefinition" -> CustomResourceDefinitions.establish(updated, old,
					now);
			default -> {
			}
		}
	}

	/** What DELETE adds before deciding whether finalizers keep the object. */
	static void beforeDelete(ResourceType type, ObjectNode object) {
		if (type.group().equals("apiextensions.k8s.io") && type.kind().equals("CustomResourceDefinition")) {
			ArrayNode finalizers = ResourceOperations.metadata(object).withArray("finalizers");
			if (!ObjectRules.contains(finalizers, CRD_CLEANUP_FINALIZER)) {
				finalizers.add(CRD_CLEANUP_FINALIZER);
			}
		}
	}

	/** What marking an object as deleting changes besides its deletionTimestamp. */
	static void forDeletion(ResourceType type, ObjectNode object, String now) {
		switch (type.group() + "/" + type.kind()) {
			case "/Namespace" -> object.with("status").put("phase", "Terminating");
			case "apiextensions.k8s.io/CustomResourceDefinition" ->
				CustomResourceDefinitions.setCondition(object, "Terminating", "True", "InstanceDeletionInProgress",
						"CustomResource deletion is in progress", now);
			default -> {
			}
		}
	}

	/** Event members without omitempty, which a real server always writes ({@code eventTime} as null). */
	private static void eventMembers(ResourceType type, ObjectNode event) {
		if (type.kind().equals("Event") && type.group().isEmpty()) {
			coreEventMembers(event);
		}
		else if (VersionConversion.isEventsV1(type) && !event.has("eventTime")) {
			event.putNull("eventTime");
		}
	}

	static void coreEventMembers(ObjectNode event) {
		if (!event.has("eventTime")) {
			event.putNull("eventTime");
		}
		for (String field : List.of("reportingComponent", "reportingInstance")) {
			if (!event.has(field)) {
				event.put(field, "");
			}
		}
	}

	/** {@code stringData} is write-only: merged into {@code data} (base64) and never stored. */
	private static void mergeStringData(ObjectNode secret) {
		JsonNode stringData = secret.remove("stringData");
		if (stringData != null && stringData.isObject()) {
			ObjectNode data = secret.with("data");
			stringData.fields()
				.forEachRemaining((entry) -> data.put(entry.getKey(), Base64.getEncoder()
					.encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8))));
		}
	}

	private static void putIfAbsent(ObjectNode node, String field, String value) {
		if (!node.hasNonNull(field)) {
			node.put(field, value);
		}
	}
}
