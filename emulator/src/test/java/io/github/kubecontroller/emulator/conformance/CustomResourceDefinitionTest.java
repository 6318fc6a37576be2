package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.C: CRD registration and custom resource behaviour. */
@DisplayName("1.C CRD registration")
class CustomResourceDefinitionTest extends ConformanceSupport {

	@Test
	@DisplayName("C1: customresourcedefinitions is cluster-scoped under apiextensions.k8s.io/v1 with short names crd, crds")
	void crdResource() {
		createWidgetCrd(false);
		JsonNode crd = ok(get(CRDS + "/widgets.example.com"));
		assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
		assertThat(crd.path("metadata").has("namespace")).isFalse();
		assertThat(names(ok(get(CRDS)))).containsExactly("widgets.example.com");

		JsonNode list = ok(get("/apis/apiextensions.k8s.io/v1"));
		JsonNode resource = DiscoveryTest.resource(list, "customresourcedefinitions");
		assertThat(resource.path("namespaced").asBoolean()).isFalse();
		assertThat(DiscoveryTest.texts(resource.path("shortNames"))).containsExactlyInAnyOrder("crd", "crds");
	}

	@Test
	@DisplayName("C2: metadata.name must be <plural>.<group> (422)")
	void nameRule() {
		String body = widgetCrd("Namespaced", crdVersion("v1", true, true, false))
			.replace("\"name\":\"widgets.example.com\"", "\"name\":\"gadgets.example.com\"");
		assertStatus(post(CRDS, body), 422,
				invalid("CustomResourceDefinition.apiextensions.k8s.io", "gadgets.example.com", "apiextensions.k8s.io",
						"CustomResourceDefinition", "metadata.name", "FieldValueInvalid",
						"Invalid value: \"gadgets.example.com\": must be spec.names.plural+\".\"+spec.group"));
		assertThat(get(CRDS + "/gadgets.example.com").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("C3: exactly one version must be the storage version (422); storedVersions is set on create")
	void storageVersion() {
		for (String body : List.of(
				widgetCrd("Namespaced", crdVersion("v1", true, true, false), crdVersion("v2", true, true, false)),
				widgetCrd("Namespaced", crdVersion("v1", true, false, false)))) {
			Resp response = post(CRDS, body);
			assertThat(response.code()).as("%s", response).isEqualTo(422);
			JsonNode status = response.json();
			assertThat(status.path("reason").asText()).isEqualTo("Invalid");
			assertThat(status.path("details").path("kind").asText()).isEqualTo("CustomResourceDefinition");
			assertThat(status.path("details").path("group").asText()).isEqualTo("apiextensions.k8s.io");
			assertThat(status.path("message").asText())
				.startsWith("CustomResourceDefinition.apiextensions.k8s.io \"widgets.example.com\" is invalid: ")
				.contains("must have exactly one version marked as storage version");
			boolean found = false;
			for (JsonNode cause : status.path("details").path("causes")) {
				found |= cause.path("field").asText().equals("spec.versions")
						&& cause.path("reason").asText().equals("FieldValueInvalid") && cause.path("message")
							.asText()
							.endsWith("must have exactly one version marked as storage version");
			}
			assertThat(found).as("a spec.versions cause in %s", status).isTrue();
		}
		JsonNode crd = createCrd(
				widgetCrd("Namespaced", crdVersion("v1beta1", true, false, false), crdVersion("v1", true, true, false)),
				"widgets.example.com");
		assertThat(DiscoveryTest.texts(crd.path("status").path("storedVersions"))).containsExactly("v1");
	}

	@Test
	@DisplayName("C4: a CRD gets generation 1 on create and +1 per spec change only")
	void crdGeneration() {
		JsonNode crd = createWidgetCrd(false);
		assertThat(crd.path("metadata").path("generation").asLong()).isEqualTo(1);
		JsonNode labelled = ok(patch(CRDS + "/widgets.example.com", MERGE_PATCH,
				"{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"));
		assertThat(labelled.path("metadata").path("generation").asLong()).isEqualTo(1);
		JsonNode changed = ok(patch(CRDS + "/widgets.example.com", MERGE_PATCH,
				"{\"spec\":{\"names\":{\"shortNames\":[\"wd\",\"wdg\"]}}}"));
		assertThat(changed.path("metadata").path("generation").asLong()).isEqualTo(2);
	}

	@Test
	@DisplayName("C5: NamesAccepted and Established conditions, acceptedNames, CR endpoint and discovery entry")
	void establishment() {
		createWidgetCrd(false);
		JsonNode status = ok(get(CRDS + "/widgets.example.com")).path("status");
		JsonNode names = condition(status, "NamesAccepted");
		assertThat(names.path("status").asText()).isEqualTo("True");
		assertThat(names.path("reason").asText()).isEqualTo("NoConflicts");
		assertThat(names.path("message").asText()).isEqualTo("no conflicts found");
		JsonNode established = condition(status, "Established");
		assertThat(established.path("status").asText()).isEqualTo("True");
		assertThat(established.path("reason").asText()).isEqualTo("InitialNamesAccepted");
		assertThat(established.path("message").asText()).isEqualTo("the initial names have been accepted");
		JsonNode accepted = status.path("acceptedNames");
		assertThat(accepted.path("plural").asText()).isEqualTo("widgets");
		assertThat(accepted.path("singular").asText()).isEqualTo("widget");
		assertThat(accepted.path("kind").asText()).isEqualTo("Widget");
		assertThat(accepted.path("listKind").asText()).isEqualTo("WidgetList");
		assertThat(DiscoveryTest.texts(accepted.path("shortNames"))).containsExactly("wd");

		assertThat(get(WIDGETS).code()).isEqualTo(200);
		assertThat(ok(get(WIDGETS)).path("kind").asText()).isEqualTo("WidgetList");
		JsonNode discovery = get("/apis", "Accept", DiscoveryTest.V2).json();
		List<String> groups = new ArrayList<>();
		discovery.path("items").forEach((i) -> groups.add(i.path("metadata").path("name").asText()));
		assertThat(groups).contains("example.com");
		assertThat(DiscoveryTest.resource(ok(get("/apis/example.com/v1")), "widgets").path("kind").asText())
			.isEqualTo("Widget");
	}

	@Test
	@DisplayName("C6: only served versions are routed and discovered; an unserved version is a plain 404")
	void servedVersions() {
		createCrd(widgetCrd("Namespaced", crdVersion("v1", true, true, false),
				crdVersion("v1alpha1", false, false, false)), "widgets.example.com");
		assertThat(get(WIDGETS).code()).isEqualTo(200);
		assertPlainNotFound(get("/apis/example.com/v1alpha1/namespaces/default/widgets"));
		JsonNode discovery = get("/apis", "Accept", DiscoveryTest.V2).json();
		for (JsonNode item : discovery.path("items")) {
			if (item.path("metadata").path("name").asText().equals("example.com")) {
				List<String> versions = new ArrayList<>();
				item.path("versions").forEach((v) -> versions.add(v.path("version").asText()));
				assertThat(versions).containsExactly("v1");
			}
		}
		assertThat(get("/apis/example.com/v1alpha1").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("C7: with a status subresource, create drops .status and main-endpoint writes keep the old .status")
	void statusSubresourceMainEndpoint() {
		createWidgetCrd(true);
		JsonNode created = created(post(WIDGETS, widget("w1", "{\"size\":1}")
			.replace("\"spec\":", "\"status\":{\"phase\":\"Ready\"},\"spec\":")));
		assertThat(created.has("status")).isFalse();

		JsonNode status = ok(put(WIDGETS + "/w1/status", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
				+ "\"metadata\":{\"name\":\"w1\",\"namespace\":\"default\",\"resourceVersion\":\"" + rv(created)
				+ "\"},\"spec\":{\"size\":1},\"status\":{\"phase\":\"Ready\"}}"));
		assertThat(status.path("status").path("phase").asText()).isEqualTo("Ready");

		JsonNode updated = ok(put(WIDGETS + "/w1", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
				+ "\"metadata\":{\"name\":\"w1\",\"namespace\":\"default\",\"resourceVersion\":\"" + rv(status)
				+ "\"},\"spec\":{\"size\":2},\"status\":{\"phase\":\"Broken\"}}"));
		assertThat(updated.path("spec").path("size").asInt()).isEqualTo(2);
		assertThat(updated.path("status").path("phase").asText()).isEqualTo("Ready");

		JsonNode patched = ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"status\":{\"phase\":\"Gone\"}}"));
		assertThat(patched.path("status").path("phase").asText()).isEqualTo("Ready");
	}

	@Test
	@DisplayName("C7: the /status endpoint takes only .status; spec and metadata changes are discarded")
	void statusSubresourceStatusEndpoint() {
		createWidgetCrd(true);
		JsonNode created = created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		JsonNode written = ok(put(WIDGETS + "/w1/status", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
				+ "\"metadata\":{\"name\":\"w1\",\"namespace\":\"default\",\"labels\":{\"x\":\"y\"},"
				+ "\"resourceVersion\":\"" + rv(created) + "\"},\"spec\":{\"size\":9},\"status\":{\"phase\":\"Ready\"}}"));
		assertThat(written.path("status").path("phase").asText()).isEqualTo("Ready");
		assertThat(written.path("spec").path("size").asInt()).isEqualTo(1);
		assertThat(written.path("metadata").path("labels").path("x").isMissingNode()).isTrue();

		JsonNode patched = ok(patch(WIDGETS + "/w1/status", MERGE_PATCH,
				"{\"spec\":{\"size\":5},\"status\":{\"phase\":\"Done\"}}"));
		assertThat(patched.path("status").path("phase").asText()).isEqualTo("Done");
		assertThat(patched.path("spec").path("size").asInt()).isEqualTo(1);
		JsonNode stored = ok(get(WIDGETS + "/w1"));
		assertThat(stored.path("spec").path("size").asInt()).isEqualTo(1);
		assertThat(stored.path("status").path("phase").asText()).isEqualTo("Done");
	}

	@Test
	@DisplayName("C8: strategic merge patch on a custom resource gives 415 with the CR patch types")
	void customResourceRejectsStrategicMerge() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		long before = this.emulator.resourceVersion();
		assertStatus(patch(WIDGETS + "/w1", STRATEGIC_PATCH, "{\"spec\":{\"size\":2}}"), 415,
				failure("the body of the request was in an unknown format - accepted media types include: "
						+ "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
						"UnsupportedMediaType", null, 415));
		assertThat(this.emulator.resourceVersion()).isEqualTo(before);
		assertThat(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"spec\":{\"size\":2}}")).path("spec").path("size")
			.asInt()).isEqualTo(2);
		assertThat(ok(patch(WIDGETS + "/w1", JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/spec/size\",\"value\":3}]"))
			.path("spec")
			.path("size")
			.asInt()).isEqualTo(3);
	}

	@Test
	@DisplayName("C9: PUT of a missing custom resource is 404 (no create on update)")
	void noCreateOnUpdate() {
		createWidgetCrd(false);
		assertStatus(put(WIDGETS + "/w1", widget("w1", "{}")), 404,
				failure("widgets.example.com \"w1\" not found", "NotFound",
						"{\"name\":\"w1\",\"group\":\"example.com\",\"kind\":\"widgets\"}", 404));
		assertThat(get(WIDGETS + "/w1").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("C9: PUT of a custom resource without metadata.resourceVersion gives 422 naming the resource")
	void noUnconditionalUpdate() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		assertStatus(put(WIDGETS + "/w1", widget("w1", "{\"size\":2}")), 422,
				invalid("widgets.example.com", "w1", "example.com", "widgets", "metadata.resourceVersion",
						"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update"));
		assertThat(ok(get(WIDGETS + "/w1")).path("spec").path("size").asInt()).isEqualTo(1);
	}

	@Test
	@DisplayName("C11: deleting a CRD terminates it: finalizer, Terminating, 405 on create, CRs deleted, then gone")
	void crdDeletion() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{}").replace("\"namespace\":\"default\"",
				"\"namespace\":\"default\",\"finalizers\":[\"example.com/hold\"]")));

		JsonNode deleting = ok(delete(CRDS + "/widgets.example.com"));
		assertThat(deleting.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		assertThat(DiscoveryTest.texts(deleting.path("metadata").path("finalizers")))
			.contains("customresourcecleanup.apiextensions.k8s.io");

		await().atMost(DEADLINE).untilAsserted(() -> {
			JsonNode crd = ok(get(CRDS + "/widgets.example.com"));
			assertThat(condition(crd.path("status"), "Terminating").path("status").asText()).isEqualTo("True");
			assertThat(ok(get(WIDGETS + "/w1")).path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		});

		assertStatus(post(WIDGETS, widget("w2", "{}")), 405,
				failure("create not allowed while custom resource definition is terminating", "MethodNotAllowed",
						"{\"group\":\"example.com\",\"kind\":\"widgets\"}", 405));

		ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		await().atMost(DEADLINE).untilAsserted(() -> {
			assertThat(get(CRDS + "/widgets.example.com").code()).isEqualTo(404);
			assertPlainNotFound(get(WIDGETS));
			List<String> groups = new ArrayList<>();
			get("/apis", "Accept", DiscoveryTest.V2).json()
				.path("items")
				.forEach((i) -> groups.add(i.path("metadata").path("name").asText()));
			assertThat(groups).doesNotContain("example.com");
		});
	}

	static JsonNode condition(JsonNode status, String type) {
		for (JsonNode condition : status.path("conditions")) {
			if (condition.path("type").asText().equals(type)) {
				return condition;
			}
		}
		throw new AssertionError("no condition " + type + " in " + status);
	}
}
