package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rejected input (A7, I6, I7, I10, 413) and, for every rejected request, proof that nothing stored changed: the
 * global resourceVersion and the content of every list are the same before and after.
 */
@DisplayName("Bad input is rejected and changes nothing")
class BadInputTest extends ConformanceSupport {

	/**
	 * What is listed to prove that nothing changed: every ConfigMap and Namespace in full; any other write anywhere
	 * would move the global resourceVersion, which is compared too.
	 */
	private static final String[] LISTS = { "/api/v1/configmaps", "/api/v1/namespaces" };

	private static final int LIMIT = 3 * 1024 * 1024;

	/** The stored state every rejected request must leave untouched. */
	private Stored baseline;

	@BeforeEach
	void existing() {
		createConfigMap("default", "x", Map.of("app", "x"), Map.of("k", "v"));
		this.baseline = stored(LISTS);
	}

	/**
	 * Runs {@code request}, checks the answer with {@code check}, and asserts that nothing stored changed: the global
	 * resourceVersion and every list (its resourceVersion and items) are as before.
	 */
	private void rejected(Supplier<Resp> request, java.util.function.Consumer<Resp> check) {
		Resp response = request.get();
		check.accept(response);
		Stored after = stored(LISTS);
		assertThat(after.revision()).as("global resourceVersion after %s", response)
			.isEqualTo(this.baseline.revision());
		assertThat(after.lists()).as("stored content after %s", response).isEqualTo(this.baseline.lists());
	}

	private static void badRequest(Resp response) {
		assertThat(response.code()).as("%s", response).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo(JSON);
		assertThat(response.json().path("reason").asText()).isEqualTo("BadRequest");
		assertThat(response.raw()).startsWith(
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":")
			.endsWith("\",\"reason\":\"BadRequest\",\"code\":400}");
	}

	@Test
	@DisplayName("I7: malformed JSON on POST, PUT and PATCH gives a 400 Status")
	void malformedJson() {
		rejected(() -> post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\""),
				BadInputTest::badRequest);
		rejected(() -> post(CM, "this is not json"), BadInputTest::badRequest);
		rejected(() -> put(CM + "/x", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},"),
				BadInputTest::badRequest);
		rejected(() -> patch(CM + "/x", MERGE_PATCH, "{\"data\":{"), BadInputTest::badRequest);
		rejected(() -> patch(CM + "/x", STRATEGIC_PATCH, "{\"data\""), BadInputTest::badRequest);
		rejected(() -> patch(CM + "/x", JSON_PATCH, "[{\"op\":\"add\""), BadInputTest::badRequest);
		rejected(() -> patch(CM + "/x?fieldManager=m", APPLY_PATCH, "{\"apiVersion\": [unclosed"),
				BadInputTest::badRequest);
	}

	@Test
	@DisplayName("I7: a body that is a JSON array (or a scalar, or null) gives 400")
	void nonObjectBodies() {
		rejected(() -> post(CM, "[" + configMap("y") + "]"), BadInputTest::badRequest);
		rejected(() -> post(CM, "42"), BadInputTest::badRequest);
		rejected(() -> post(CM, "null"), BadInputTest::badRequest);
		rejected(() -> put(CM + "/x", "[" + configMap("x") + "]"), BadInputTest::badRequest);
	}

	@Test
	@DisplayName("I7: an empty body on POST gives 400")
	void emptyBody() {
		rejected(() -> post(CM, ""), BadInputTest::badRequest);
	}

	@Test
	@DisplayName("I6: invalid ConfigMap names give 422 with the exact RFC 1123 subdomain message")
	void invalidSubdomainNames() {
		for (String name : List.of("X", "a_b", "-a", "a.", "UPPER.case")) {
			rejected(() -> post(CM, configMap(name)),
					(response) -> assertStatus(response, 422, invalid("ConfigMap", name, "", "ConfigMap",
							"metadata.name", "FieldValueInvalid",
							"Invalid value: " + quote(name) + ": " + ErrorStatusTest.RFC1123_SUBDOMAIN)));
		}
	}

	@Test
	@DisplayName("I6: a name longer than 253 characters gives 422 'must be no more than 253 characters'")
	void tooLongName() {
		String name = "a".repeat(254);
		rejected(() -> post(CM, configMap(name)),
				(response) -> assertStatus(response, 422, invalid("ConfigMap", name, "", "ConfigMap", "metadata.name",
						"FieldValueInvalid", "Invalid value: \"" + name + "\": must be no more than 253 characters")));
	}

	@Test
	@DisplayName("I6: an invalid Namespace name gives 422 with the RFC 1123 label message")
	void invalidNamespaceName() {
		String label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
				+ "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
				+ "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
		rejected(() -> post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"Bad_ns\"}}"),
				(response) -> assertStatus(response, 422, invalid("Namespace", "Bad_ns", "", "Namespace",
						"metadata.name", "FieldValueInvalid", "Invalid value: \"Bad_ns\": " + label)));
		rejected(() -> post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"has.dots\"}}"),
				(response) -> assertStatus(response, 422, invalid("Namespace", "has.dots", "", "Namespace",
						"metadata.name", "FieldValueInvalid", "Invalid value: \"has.dots\": must not contain dots")));
	}

	@Test
	@DisplayName("I6: an invalid Service name gives 422 with the DNS-1035 label message")
	void invalidServiceName() {
		String dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
				+ "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
				+ "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
		rejected(() -> post("/api/v1/namespaces/default/services",
				"{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"1svc\"},"
						+ "\"spec\":{\"ports\":[{\"port\":80}]}}"),
				(response) -> assertStatus(response, 422, invalid("Service", "1svc", "", "Service", "metadata.name",
						"FieldValueInvalid", "Invalid value: \"1svc\": " + dns1035)));
	}

	@Test
	@DisplayName("H1/H3/J1: bodies over 3 MiB get 413 RequestEntityTooLarge on POST, PUT and PATCH (apiserver limitedReadBody)")
	void tooLarge() {
		String expected = failure("Request entity too large: limit is " + LIMIT, "RequestEntityTooLarge", null, 413);
		String big = configMap("default", "big", null, Map.of("k", "v".repeat(LIMIT)));
		assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(LIMIT);
		rejected(() -> post(CM, big), (response) -> assertStatus(response, 413, expected));
		rejected(() -> put(CM + "/x", big.replace("\"big\"", "\"x\"")),
				(response) -> assertStatus(response, 413, expected));
		rejected(() -> patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"" + "v".repeat(LIMIT) + "\"}}"),
				(response) -> assertStatus(response, 413, expected));
	}

	@Test
	@DisplayName("A7: unknown resources give the plain-text 404 for every method, watch included")
	void unknownResource() {
		for (String path : List.of("/api/v1/namespaces/default/gizmos", "/apis/nope.example.com/v1/namespaces/default/gizmos",
				"/apis/apps/v1/namespaces/default/gizmos")) {
			rejected(() -> get(path), ConformanceSupport::assertPlainNotFound);
			rejected(() -> get(path + "?watch=true"), ConformanceSupport::assertPlainNotFound);
			rejected(() -> post(path, "{\"apiVersion\":\"v1\",\"kind\":\"Gizmo\",\"metadata\":{\"name\":\"g\"}}"),
					ConformanceSupport::assertPlainNotFound);
			rejected(() -> put(path + "/g", "{\"apiVersion\":\"v1\",\"kind\":\"Gizmo\",\"metadata\":{\"name\":\"g\"}}"),
					ConformanceSupport::assertPlainNotFound);
			rejected(() -> patch(path + "/g", MERGE_PATCH, "{}"), ConformanceSupport::assertPlainNotFound);
			rejected(() -> delete(path + "/g"), ConformanceSupport::assertPlainNotFound);
			rejected(() -> delete(path), ConformanceSupport::assertPlainNotFound);
		}
	}

	@Test
	@DisplayName("I10: an unsupported body content type on POST/PUT gives 415 with the accepted types")
	void unsupportedContentType() {
		String expected = failure("the body of the request was in an unknown format - accepted media types include: "
				+ "application/json, application/yaml, application/vnd.kubernetes.protobuf", "UnsupportedMediaType",
				null, 415);
		for (String type : List.of("text/plain", "application/xml", "application/merge-patch+json")) {
			rejected(() -> send("POST", CM, type, bytes(configMap("y"))),
					(response) -> assertStatus(response, 415, expected));
			rejected(() -> send("PUT", CM + "/x", type, bytes(configMap("x"))),
					(response) -> assertStatus(response, 415, expected));
		}
	}

	@Test
	@DisplayName("I10: an unsupported PATCH content type gives 415 and changes nothing")
	void unsupportedPatchContentType() {
		rejected(() -> patch(CM + "/x", "text/plain", "{\"data\":{\"k\":\"2\"}}"),
				(response) -> assertThat(response.code()).isEqualTo(415));
	}

	@Test
	@DisplayName("I6: an invalid label value gives 422 and changes nothing")
	void invalidLabel() {
		rejected(() -> post(CM, configMap("default", "y", Map.of("app", "-bad-"), Map.of())), (response) -> {
			assertThat(response.code()).as("%s", response).isEqualTo(422);
			JsonNode cause = response.json().path("details").path("causes").get(0);
			assertThat(cause.path("field").asText()).isEqualTo("metadata.labels");
			assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");
		});
		rejected(() -> patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"labels\":{\"app\":\"-bad-\"}}}"),
				(response) -> assertThat(response.code()).as("%s", response).isEqualTo(422));
	}

	@Test
	@DisplayName("A6/H4: identity conflicts (namespace, name, uid) change nothing")
	void identityConflicts() {
		rejected(() -> post(CM, configMap("other", "y", null, Map.of())), BadInputTest::badRequest);
		rejected(() -> put(CM + "/x", configMap("default", "z", null, Map.of())), BadInputTest::badRequest);
		rejected(() -> put(CM + "/x", configMap("x").replace("\"name\":\"x\"", "\"name\":\"x\",\"uid\":\"nope\"")),
				(response) -> assertThat(response.code()).isEqualTo(422));
	}
}
