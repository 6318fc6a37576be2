package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.resource.ResourceType.NameRule;
import io.github.kubecontroller.emulator.resource.ResourceType.StorageRules;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;

/**
 * What the apiextensions server does with a CustomResourceDefinition: validate it (rules C2, C3), accept its names
 * and establish it at once (C5, done synchronously here), and describe the resource types it serves (C6, C7).
 */
final class CustomResourceDefinitions {

	private CustomResourceDefinitions() {
	}

	static boolean isCrd(ResourceType type) {
		return type.group().equals("apiextensions.k8s.io") && type.kind().equals("CustomResourceDefinition");
	}

	static List<Cause> problems(ObjectNode crd) {
		List<Cause> causes = new ArrayList<>();
		JsonNode spec = crd.path("spec");
		String group = spec.path("group").asText("");
		JsonNode names = spec.path("names");
		String plural = names.path("plural").asText("");
		String kind = names.path("kind").asText("");
		String name = crd.path("metadata").path("name").asText("");
		if (!name.equals(plural + "." + group)) {
			causes.add(Cause.invalid("metadata.name", StatusException.quote(name),
					"must be spec.names.plural+\".\"+spec.group"));
		}
		if (group.isEmpty()) {
			causes.add(Cause.required("spec.group", ""));
		}
		else if (!group.contains(".")) {
			causes.add(Cause.invalid("spec.group", StatusException.quote(group),
					"should be a domain with at least one dot"));
		}
		if (plural.isEmpty()) {
			causes.add(Cause.required("spec.names.plural", ""));
		}
		else if (!ObjectRules.isDns1123Label(plural)) {
			causes.add(Cause.invalid("spec.names.plural", StatusException.quote(plural),
					ObjectRules.DNS1123_LABEL_MESSAGE));
		}
		if (kind.isEmpty()) {
			causes.add(Cause.required("spec.names.kind", ""));
		}
		String scope = spec.path("scope").asText("");
		if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
			causes.add(scope.isEmpty() ? Cause.required("spec.scope", "")
					: Cause.notSupported("spec.scope", StatusException.quote(scope), List.of("Cluster", "Namespaced")));
		}
		JsonNode versions = spec.path("versions");
		if (!versions.isArray() || versions.isEmpty()) {
			causes.add(Cause.invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion(nil)",
					"must have exactly one version marked as storage version"));
		}
		else {
			int storage = 0;
			for (int i = 0; i < versions.size(); i++) {
				JsonNode version = versions.get(i);
				if (version.path("storage").asBoolean(false)) {
					storage++;
				}
				String versionName = version.path("name").asText("");
				if (versionName.isEmpty()) {
					causes.add(Cause.required("spec.versions[" + i + "].name", ""));
				}
				else if (!ObjectRules.isDns1123Label(versionName)) {
					causes.add(Cause.invalid("spec.versions[" + i + "].name", StatusException.quote(versionName),
							ObjectRules.DNS1123_LABEL_MESSAGE));
				}
			}
			if (storage != 1) {
				causes.add(Cause.invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}",
						"must have exactly one version marked as storage version"));
			}
		}
		return causes;
	}

	static List<Cause> updateProblems(ObjectNode old, ObjectNode updated) {
		String oldScope = old.path("spec").path("scope").asText();
		String newScope = updated.path("spec").path("scope").asText();
		if (!oldScope.equals(newScope)) {
			return List.of(Cause.invalid("spec.scope", StatusException.quote(newScope), "field is immutable"));
		}
		return List.of();
	}

	/** Sets the status a real server reaches a moment after the CRD is written: names accepted, established. */
	static void establish(ObjectNode crd, ObjectNode old, String now) {
		JsonNode spec = crd.path("spec");
		JsonNode names = spec.path("names");
		ObjectNode status = crd.with("status");
		ObjectNode accepted = names.isObject() ? ((ObjectNode) names).deepCopy() : Json.object();
		String kind = accepted.path("kind").asText("");
		if (!accepted.hasNonNull("singular")) {
			accepted.put("singular", kind.toLowerCase(Locale.ROOT));
		}
		if (!accepted.hasNonNull("listKind")) {
			accepted.put("listKind", kind + "List");
		}
		status.set("acceptedNames", accepted);
		if (crd.path("metadata").has("deletionTimestamp")) {
			return;
		}
		setCondition(crd, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
		setCondition(crd, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted",
				now);
		ArrayNode stored = Json.MAPPER.createArrayNode();
		if (old != null) {
			old.path("status").path("storedVersions").forEach((v) -> stored.add(v.asText()));
		}
		String storageVersion = storageVersion(crd);
		if (storageVersion != null && !ObjectRules.contains(stored, storageVersion)) {
			stored.add(storageVersion);
		}
		status.set("storedVersions", stored);
	}

	static void setCondition(ObjectNode crd, String type, String value, String reason, String message, String now) {
		ArrayNode conditions = crd.with("status").withArray("conditions");
		for (JsonNode existing : conditions) {
			if (type.equals(existing.path("type").asText())) {
				ObjectNode condition = (ObjectNode) existing;
				if (!value.equals(condition.path("status").asText())) {
					condition.put("lastTransitionTime", now);
				}
				condition.put("status", value).put("reason", reason).put("message", message);
				return;
			}
		}
		conditions.addObject()
			.put("type", type)
			.put("status", value)
			.put("lastTransitionTime", now)
			.put("reason", reason)
			.put("message", message);
	}

	private static String storageVersion(ObjectNode crd) {
		for (JsonNode version : crd.path("spec").path("versions")) {
			if (version.path("storage").asBoolean(false)) {
				return version.path("name").asText();
			}
		}
		return null;
	}

	/** The CRD's name, which is also the storage bucket of its objects. */
	static String storage(ObjectNode crd) {
		JsonNode spec = crd.path("spec");
		return spec.path("names").path("plural").asText() + "." + spec.path("group").asText();
	}

	/** The resource types the CRD serves: one per served version. */
	static List<ResourceType> servedTypes(ObjectNode crd) {
		JsonNode spec = crd.path("spec");
		JsonNode names = crd.path("status").path("acceptedNames");
		String group = spec.path("group").asText();
		String kind = names.path("kind").asText();
		String plural = names.path("plural").asText();
		List<ResourceType> types = new ArrayList<>();
		for (JsonNode version : spec.path("versions")) {
			if (!version.path("served").asBoolean(false)) {
				continue;
			}
			Map<String, String> selectable = new HashMap<>();
			for (JsonNode field : version.path("selectableFields")) {
				String path = field.path("jsonPath").asText("");
				String label = path.startsWith(".") ? path.substring(1) : path;
				if (!label.isEmpty()) {
					selectable.put(label, label);
				}
			}
			types.add(new ResourceType(group, version.path("name").asText(), kind, plural,
					names.path("singular").asText(), "Namespaced".equals(spec.path("scope").asText()),
					strings(names.path("shortNames")), strings(names.path("categories")), ResourceType.ALL_VERBS,
					version.path("subresources").has("status"),
					new StorageRules(true, true, false, false, false, NameRule.DNS_SUBDOMAIN, selectable),
					storage(crd)));
		}
		return types;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asText()));
		return values;
	}
}
