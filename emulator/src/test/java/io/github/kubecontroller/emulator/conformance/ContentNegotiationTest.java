package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.D, rule D1 only (Table and PartialObjectMetadata are not implemented yet). */
@DisplayName("1.D Content negotiation (D1)")
class ContentNegotiationTest extends ConformanceSupport {

	@Test
	@DisplayName("D1: kubectl's typed-client Accept (protobuf, json) is answered with JSON")
	void protobufThenJson() {
		createConfigMap("x");
		for (String path : new String[] { CM + "/x", CM, "/api/v1/namespaces/default/events" }) {
			Resp response = get(path, "Accept", "application/vnd.kubernetes.protobuf,application/json");
			assertThat(response.code()).as(path).isEqualTo(200);
			assertThat(response.contentType()).isEqualTo(JSON);
			response.json();
		}
	}

	@Test
	@DisplayName("D1: wildcards and a missing Accept are answered with JSON")
	void wildcards() {
		createConfigMap("x");
		for (String accept : new String[] { "*/*", "application/*", "application/json, */*" }) {
			Resp response = get(CM + "/x", "Accept", accept);
			assertThat(response.code()).as(accept).isEqualTo(200);
			assertThat(response.contentType()).isEqualTo(JSON);
		}
		assertThat(get(CM + "/x").contentType()).isEqualTo(JSON);
	}

	@Test
	@DisplayName("D1: nothing acceptable gives 406 NotAcceptable listing the served media types")
	void notAcceptable() {
		createConfigMap("x");
		String expected = failure(
				"only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
				"NotAcceptable", null, 406);
		assertStatus(get(CM + "/x", "Accept", "application/xml"), 406, expected);
		assertStatus(get(CM, "Accept", "text/html"), 406, expected);
	}

	@Test
	@DisplayName("D1: custom resources also answer 406 NotAcceptable when nothing is acceptable")
	void notAcceptableCustomResource() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{}")));
		// The spec says the CR list has no protobuf; apiextensions-apiserver v0.32.13 customresource_handler.go
		// L861-899 registers protobuf too, and NegotiateOutputMediaType lists every registered type. Only the part
		// both agree on is asserted.
		for (String path : new String[] { WIDGETS + "/w1", WIDGETS }) {
			Resp response = get(path, "Accept", "application/xml");
			assertThat(response.code()).as("%s", response).isEqualTo(406);
			assertThat(response.contentType()).isEqualTo(JSON);
			assertThat(response.json().path("reason").asText()).isEqualTo("NotAcceptable");
			assertThat(response.json().path("message").asText())
				.startsWith("only the following media types are accepted: application/json, application/yaml");
		}
	}
}
