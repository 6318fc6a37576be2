package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.J, rules J1–J4 and J7 (server-side apply ownership, J5, is not implemented yet). */
@DisplayName("1.J PATCH")
class PatchTest extends ConformanceSupport {

	static final String DEPLOYMENTS = WritesTest.DEPLOYMENTS;

	@Test
	@DisplayName("J1: built-ins accept merge, JSON, strategic merge and apply patches")
	void patchTypes() {
		createConfigMap("default", "x", null, Map.of("a", "1", "b", "2"));
		JsonNode merged = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"a\":null,\"c\":\"3\"}}"));
		assertThat(merged.path("data")).hasToString("{\"b\":\"2\",\"c\":\"3\"}");
		JsonNode jsonPatched = ok(patch(CM + "/x", JSON_PATCH,
				"[{\"op\":\"add\",\"path\":\"/data/d\",\"value\":\"4\"},{\"op\":\"remove\",\"path\":\"/data/b\"}]"));
		assertThat(jsonPatched.path("data")).hasToString("{\"c\":\"3\",\"d\":\"4\"}");
		JsonNode strategic = ok(patch(CM + "/x", STRATEGIC_PATCH, "{\"data\":{\"c\":null,\"e\":\"5\"}}"));
		assertThat(strategic.path("data")).hasToString("{\"d\":\"4\",\"e\":\"5\"}");
		JsonNode applied = ok(patch(CM + "/x?fieldManager=tester&force=true", APPLY_PATCH,
				"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"},"
						+ "\"data\":{\"f\":\"6\"}}"));
		assertThat(applied.path("data").path("f").asText()).isEqualTo("6");
	}

	@Test
	@DisplayName("J1: only the media type before ';' counts")
	void mediaTypeParameters() {
		createConfigMap("x");
		JsonNode patched = ok(patch(CM + "/x", MERGE_PATCH + "; charset=utf-8", "{\"data\":{\"k\":\"2\"}}"));
		assertThat(patched.path("data").path("k").asText()).isEqualTo("2");
	}

	@Test
	@DisplayName("J1/I10: any other content type gives 415 and changes nothing")
	void unsupportedContentType() {
		JsonNode x = createConfigMap("x");
		for (String type : List.of("application/json", "application/yaml", "text/plain")) {
			Resp response = patch(CM + "/x", type, "{\"data\":{\"k\":\"2\"}}");
			assertThat(response.code()).as(type).isEqualTo(415);
			assertThat(response.json().path("reason").asText()).isEqualTo("UnsupportedMediaType");
		}
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("J1: a JSON patch with more than 10000 operations gives 413")
	void tooManyOperations() {
		JsonNode x = createConfigMap("x");
		List<String> ops = new ArrayList<>();
		for (int i = 0; i < 10001; i++) {
			ops.add("{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"}");
		}
		assertStatus(patch(CM + "/x", JSON_PATCH, "[" + String.join(",", ops) + "]"), 413,
				failure("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001",
						"RequestEntityTooLarge", null, 413));
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("J2: an apply patch that creates gives 201; a non-apply patch on a missing object gives 404")
	void resultCodes() {
		Resp created = patch(CM + "/x?fieldManager=kubectl&fieldValidation=Strict&force=false", APPLY_PATCH,
				configMap("x"));
		assertThat(created.code()).as("%s", created).isEqualTo(201);
		assertThat(created.json().path("data").path("k").asText()).isEqualTo("v");
		assertThat(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}").code()).isEqualTo(200);
		assertStatus(patch(CM + "/y", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"), 404,
				ErrorStatusTest.I1_BODY.replace("\\\"x\\\"", "\\\"y\\\"").replace("\"name\":\"x\"", "\"name\":\"y\""));
		assertThat(patch(CM + "/y", JSON_PATCH, "[]").code()).isEqualTo(404);
		assertThat(patch(CM + "/y", STRATEGIC_PATCH, "{}").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("J3: an apply patch without fieldManager gives 422 PatchOptions")
	void applyNeedsFieldManager() {
		assertStatus(patch(CM + "/x", APPLY_PATCH, configMap("x")), 422,
				invalid("PatchOptions.meta.k8s.io", "", "meta.k8s.io", "PatchOptions", "fieldManager",
						"FieldValueRequired", "Required value: is required for apply patch"));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("J3: force on a non-apply patch gives 422 PatchOptions")
	void forceOnlyForApply() {
		createConfigMap("x");
		assertStatus(patch(CM + "/x?force=true", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"), 422,
				invalid("PatchOptions.meta.k8s.io", "", "meta.k8s.io", "PatchOptions", "force", "FieldValueForbidden",
						"Forbidden: may not be specified for non-apply patch"));
	}

	@Test
	@DisplayName("J3: fieldManager longer than 128 characters gives 422 PatchOptions")
	void fieldManagerTooLong() {
		createConfigMap("x");
		assertStatus(patch(CM + "/x?fieldManager=" + "m".repeat(129), MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"), 422,
				invalid("PatchOptions.meta.k8s.io", "", "meta.k8s.io", "PatchOptions", "fieldManager",
						"FieldValueTooLong", "Too long: may not be more than 128 bytes"));
	}

	@Test
	@DisplayName("J3: dryRun accepts only All (422 otherwise); dryRun=All changes nothing")
	void dryRun() {
		JsonNode x = createConfigMap("x");
		assertStatus(patch(CM + "/x?dryRun=Foo", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"), 422,
				invalid("PatchOptions.meta.k8s.io", "", "meta.k8s.io", "PatchOptions", "dryRun",
						"FieldValueNotSupported", "Unsupported value: []string{\"Foo\"}: supported values: \"All\""));
		JsonNode dry = ok(patch(CM + "/x?dryRun=All", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		assertThat(dry.path("data").path("k").asText()).isEqualTo("2");
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("J4: kubectl's SSA request (JSON body as apply-patch+yaml) creates and then updates")
	void serverSideApplyJsonBody() {
		String query = "?fieldManager=kubectl&fieldValidation=Strict&force=false";
		String body = "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"v1\"},\"kind\":\"ConfigMap\","
				+ "\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"}}";
		Resp first = patch(CM + "/x" + query, APPLY_PATCH, body);
		assertThat(first.code()).as("%s", first).isEqualTo(201);
		Resp second = patch(CM + "/x" + query, APPLY_PATCH, body.replace("\"v1\"}", "\"v2\"}"));
		assertThat(second.code()).as("%s", second).isEqualTo(200);
		assertThat(second.json().path("data").path("k").asText()).isEqualTo("v2");
	}

	@Test
	@DisplayName("J4: an apply body in YAML is accepted")
	void serverSideApplyYamlBody() {
		Resp response = patch(CM + "/x?fieldManager=tester", APPLY_PATCH, """
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: x
				  namespace: default
				data:
				  k: yaml
				""");
		assertThat(response.code()).as("%s", response).isEqualTo(201);
		assertThat(response.json().path("data").path("k").asText()).isEqualTo("yaml");
	}

	@Test
	@DisplayName("J4: an apply body carrying managedFields gives 400")
	void applyBodyWithManagedFields() {
		Resp response = patch(CM + "/x?fieldManager=tester", APPLY_PATCH,
				"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"default\","
						+ "\"managedFields\":[{\"manager\":\"m\",\"operation\":\"Apply\",\"apiVersion\":\"v1\","
						+ "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{}}]}}");
		assertStatus(response, 400, failure("metadata.managedFields must be nil", "BadRequest", null, 400));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("J7: SMP merges containers by name and honours $patch: delete")
	void strategicContainers() {
		created(post(DEPLOYMENTS, """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
				 "spec":{"selector":{"matchLabels":{"app":"d"}},
				  "template":{"metadata":{"labels":{"app":"d"}},
				   "spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]}}}}"""));
		JsonNode patched = ok(patch(DEPLOYMENTS + "/d", STRATEGIC_PATCH,
				"{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"b:2\"},"
						+ "{\"name\":\"c\",\"$patch\":\"delete\"}]}}}}"));
		JsonNode containers = patched.path("spec").path("template").path("spec").path("containers");
		List<String> names = new ArrayList<>();
		containers.forEach((c) -> names.add(c.path("name").asText() + "=" + c.path("image").asText()));
		assertThat(names).containsExactly("a=a:1", "b=b:2");
	}

	@Test
	@DisplayName("J7: SMP $setElementOrder reorders a merge-keyed list")
	void strategicSetElementOrder() {
		created(post(DEPLOYMENTS, """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
				 "spec":{"selector":{"matchLabels":{"app":"d"}},
				  "template":{"metadata":{"labels":{"app":"d"}},
				   "spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}"""));
		JsonNode patched = ok(patch(DEPLOYMENTS + "/d", STRATEGIC_PATCH,
				"{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"b\"},{\"name\":\"a\"}],"
						+ "\"containers\":[{\"name\":\"a\",\"image\":\"a:2\"}]}}}}"));
		List<String> names = new ArrayList<>();
		patched.path("spec").path("template").path("spec").path("containers")
			.forEach((c) -> names.add(c.path("name").asText() + "=" + c.path("image").asText()));
		assertThat(names).containsExactly("b=b:1", "a=a:2");
	}

	@Test
	@DisplayName("J7: SMP $retainKeys on the Deployment strategy drops the keys not retained")
	void strategicRetainKeys() {
		created(post(DEPLOYMENTS, """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
				 "spec":{"selector":{"matchLabels":{"app":"d"}},
				  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
				  "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"a","image":"a:1"}]}}}}"""));
		JsonNode patched = ok(patch(DEPLOYMENTS + "/d", STRATEGIC_PATCH,
				"{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}"));
		assertThat(patched.path("spec").path("strategy")).hasToString("{\"type\":\"Recreate\"}");
	}

	@Test
	@DisplayName("J7: SMP merges metadata.finalizers as a set; $deleteFromPrimitiveList removes entries")
	void strategicFinalizers() {
		created(post(CM, configMap("x").replace("\"name\":\"x\"", "\"name\":\"x\",\"finalizers\":[\"a.io/one\"]")));
		JsonNode merged = ok(patch(CM + "/x", STRATEGIC_PATCH,
				"{\"metadata\":{\"finalizers\":[\"a.io/one\",\"b.io/two\"]}}"));
		assertThat(DiscoveryTest.texts(merged.path("metadata").path("finalizers"))).containsExactly("a.io/one",
				"b.io/two");
		JsonNode removed = ok(patch(CM + "/x", STRATEGIC_PATCH,
				"{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a.io/one\"]}}"));
		assertThat(DiscoveryTest.texts(removed.path("metadata").path("finalizers"))).containsExactly("b.io/two");
		ok(patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
	}

	@Test
	@DisplayName("J7: SMP on a ConfigMap behaves like a merge patch (null deletes a key)")
	void strategicConfigMap() {
		createConfigMap("default", "x", Map.of("l", "1"), Map.of("a", "1", "b", "2"));
		JsonNode patched = ok(patch(CM + "/x", STRATEGIC_PATCH,
				"{\"metadata\":{\"labels\":{\"l\":null,\"m\":\"2\"}},\"data\":{\"a\":null,\"c\":\"3\"}}"));
		assertThat(patched.path("data")).hasToString("{\"b\":\"2\",\"c\":\"3\"}");
		assertThat(patched.path("metadata").path("labels")).hasToString("{\"m\":\"2\"}");
	}
}
