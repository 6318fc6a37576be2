package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.L: label and field selectors over HTTP. */
@DisplayName("1.L Label and field selectors")
class SelectorTest extends ConformanceSupport {

	private static final String EVENTS = "/api/v1/namespaces/default/events";

	@BeforeEach
	void objects() {
		createConfigMap("default", "a", Map.of("env", "prod", "tier", "web", "ver", "5"), Map.of());
		createConfigMap("default", "b", Map.of("env", "dev", "ver", "2"), Map.of());
		createConfigMap("default", "c", null, Map.of());
		createConfigMap("default", "d", Map.of("env", ""), Map.of());
	}

	private List<String> labelled(String selector) {
		return names(ok(get(CM + "?labelSelector=" + urlEncode(selector))));
	}

	private List<String> fielded(String path, String selector) {
		return names(ok(get(path + "?fieldSelector=" + urlEncode(selector))));
	}

	@Test
	@DisplayName("L1: existence, equality and inequality (!= also matches objects without the key)")
	void labelEquality() {
		assertThat(labelled("env")).containsExactly("a", "b", "d");
		assertThat(labelled("!env")).containsExactly("c");
		assertThat(labelled("env=prod")).containsExactly("a");
		assertThat(labelled("env==prod")).containsExactly("a");
		assertThat(labelled("env!=prod")).containsExactly("b", "c", "d");
		assertThat(labelled("env=")).containsExactly("d");
		assertThat(labelled("env=prod,tier=web")).containsExactly("a");
		assertThat(labelled("env=prod,tier=db")).isEmpty();
		assertThat(labelled("")).containsExactly("a", "b", "c", "d");
	}

	@Test
	@DisplayName("L1: set operators in / notin (notin also matches objects without the key) and integer > <")
	void labelSets() {
		assertThat(labelled("env in (prod,dev)")).containsExactly("a", "b");
		assertThat(labelled("env in (prod, dev)")).containsExactly("a", "b");
		assertThat(labelled("env notin (prod)")).containsExactly("b", "c", "d");
		assertThat(labelled("ver>3")).containsExactly("a");
		assertThat(labelled("ver<3")).containsExactly("b");
	}

	@Test
	@DisplayName("L1: invalid label selectors give 400 BadRequest")
	void invalidLabelSelectors() {
		for (String selector : List.of("env in (prod", "=x", "env in", "a b", "ver>x")) {
			Resp response = get(CM + "?labelSelector=" + urlEncode(selector));
			assertThat(response.code()).as(selector).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo(JSON);
			assertThat(response.json().path("reason").asText()).isEqualTo("BadRequest");
		}
	}

	@Test
	@DisplayName("L2: field selectors =, ==, != and conjunctions on metadata.name / metadata.namespace")
	void fieldOperators() {
		assertThat(fielded(CM, "metadata.name=a")).containsExactly("a");
		assertThat(fielded(CM, "metadata.name==a")).containsExactly("a");
		assertThat(fielded(CM, "metadata.name!=a")).containsExactly("b", "c", "d");
		assertThat(fielded(CM, "metadata.name!=a,metadata.name!=b")).containsExactly("c", "d");
		assertThat(fielded("/api/v1/configmaps", "metadata.namespace=default")).containsExactly("a", "b", "c", "d");
		assertThat(fielded("/api/v1/configmaps", "metadata.namespace=kube-system")).isEmpty();
	}

	@Test
	@DisplayName("L2: set operators and malformed terms give 400 'invalid selector: ...; can't understand ...'")
	void invalidFieldSelectors() {
		assertStatus(get(CM + "?fieldSelector=" + urlEncode("metadata.name=a,foo")), 400,
				failure("invalid selector: 'metadata.name=a,foo'; can't understand 'foo'", "BadRequest", null, 400));
		assertStatus(get(CM + "?fieldSelector=" + urlEncode("metadata.name in (a)")), 400,
				failure("invalid selector: 'metadata.name in (a)'; can't understand 'metadata.name in (a)'",
						"BadRequest", null, 400));
	}

	@Test
	@DisplayName("L2: escaped \\, and \\= in field selector values")
	void escapedValues() {
		created(post(EVENTS, event("e1", "x", "a,b=c", "Normal")));
		created(post(EVENTS, event("e2", "x", "plain", "Normal")));
		assertThat(fielded(EVENTS, "reason=a\\,b\\=c")).containsExactly("e1");
		assertThat(fielded(EVENTS, "reason!=a\\,b\\=c")).containsExactly("e2");
	}

	@Test
	@DisplayName("L3: an unknown field on a ConfigMap gives 400 'is not a known field selector'")
	void unknownFieldGeneric() {
		assertStatus(get(CM + "?fieldSelector=foo.bar%3Dx"), 400, failure(
				"\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
				"BadRequest", null, 400));
	}

	@Test
	@DisplayName("L3: Secrets support type; unknown fields give 400 'field label not supported'")
	void secretFields() {
		created(post("/api/v1/namespaces/default/secrets",
				"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\"},\"type\":\"Opaque\"}"));
		created(post("/api/v1/namespaces/default/secrets", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
				+ "\"metadata\":{\"name\":\"s2\"},\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"\",\"tls.key\":\"\"}}"));
		assertThat(fielded("/api/v1/namespaces/default/secrets", "type=Opaque")).containsExactly("s1");
		assertStatus(get("/api/v1/namespaces/default/secrets?fieldSelector=foo.bar%3Dx"), 400,
				failure("field label not supported: foo.bar", "BadRequest", null, 400));
	}

	@Test
	@DisplayName("L3: core/v1 Events support involvedObject.*, reason, source and type (kubectl describe)")
	void eventFields() {
		created(post(EVENTS, event("e1", "x", "Created", "Normal")));
		created(post(EVENTS, event("e2", "y", "Failed", "Warning")));
		assertThat(fielded(EVENTS, "involvedObject.name=x,involvedObject.namespace=default,"
				+ "involvedObject.kind=ConfigMap,involvedObject.uid=uid-x")).containsExactly("e1");
		assertThat(fielded(EVENTS, "involvedObject.apiVersion=v1,involvedObject.fieldPath=spec")).containsExactly(
				"e1", "e2");
		assertThat(fielded(EVENTS, "involvedObject.resourceVersion=7")).containsExactly("e1", "e2");
		assertThat(fielded(EVENTS, "reason=Failed")).containsExactly("e2");
		assertThat(fielded(EVENTS, "type=Warning")).containsExactly("e2");
		assertThat(fielded(EVENTS, "source=tester")).containsExactly("e1", "e2");
		// kubectl describe's exact request
		Resp describe = get(EVENTS + "?fieldSelector=involvedObject.name%3Dx%2CinvolvedObject.namespace%3Ddefault%2C"
				+ "involvedObject.kind%3DConfigMap%2CinvolvedObject.uid%3Duid-x&limit=500", "Accept",
				"application/vnd.kubernetes.protobuf,application/json");
		assertThat(names(ok(describe))).containsExactly("e1");
	}

	@Test
	@DisplayName("L3: namespaces support status.phase; pods support spec.nodeName and status.phase")
	void namespaceAndPodFields() {
		assertThat(fielded("/api/v1/namespaces", "status.phase=Active")).contains("default", "kube-system");
		created(post("/api/v1/namespaces/default/pods", """
				{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
				 "spec":{"containers":[{"name":"c","image":"busybox"}]}}"""));
		assertThat(fielded("/api/v1/namespaces/default/pods", "spec.nodeName=")).containsExactly("p");
		assertThat(fielded("/api/v1/namespaces/default/pods", "status.phase=Pending")).containsExactly("p");
		assertThat(fielded("/api/v1/namespaces/default/pods", "spec.nodeName=node-1")).isEmpty();
	}

	@Test
	@DisplayName("L3: custom resources support metadata.name/namespace and CRD selectableFields; others give 400")
	void customResourceFields() {
		createCrd(widgetCrd("Namespaced", crdVersion("v1", true, true, false))
			.replace("\"storage\":true,", "\"storage\":true,\"selectableFields\":[{\"jsonPath\":\".spec.color\"}],"),
				"widgets.example.com");
		created(post(WIDGETS, widget("red", "{\"color\":\"red\"}")));
		created(post(WIDGETS, widget("blue", "{\"color\":\"blue\"}")));
		assertThat(fielded(WIDGETS, "metadata.name=red")).containsExactly("red");
		assertThat(fielded(WIDGETS, "metadata.namespace=default")).containsExactly("blue", "red");
		assertThat(fielded(WIDGETS, "spec.color=blue")).containsExactly("blue");
		Resp unknown = get(WIDGETS + "?fieldSelector=foo.bar%3Dx");
		assertThat(unknown.code()).as("%s", unknown).isEqualTo(400);
		assertThat(unknown.json().path("reason").asText()).isEqualTo("BadRequest");
		assertThat(unknown.json().path("message").asText()).contains("foo.bar");
	}

	@Test
	@DisplayName("L1/L2: selectors apply to watches too")
	void selectorsOnWatch() {
		WatchConnection watch = watch(CM + "?watch=true&labelSelector=" + urlEncode("env in (qa)")
				+ "&fieldSelector=" + urlEncode("metadata.name!=skip") + "&resourceVersion="
				+ this.emulator.resourceVersion());
		createConfigMap("default", "skip", Map.of("env", "qa"), Map.of());
		createConfigMap("default", "other", Map.of("env", "prod"), Map.of());
		JsonNode hit = createConfigMap("default", "hit", Map.of("env", "qa"), Map.of());
		WatchTest.assertEvent(watch.next(), "ADDED", "hit", rv(hit));
	}

	private static String event(String name, String object, String reason, String type) {
		return """
				{"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","namespace":"default"},
				 "involvedObject":{"kind":"ConfigMap","namespace":"default","name":"%s","uid":"uid-%s",
				   "apiVersion":"v1","resourceVersion":"7","fieldPath":"spec"},
				 "reason":%s,"message":"m","type":"%s","source":{"component":"tester"},
				 "firstTimestamp":"2026-01-01T00:00:00Z","lastTimestamp":"2026-01-01T00:00:00Z","count":1}"""
			.formatted(name, object, object, quote(reason), type);
	}
}
