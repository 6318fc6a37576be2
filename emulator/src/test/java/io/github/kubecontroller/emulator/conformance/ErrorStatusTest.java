package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.I (and M2): exact Status bodies and common headers. */
@DisplayName("1.I Error Status bodies")
class ErrorStatusTest extends ConformanceSupport {

	static final String RFC1123_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
			+ "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
			+ "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

	static final String I1_BODY = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
			+ "\"message\":\"configmaps \\\"x\\\" not found\",\"reason\":\"NotFound\","
			+ "\"details\":{\"name\":\"x\",\"kind\":\"configmaps\"},\"code\":404}";

	@Test
	@DisplayName("I1: 404 NotFound for a core resource, byte for byte, on GET, PUT, PATCH and DELETE")
	void notFoundCore() {
		assertStatus(get(CM + "/x"), 404, I1_BODY);
		assertStatus(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"a\":\"b\"}}"), 404, I1_BODY);
		assertStatus(delete(CM + "/x"), 404, I1_BODY);
		assertStatus(put(CM + "/x", configMap("x")), 404, I1_BODY);
	}

	@Test
	@DisplayName("I2: 404 NotFound for a group resource carries the group (leases, custom resources)")
	void notFoundGroup() {
		assertStatus(get("/apis/coordination.k8s.io/v1/namespaces/default/leases/l"), 404,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
						+ "\"message\":\"leases.coordination.k8s.io \\\"l\\\" not found\",\"reason\":\"NotFound\","
						+ "\"details\":{\"name\":\"l\",\"group\":\"coordination.k8s.io\",\"kind\":\"leases\"},\"code\":404}");
		createWidgetCrd(false);
		assertStatus(get(WIDGETS + "/w1"), 404,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
						+ "\"message\":\"widgets.example.com \\\"w1\\\" not found\",\"reason\":\"NotFound\","
						+ "\"details\":{\"name\":\"w1\",\"group\":\"example.com\",\"kind\":\"widgets\"},\"code\":404}");
		assertStatus(get(CRDS + "/nope.example.com"), 404,
				failure("customresourcedefinitions.apiextensions.k8s.io \"nope.example.com\" not found", "NotFound",
						"{\"name\":\"nope.example.com\",\"group\":\"apiextensions.k8s.io\",\"kind\":\"customresourcedefinitions\"}",
						404));
	}

	@Test
	@DisplayName("I3: 409 AlreadyExists, core and custom resource")
	void alreadyExists() {
		createConfigMap("x");
		assertStatus(post(CM, configMap("x")), 409,
				failure("configmaps \"x\" already exists", "AlreadyExists", "{\"name\":\"x\",\"kind\":\"configmaps\"}",
						409));
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{}")));
		assertStatus(post(WIDGETS, widget("w1", "{}")), 409,
				failure("widgets.example.com \"w1\" already exists", "AlreadyExists",
						"{\"name\":\"w1\",\"group\":\"example.com\",\"kind\":\"widgets\"}", 409));
	}

	@Test
	@DisplayName("I4: 409 Conflict on a stale resourceVersion (custom resource, PUT and PATCH)")
	void conflict() {
		createWidgetCrd(false);
		JsonNode w = created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"spec\":{\"size\":2}}"));
		String expected = failure("Operation cannot be fulfilled on widgets.example.com \"w1\": the object has been "
				+ "modified; please apply your changes to the latest version and try again", "Conflict",
				"{\"name\":\"w1\",\"group\":\"example.com\",\"kind\":\"widgets\"}", 409);
		assertStatus(put(WIDGETS + "/w1", widget("w1", "{\"size\":3}").replace("\"name\":\"w1\"",
				"\"name\":\"w1\",\"resourceVersion\":\"" + rv(w) + "\"")), 409, expected);
		assertStatus(patch(WIDGETS + "/w1", MERGE_PATCH,
				"{\"metadata\":{\"resourceVersion\":\"" + rv(w) + "\"},\"spec\":{\"size\":4}}"), 409, expected);
		assertThat(ok(get(WIDGETS + "/w1")).path("spec").path("size").asInt()).isEqualTo(2);
	}

	@Test
	@DisplayName("I6: 422 Invalid for a ConfigMap name, byte for byte")
	void invalidConfigMapName() {
		assertStatus(post(CM, configMap("X")), 422, invalid("ConfigMap", "X", "", "ConfigMap", "metadata.name",
				"FieldValueInvalid", "Invalid value: \"X\": " + RFC1123_SUBDOMAIN));
	}

	@Test
	@DisplayName("I6: 422 Invalid for a custom resource uses Kind.group and details.group")
	void invalidCustomResourceName() {
		createWidgetCrd(false);
		assertStatus(post(WIDGETS, widget("W1", "{}")), 422, invalid("Widget.example.com", "W1", "example.com",
				"Widget", "metadata.name", "FieldValueInvalid", "Invalid value: \"W1\": " + RFC1123_SUBDOMAIN));
	}

	@Test
	@DisplayName("I6: several field errors are joined as [e1, e2] with one cause each")
	void severalFieldErrors() {
		Resp response = post(CM, configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"finalizers\":[\"orphan\",\"foregroundDeletion\"],\"labels\":{\"a\":\"-bad-\"}"));
		assertThat(response.code()).as("%s", response).isEqualTo(422);
		JsonNode status = response.json();
		assertThat(status.path("details").path("causes").size()).isEqualTo(2);
		assertThat(status.path("message").asText()).startsWith("ConfigMap \"x\" is invalid: [").endsWith("]")
			.contains(", ");
	}

	@Test
	@DisplayName("I7: 400 BadRequest has no details")
	void badRequest() {
		Resp response = post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",");
		assertThat(response.code()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo(JSON);
		JsonNode status = response.json();
		assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
		assertThat(status.has("details")).isFalse();
		assertThat(response.raw()).startsWith(
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":")
			.endsWith("\",\"reason\":\"BadRequest\",\"code\":400}");
	}

	@Test
	@DisplayName("I8: 405 MethodNotAllowed names the verb and resource.group (POST to a CR /status)")
	void methodNotAllowed() {
		createWidgetCrd(true);
		created(post(WIDGETS, widget("w1", "{}")));
		assertStatus(post(WIDGETS + "/w1/status", widget("w1", "{}")), 405,
				failure("create is not supported on resources of kind \"widgets.example.com\"", "MethodNotAllowed",
						"{\"group\":\"example.com\",\"kind\":\"widgets\"}", 405));
		assertStatus(delete(WIDGETS + "/w1/status"), 405,
				failure("delete is not supported on resources of kind \"widgets.example.com\"", "MethodNotAllowed",
						"{\"group\":\"example.com\",\"kind\":\"widgets\"}", 405));
	}

	@Test
	@DisplayName("I10: 415 for an unknown PATCH content type lists the built-in patch types")
	void unsupportedPatchType() {
		createConfigMap("x");
		assertStatus(patch(CM + "/x", "text/plain", "{\"data\":{\"a\":\"b\"}}"), 415,
				failure("the body of the request was in an unknown format - accepted media types include: "
						+ "application/json-patch+json, application/merge-patch+json, "
						+ "application/strategic-merge-patch+json, application/apply-patch+yaml",
						"UnsupportedMediaType", null, 415));
	}

	@Test
	@DisplayName("I11: a failing JSON-patch test op or missing path gives 422 with the generic message and empty details")
	void jsonPatchFailure() {
		JsonNode x = createConfigMap("x");
		String expected = failure("the server rejected our request due to an error in our request", "Invalid", "{}",
				422);
		assertStatus(patch(CM + "/x", JSON_PATCH, "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"nope\"}]"), 422,
				expected);
		assertStatus(patch(CM + "/x", JSON_PATCH, "[{\"op\":\"remove\",\"path\":\"/data/missing\"}]"), 422, expected);
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("I11: an undecodable JSON patch gives 400")
	void undecodableJsonPatch() {
		createConfigMap("x");
		Resp response = patch(CM + "/x", JSON_PATCH, "[{\"op\":");
		assertThat(response.code()).as("%s", response).isEqualTo(400);
		assertThat(response.json().path("reason").asText()).isEqualTo("BadRequest");
	}

	@Test
	@DisplayName("I15/M2: every answer carries Audit-Id (unique UUID), Cache-Control no-cache private and APF headers")
	void commonHeaders() {
		createConfigMap("x");
		List<Resp> responses = List.of(get(CM + "/x"), get(CM), get(CM + "/missing"),
				patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"), post(CM, configMap("y")), get("/version"),
				get("/api", "Accept", "application/json"), post(CM, "not json"));
		Set<String> auditIds = new HashSet<>();
		for (Resp response : responses) {
			String auditId = response.header("Audit-Id").orElse("");
			assertThat(auditId).as("Audit-Id of %s", response)
				.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
			auditIds.add(auditId);
			assertThat(response.header("Cache-Control")).as("Cache-Control of %s", response)
				.contains("no-cache, private");
			assertThat(response.contentType()).isEqualTo(JSON);
			assertThat(response.header("X-Kubernetes-PF-FlowSchema-UID")).as("flow schema of %s", response)
				.isPresent();
			assertThat(response.header("X-Kubernetes-PF-PriorityLevel-UID")).isPresent();
		}
		assertThat(auditIds).hasSize(responses.size());

		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion());
		assertThat(watch.headers().firstValue("Audit-Id")).isPresent();
		assertThat(watch.headers().firstValue("Cache-Control")).contains("no-cache, private");
	}

	@Test
	@DisplayName("I15: JSON bodies are application/json with no charset parameter, kind and apiVersion first")
	void successContentType() {
		JsonNode created = created(post(CM, configMap("default", "x", Map.of("a", "b"), Map.of("k", "v"))));
		Resp response = get(CM + "/x");
		assertThat(response.contentType()).isEqualTo(JSON);
		assertThat(response.raw()).startsWith("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"");
		assertThat(response.json()).isEqualTo(created);
	}
}
