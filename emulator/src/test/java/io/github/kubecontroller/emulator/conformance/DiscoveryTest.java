package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.B: /version, discovery (legacy and aggregated), OpenAPI. */
@DisplayName("1.B Discovery, /version, OpenAPI")
class DiscoveryTest extends ConformanceSupport {

	static final String V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

	static final String V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

	/** What kubectl 1.32 sends (B6). */
	static final String KUBECTL_ACCEPT = V2 + "," + V2BETA1 + ",application/json";

	// ------------------------------------------------------------------ B1

	@Test
	@DisplayName("B1: /version reports major 1, minor 32")
	void version() {
		Resp response = get("/version?timeout=5s", "Accept", "application/json, */*");
		JsonNode version = ok(response);
		assertThat(response.contentType()).isEqualTo(JSON);
		assertThat(version.path("major").asText()).isEqualTo("1");
		assertThat(version.path("minor").asText()).isEqualTo("32");
		assertThat(version.path("gitVersion").asText()).startsWith("v1.32.");
	}

	// ------------------------------------------------------------------ B2-B4 legacy

	@Test
	@DisplayName("B2: legacy /api is an APIVersions document with the server address")
	void legacyApi() {
		Resp response = get("/api", "Accept", "application/json");
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo(JSON);
		String address = this.emulator.baseUrl().substring("http://".length());
		assertThat(response.raw()).isEqualTo("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
				+ "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"" + address
				+ "\"}]}");
	}

	@Test
	@DisplayName("B3: legacy /apis is an APIGroupList; /apis/<group> is an APIGroup")
	void legacyApis() {
		JsonNode list = ok(get("/apis", "Accept", "application/json"));
		assertThat(list.path("kind").asText()).isEqualTo("APIGroupList");
		assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
		List<String> groups = new ArrayList<>();
		list.path("groups").forEach((g) -> groups.add(g.path("name").asText()));
		assertThat(groups).contains("apps", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io");
		for (JsonNode group : list.path("groups")) {
			String name = group.path("name").asText();
			assertThat(group.path("versions").size()).as(name).isPositive();
			JsonNode first = group.path("versions").get(0);
			assertThat(first.path("groupVersion").asText()).isEqualTo(name + "/" + first.path("version").asText());
			assertThat(group.path("preferredVersion")).isEqualTo(first);
		}

		JsonNode apps = ok(get("/apis/apps"));
		assertThat(apps.path("kind").asText()).isEqualTo("APIGroup");
		assertThat(apps.path("apiVersion").asText()).isEqualTo("v1");
		assertThat(apps.path("name").asText()).isEqualTo("apps");
		assertThat(apps.path("preferredVersion").path("groupVersion").asText()).isEqualTo("apps/v1");
	}

	@Test
	@DisplayName("B4: legacy /api/v1 APIResourceList with resources and separate '<res>/status' entries")
	void legacyCoreResourceList() {
		JsonNode list = ok(get("/api/v1"));
		assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
		assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
		assertThat(list.path("groupVersion").asText()).isEqualTo("v1");

		JsonNode configmaps = resource(list, "configmaps");
		assertThat(configmaps.path("singularName").asText()).isEqualTo("configmap");
		assertThat(configmaps.path("namespaced").asBoolean()).isTrue();
		assertThat(configmaps.path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(texts(configmaps.path("verbs"))).containsExactlyInAnyOrder("create", "delete",
				"deletecollection", "get", "list", "patch", "update", "watch");
		assertThat(texts(configmaps.path("shortNames"))).containsExactly("cm");

		JsonNode namespaces = resource(list, "namespaces");
		assertThat(namespaces.path("namespaced").asBoolean()).isFalse();
		assertThat(namespaces.path("kind").asText()).isEqualTo("Namespace");

		JsonNode podStatus = resource(list, "pods/status");
		assertThat(podStatus.path("kind").asText()).isEqualTo("Pod");
		assertThat(texts(podStatus.path("verbs"))).containsExactlyInAnyOrder("get", "patch", "update");
	}

	@Test
	@DisplayName("B4: legacy /apis/<g>/<v> APIResourceList (apps/v1 with deployments/status)")
	void legacyGroupResourceList() {
		JsonNode list = ok(get("/apis/apps/v1"));
		assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
		assertThat(list.path("groupVersion").asText()).isEqualTo("apps/v1");
		JsonNode deployments = resource(list, "deployments");
		assertThat(deployments.path("kind").asText()).isEqualTo("Deployment");
		assertThat(deployments.path("singularName").asText()).isEqualTo("deployment");
		assertThat(texts(resource(list, "deployments/status").path("verbs"))).containsExactlyInAnyOrder("get",
				"patch", "update");
		assertThat(resource(ok(get("/apis/coordination.k8s.io/v1")), "leases").path("kind").asText())
			.isEqualTo("Lease");
	}

	// ------------------------------------------------------------------ B5-B7 aggregated

	@Test
	@DisplayName("B5/B6: kubectl's Accept (v2, v2beta1, json) negotiates aggregated v2")
	void kubectlAcceptGetsV2() {
		for (String path : List.of("/api", "/apis")) {
			Resp response = get(path + "?timeout=32s", "Accept", KUBECTL_ACCEPT);
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.contentType()).isEqualTo(V2);
			assertThat(response.json().path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
			assertThat(response.json().path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
		}
	}

	@Test
	@DisplayName("B5: a client listing only v2beta1 gets v2beta1, never v2")
	void v2beta1Only() {
		for (String path : List.of("/api", "/apis")) {
			Resp response = get(path, "Accept", V2BETA1 + ",application/json");
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.contentType()).isEqualTo(V2BETA1);
			assertThat(response.json().path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2beta1");
			assertThat(response.json().path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
		}
	}

	@Test
	@DisplayName("B5: the first servable media type in Accept wins (v2beta1 listed before v2)")
	void firstAcceptableWins() {
		Resp response = get("/apis", "Accept", V2BETA1 + "," + V2 + ",application/json");
		assertThat(response.contentType()).isEqualTo(V2BETA1);
		Resp legacy = get("/apis", "Accept", "application/json," + V2);
		assertThat(legacy.contentType()).isEqualTo(JSON);
		assertThat(legacy.json().path("kind").asText()).isEqualTo("APIGroupList");
	}

	@Test
	@DisplayName("B5: plain application/json (or no Accept) gets the legacy documents")
	void legacyJson() {
		assertThat(get("/api", "Accept", "application/json").json().path("kind").asText()).isEqualTo("APIVersions");
		assertThat(get("/apis", "Accept", "application/json").json().path("kind").asText())
			.isEqualTo("APIGroupList");
		assertThat(get("/api").json().path("kind").asText()).isEqualTo("APIVersions");
		assertThat(get("/apis").json().path("kind").asText()).isEqualTo("APIGroupList");
	}

	@Test
	@DisplayName("B7: aggregated /api has one core item (no name) with resources, scopes and subresources")
	void aggregatedCoreShape() {
		JsonNode doc = get("/api", "Accept", V2).json();
		assertThat(doc.path("metadata").isObject()).isTrue();
		assertThat(doc.path("items").size()).isEqualTo(1);
		JsonNode core = doc.path("items").get(0);
		assertThat(core.path("metadata").path("name").asText("")).isEmpty();
		JsonNode v1 = core.path("versions").get(0);
		assertThat(v1.path("version").asText()).isEqualTo("v1");
		assertThat(v1.path("freshness").asText()).isEqualTo("Current");

		JsonNode configmaps = discoveryResource(v1, "configmaps");
		assertThat(configmaps.path("responseKind").path("group").asText()).isEmpty();
		assertThat(configmaps.path("responseKind").path("version").asText()).isEqualTo("v1");
		assertThat(configmaps.path("responseKind").path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(configmaps.path("scope").asText()).isEqualTo("Namespaced");
		assertThat(configmaps.path("singularResource").asText()).isEqualTo("configmap");
		assertThat(texts(configmaps.path("verbs"))).contains("list", "watch", "create", "patch");
		assertThat(texts(configmaps.path("shortNames"))).containsExactly("cm");

		assertThat(discoveryResource(v1, "namespaces").path("scope").asText()).isEqualTo("Cluster");

		JsonNode pods = discoveryResource(v1, "pods");
		JsonNode status = null;
		for (JsonNode sub : pods.path("subresources")) {
			if (sub.path("subresource").asText().equals("status")) {
				status = sub;
			}
		}
		assertThat(status).as("pods/status subresource").isNotNull();
		assertThat(status.path("responseKind").path("kind").asText()).isEqualTo("Pod");
		assertThat(texts(status.path("verbs"))).containsExactlyInAnyOrder("get", "patch", "update");
	}

	@Test
	@DisplayName("B7: aggregated /apis lists named groups in priority order; CRD groups last, versions by preference")
	void aggregatedGroupsOrder() {
		createCrd(widgetCrd("Namespaced", crdVersion("v1beta1", true, true, false), crdVersion("v1", true, false,
				false)), "widgets.example.com");
		JsonNode doc = get("/apis", "Accept", V2).json();
		List<String> groups = new ArrayList<>();
		doc.path("items").forEach((item) -> groups.add(item.path("metadata").path("name").asText()));
		// kube-aggregator groupPriorityMinimum: apps 17800, events.k8s.io 17750, apiextensions.k8s.io 16700,
		// coordination.k8s.io 16500; CRD groups 1000.
		assertThat(groups).containsSubsequence("apps", "events.k8s.io", "apiextensions.k8s.io",
				"coordination.k8s.io", "example.com");
		assertThat(groups.get(groups.size() - 1)).isEqualTo("example.com");

		JsonNode example = doc.path("items").get(groups.indexOf("example.com"));
		List<String> versions = new ArrayList<>();
		example.path("versions").forEach((v) -> versions.add(v.path("version").asText()));
		assertThat(versions).containsExactly("v1", "v1beta1");
		JsonNode widgets = discoveryResource(example.path("versions").get(0), "widgets");
		assertThat(widgets.path("responseKind").path("group").asText()).isEqualTo("example.com");
		assertThat(widgets.path("responseKind").path("kind").asText()).isEqualTo("Widget");
		assertThat(widgets.path("scope").asText()).isEqualTo("Namespaced");
		assertThat(widgets.path("singularResource").asText()).isEqualTo("widget");
		assertThat(texts(widgets.path("shortNames"))).containsExactly("wd");
		assertThat(example.path("versions").get(0).path("freshness").asText()).isEqualTo("Current");
	}

	// ------------------------------------------------------------------ B8

	@Test
	@DisplayName("B8: aggregated discovery carries a quoted uppercase SHA-512 ETag, Vary: Accept, Cache-Control: public")
	void aggregatedHeaders() {
		for (String path : List.of("/api", "/apis")) {
			Resp response = get(path, "Accept", KUBECTL_ACCEPT);
			assertThat(response.header("ETag").orElse("")).matches("\"[0-9A-F]{128}\"");
			assertThat(response.header("Vary")).contains("Accept");
			assertThat(response.header("Cache-Control")).contains("public");
		}
		assertThat(get("/api", "Accept", V2).header("ETag")).isNotEqualTo(get("/apis", "Accept", V2).header("ETag"));
	}

	@Test
	@DisplayName("B8: If-None-Match equal to the ETag gives 304 with no body; a stale one gives 200")
	void notModified() {
		Resp first = get("/apis", "Accept", KUBECTL_ACCEPT);
		String etag = first.header("ETag").orElseThrow();
		Resp again = get("/apis", "Accept", KUBECTL_ACCEPT, "If-None-Match", etag);
		assertThat(again.code()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.header("ETag")).contains(etag);

		Resp stale = get("/apis", "Accept", KUBECTL_ACCEPT, "If-None-Match", "\"0000\"");
		assertThat(stale.code()).isEqualTo(200);
		assertThat(stale.body()).isEqualTo(first.body());
	}

	@Test
	@DisplayName("B8: the /apis ETag changes when a CRD adds a group, so cached discovery is revalidated")
	void etagChangesWithCrd() {
		String before = get("/apis", "Accept", V2).header("ETag").orElseThrow();
		createWidgetCrd(false);
		Resp after = get("/apis", "Accept", V2, "If-None-Match", before);
		assertThat(after.code()).isEqualTo(200);
		assertThat(after.header("ETag")).isNotEqualTo(java.util.Optional.of(before));
	}

	// ------------------------------------------------------------------ B9-B11 OpenAPI

	@Test
	@DisplayName("B9: /openapi/v3 indexes group versions with hashed serverRelativeURLs that serve OpenAPI 3 JSON")
	void openApiIndex() {
		Resp index = get("/openapi/v3?timeout=32s", "Accept", "application/json, */*");
		assertThat(index.code()).isEqualTo(200);
		assertThat(index.contentType()).isEqualTo(JSON);
		JsonNode paths = index.json().path("paths");
		for (String gv : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1",
				"apis/apiextensions.k8s.io/v1")) {
			String url = paths.path(gv).path("serverRelativeURL").asText();
			assertThat(url).as(gv).matches("/openapi/v3/" + java.util.regex.Pattern.quote(gv) + "\\?hash=[0-9A-Za-z]+");
			Resp document = get(url + "&timeout=32s", "Accept", "application/json");
			assertThat(document.code()).as(url).isEqualTo(200);
			assertThat(document.contentType()).isEqualTo(JSON);
			assertThat(document.json().path("openapi").asText()).startsWith("3.0");
		}
	}

	@Test
	@DisplayName("B10: each kind has a PATCH operation with x-kubernetes-group-version-kind and a fieldValidation parameter")
	void patchOperationsProveFieldValidation() {
		JsonNode core = ok(get(openApiUrl("api/v1")));
		assertPatchOperation(core, "", "v1", "ConfigMap");
		assertPatchOperation(core, "", "v1", "Namespace");
		assertPatchOperation(core, "", "v1", "Secret");
		assertPatchOperation(ok(get(openApiUrl("apis/apps/v1"))), "apps", "v1", "Deployment");
		assertPatchOperation(ok(get(openApiUrl("apis/coordination.k8s.io/v1"))), "coordination.k8s.io", "v1",
				"Lease");
	}

	@Test
	@DisplayName("B10/B11: a CRD adds its group version; the CR PATCH does not offer strategic merge patch")
	void customResourceOpenApi() {
		createWidgetCrd(true);
		JsonNode doc = ok(get(openApiUrl("apis/example.com/v1")));
		JsonNode operation = assertPatchOperation(doc, "example.com", "v1", "Widget");
		List<String> types = new ArrayList<>();
		operation.path("requestBody").path("content").fieldNames().forEachRemaining(types::add);
		assertThat(types).contains(JSON_PATCH, MERGE_PATCH, APPLY_PATCH).doesNotContain(STRATEGIC_PATCH);
	}

	@Test
	@DisplayName("B10: /openapi/v2 is 404, also for a protobuf Accept")
	void noOpenApiV2() {
		assertThat(get("/openapi/v2").code()).isEqualTo(404);
		assertThat(get("/openapi/v2?timeout=32s", "Accept",
				"application/com.github.proto-openapi.spec.v2@v1.0+protobuf").code()).isEqualTo(404);
	}

	// ------------------------------------------------------------------ helpers

	private String openApiUrl(String gv) {
		String url = ok(get("/openapi/v3")).path("paths").path(gv).path("serverRelativeURL").asText();
		assertThat(url).as("serverRelativeURL of %s", gv).isNotEmpty();
		return url;
	}

	private static JsonNode assertPatchOperation(JsonNode doc, String group, String version, String kind) {
		for (JsonNode item : iterable(doc.path("paths"))) {
			JsonNode patch = item.path("patch");
			JsonNode gvk = patch.path("x-kubernetes-group-version-kind");
			if (gvk.path("group").asText().equals(group) && gvk.path("version").asText().equals(version)
					&& gvk.path("kind").asText().equals(kind)) {
				boolean fieldValidation = false;
				for (JsonNode parameter : patch.path("parameters")) {
					fieldValidation |= parameter.path("name").asText().equals("fieldValidation");
				}
				if (fieldValidation) {
					return patch;
				}
			}
		}
		throw new AssertionError("no PATCH operation with x-kubernetes-group-version-kind " + group + "/" + version
				+ "/" + kind + " and a fieldValidation parameter");
	}

	private static Iterable<JsonNode> iterable(JsonNode object) {
		List<JsonNode> values = new ArrayList<>();
		object.elements().forEachRemaining(values::add);
		return values;
	}

	static JsonNode resource(JsonNode apiResourceList, String name) {
		for (JsonNode resource : apiResourceList.path("resources")) {
			if (resource.path("name").asText().equals(name)) {
				return resource;
			}
		}
		throw new AssertionError("no resource " + name + " in " + apiResourceList);
	}

	static JsonNode discoveryResource(JsonNode version, String name) {
		for (JsonNode resource : version.path("resources")) {
			if (resource.path("resource").asText().equals(name)) {
				return resource;
			}
		}
		throw new AssertionError("no resource " + name + " in " + version);
	}

	static List<String> texts(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((v) -> values.add(v.asText()));
		return values;
	}
}
