package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.A: REST paths, verbs and scoping. */
@DisplayName("1.A REST paths and scoping")
class PathsAndScopingTest extends ConformanceSupport {

	private static final String POD = """
			{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
			 "spec":{"containers":[{"name":"c","image":"busybox"}]}}""";

	private static final String LEASE = """
			{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"default"},
			 "spec":{"holderIdentity":"me"}}""";

	@Test
	@DisplayName("A1: core namespaced paths: item, namespace list, and the all-namespaces list")
	void coreNamespacedPaths() {
		createNamespace("team-a");
		createConfigMap("x");
		createConfigMap("team-a", "y", null, Map.of());

		JsonNode item = ok(get(CM + "/x"));
		assertThat(item.path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(item.path("metadata").path("namespace").asText()).isEqualTo("default");

		JsonNode inDefault = ok(get(CM));
		assertThat(inDefault.path("kind").asText()).isEqualTo("ConfigMapList");
		assertThat(names(inDefault)).contains("x").doesNotContain("y");

		JsonNode everywhere = ok(get("/api/v1/configmaps"));
		assertThat(everywhere.path("kind").asText()).isEqualTo("ConfigMapList");
		assertThat(names(everywhere)).contains("x", "y");
	}

	@Test
	@DisplayName("A1: namespaces are cluster-scoped at /api/v1/namespaces/<name>; default and kube-system exist")
	void namespacesAreClusterScoped() {
		JsonNode def = ok(get("/api/v1/namespaces/default"));
		assertThat(def.path("kind").asText()).isEqualTo("Namespace");
		assertThat(def.path("metadata").has("namespace")).isFalse();
		ok(get("/api/v1/namespaces/kube-system"));
		assertThat(names(ok(get("/api/v1/namespaces")))).contains("default", "kube-system");
	}

	@Test
	@DisplayName("A1: subresource path .../<resource>/<name>/status")
	void subresourcePath() {
		created(post("/api/v1/namespaces/default/pods", POD));
		JsonNode status = ok(get("/api/v1/namespaces/default/pods/p/status"));
		assertThat(status.path("kind").asText()).isEqualTo("Pod");
		assertThat(status.path("metadata").path("name").asText()).isEqualTo("p");

		JsonNode patched = ok(patch("/api/v1/namespaces/default/pods/p/status", MERGE_PATCH,
				"{\"status\":{\"phase\":\"Running\"}}"));
		assertThat(patched.path("status").path("phase").asText()).isEqualTo("Running");
	}

	@Test
	@DisplayName("A2: named group paths under /apis/<group>/<version>")
	void namedGroupPaths() {
		JsonNode lease = created(post("/apis/coordination.k8s.io/v1/namespaces/default/leases", LEASE));
		assertThat(lease.path("apiVersion").asText()).isEqualTo("coordination.k8s.io/v1");
		assertThat(ok(get("/apis/coordination.k8s.io/v1/namespaces/default/leases/l")).path("spec")
			.path("holderIdentity")
			.asText()).isEqualTo("me");
		assertThat(names(ok(get("/apis/coordination.k8s.io/v1/namespaces/default/leases")))).containsExactly("l");
		JsonNode all = ok(get("/apis/coordination.k8s.io/v1/leases"));
		assertThat(all.path("kind").asText()).isEqualTo("LeaseList");
		assertThat(names(all)).containsExactly("l");
	}

	@Test
	@DisplayName("A2: named group subresource path (deployments/<name>/status)")
	void namedGroupSubresource() {
		created(post("/apis/apps/v1/namespaces/default/deployments", """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
				 "spec":{"selector":{"matchLabels":{"app":"d"}},
				  "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""));
		JsonNode status = ok(get("/apis/apps/v1/namespaces/default/deployments/d/status"));
		assertThat(status.path("kind").asText()).isEqualTo("Deployment");
	}

	@Test
	@DisplayName("A3: create=POST (201), get=GET, update=PUT (200), patch=PATCH (200), delete=DELETE (200)")
	void verbsToMethods() {
		JsonNode created = created(post(CM, configMap("x")));
		ok(get(CM + "/x"));
		JsonNode updated = ok(put(CM + "/x", configMap("default", "x", null, Map.of("k", "v2"))));
		assertThat(updated.path("data").path("k").asText()).isEqualTo("v2");
		assertThat(rvNum(updated)).isGreaterThan(rvNum(created));
		JsonNode patched = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"v3\"}}"));
		assertThat(patched.path("data").path("k").asText()).isEqualTo("v3");
		ok(delete(CM + "/x"));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("A3: deletecollection=DELETE on the collection; only the addressed namespace is emptied")
	void deleteCollection() {
		createNamespace("other");
		createConfigMap("a");
		createConfigMap("b");
		createConfigMap("other", "c", null, Map.of());
		Resp response = delete(CM);
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		assertThat(names(ok(get(CM)))).isEmpty();
		assertThat(names(ok(get("/api/v1/namespaces/other/configmaps")))).containsExactly("c");
	}

	@Test
	@DisplayName("A5: a namespaced resource addressed without a namespace is only served for list (item GET is 404)")
	void namespacedWithoutNamespace() {
		createConfigMap("x");
		assertThat(get("/api/v1/configmaps").code()).isEqualTo(200);
		assertThat(get("/api/v1/configmaps/x").code()).isEqualTo(404);
		assertThat(get("/apis/coordination.k8s.io/v1/leases/l").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("A5: a cluster-scoped resource under /namespaces/<ns>/ is 404")
	void clusterScopedUnderNamespace() {
		assertThat(get("/apis/apiextensions.k8s.io/v1/namespaces/default/customresourcedefinitions").code())
			.isEqualTo(404);
		assertThat(get("/api/v1/namespaces/default/namespaces/default").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("A5: a cluster-scoped custom resource under /namespaces/<ns>/ goes to the not-found handler")
	void clusterScopedCustomResourceUnderNamespace() {
		createCrd(widgetCrd("Cluster", crdVersion("v1", true, true, false)), "widgets.example.com");
		created(post("/apis/example.com/v1/widgets",
				"{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"},\"spec\":{}}"));
		ok(get("/apis/example.com/v1/widgets/w1"));
		assertPlainNotFound(get("/apis/example.com/v1/namespaces/default/widgets/w1"));
		assertPlainNotFound(get("/apis/example.com/v1/namespaces/default/widgets"));
	}

	@Test
	@DisplayName("A6: an empty namespace in the body is filled from the URL")
	void namespaceFilledFromUrl() {
		JsonNode created = created(post(CM, configMap(null, "x", null, Map.of())));
		assertThat(created.path("metadata").path("namespace").asText()).isEqualTo("default");
		assertThat(ok(get(CM + "/x")).path("metadata").path("namespace").asText()).isEqualTo("default");
	}

	@Test
	@DisplayName("A6: a body namespace different from the URL's gives 400 (create and update)")
	void namespaceMismatch() {
		String expected = failure(
				"the namespace of the object (other) does not match the namespace on the request (default)",
				"BadRequest", null, 400);
		assertStatus(post(CM, configMap("other", "x", null, Map.of())), 400, expected);
		assertThat(get(CM + "/x").code()).isEqualTo(404);

		createConfigMap("y");
		assertStatus(put(CM + "/y", configMap("other", "y", null, Map.of())), 400, expected);
	}

	@Test
	@DisplayName("A6: a body name different from the URL's on PUT gives 400")
	void nameMismatchOnPut() {
		createConfigMap("x");
		assertStatus(put(CM + "/x", configMap("default", "y", null, Map.of())), 400,
				failure("the name of the object (y) does not match the name on the URL (x)", "BadRequest", null, 400));
		assertThat(get(CM + "/y").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("A7: unknown group, version, path or resource gives 404 text/plain '404 page not found'")
	void unknownPaths() {
		assertPlainNotFound(get("/apis/nope.example.com/v1/things"));
		assertPlainNotFound(get("/apis/nope.example.com/v1/namespaces/default/things/x"));
		assertPlainNotFound(get("/apis/apps/v9/deployments"));
		assertPlainNotFound(get("/api/v2/pods"));
		assertPlainNotFound(get("/api/v1/namespaces/default/foos"));
		assertPlainNotFound(get("/apis/apps/v1/namespaces/default/foos/x"));
		assertPlainNotFound(get("/nonexistent"));
		assertPlainNotFound(get("/apis/nope.example.com"));
	}

	@Test
	@DisplayName("A7: unknown resource in a CRD group and an unserved path go to the not-found handler")
	void unknownCustomResource() {
		createWidgetCrd(false);
		assertPlainNotFound(get("/apis/example.com/v1/namespaces/default/gadgets"));
		assertPlainNotFound(get("/apis/example.com/v2/namespaces/default/widgets"));
	}

	@Test
	@DisplayName("A8: ?timeout= is accepted on /version, discovery, OpenAPI and resource requests")
	void timeoutParameterAccepted() {
		assertThat(get("/version?timeout=5s").code()).isEqualTo(200);
		assertThat(get("/api?timeout=32s").code()).isEqualTo(200);
		assertThat(get("/apis?timeout=32s").code()).isEqualTo(200);
		assertThat(get("/openapi/v3?timeout=32s").code()).isEqualTo(200);
		createConfigMap("x");
		assertThat(get(CM + "?timeout=32s").code()).isEqualTo(200);
		assertThat(get(CM + "/x?timeout=32s").code()).isEqualTo(200);
	}
}
