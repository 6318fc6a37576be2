package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.H: writes, metadata, resourceVersion and generation. */
@DisplayName("1.H Writes")
class WritesTest extends ConformanceSupport {

	static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

	static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases";

	static String deployment(String name, String image, String extraMetadata) {
		return """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"%s},
				 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
				  "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"%s"}]}}}}"""
			.formatted(name, extraMetadata, image);
	}

	@Test
	@DisplayName("H1: POST gives 201 with uid, RFC3339 creationTimestamp, decimal resourceVersion; ConfigMap has no generation")
	void create() {
		Resp response = post(CM, configMap("x"));
		assertThat(response.code()).isEqualTo(201);
		assertThat(response.contentType()).isEqualTo(JSON);
		JsonNode metadata = response.json().path("metadata");
		assertThat(metadata.path("uid").asText())
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(metadata.path("creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(metadata.path("resourceVersion").asText()).matches("[1-9][0-9]*");
		assertThat(metadata.has("generation")).isFalse();
		assertThat(ok(get(CM + "/x"))).isEqualTo(response.json());
	}

	@Test
	@DisplayName("H1: generateName appends 5 characters from bcdfghjklmnpqrstvwxz2456789, prefix cut to 58")
	void generateName() {
		JsonNode first = created(post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"}}"));
		assertThat(first.path("metadata").path("name").asText()).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
		assertThat(first.path("metadata").path("generateName").asText()).isEqualTo("gen-");
		String longPrefix = "p".repeat(70);
		JsonNode second = created(post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\""
				+ longPrefix + "\"}}"));
		assertThat(second.path("metadata").path("name").asText())
			.matches("p{58}[bcdfghjklmnpqrstvwxz2456789]{5}");
	}

	@Test
	@DisplayName("H1: a missing name gives 422 'name or generateName is required'")
	void missingName() {
		long before = this.emulator.resourceVersion();
		assertStatus(post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}"), 422,
				invalid("ConfigMap", "", "", "ConfigMap", "metadata.name", "FieldValueRequired",
						"Required value: name or generateName is required"));
		assertThat(this.emulator.resourceVersion()).isEqualTo(before);
	}

	@Test
	@DisplayName("H1/I3: an existing name gives 409 AlreadyExists")
	void alreadyExists() {
		JsonNode x = createConfigMap("x");
		assertStatus(post(CM, configMap("default", "x", null, Map.of("other", "data"))), 409,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
						+ "\"message\":\"configmaps \\\"x\\\" already exists\",\"reason\":\"AlreadyExists\","
						+ "\"details\":{\"name\":\"x\",\"kind\":\"configmaps\"},\"code\":409}");
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("H1: clients cannot set deletionTimestamp or generation on create")
	void systemFieldsOnCreate() {
		JsonNode cm = created(post(CM, configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"deletionTimestamp\":\"2020-01-01T00:00:00Z\",\"deletionGracePeriodSeconds\":5")));
		assertThat(cm.path("metadata").has("deletionTimestamp")).isFalse();
		assertThat(cm.path("metadata").has("deletionGracePeriodSeconds")).isFalse();
		JsonNode deploy = created(post(DEPLOYMENTS, deployment("d", "nginx", ",\"generation\":7")));
		assertThat(deploy.path("metadata").path("generation").asLong()).isEqualTo(1);
	}

	@Test
	@DisplayName("H2: every write takes the next value of one cluster-wide counter, across kinds")
	void singleCounter() {
		long start = this.emulator.resourceVersion();
		long a = rvNum(createConfigMap("a"));
		long lease = rvNum(created(post(LEASES,
				"{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\"}}")));
		long patched = rvNum(ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}")));
		long leaseUpdated = rvNum(ok(patch(LEASES + "/l", MERGE_PATCH, "{\"spec\":{\"holderIdentity\":\"me\"}}")));
		ok(delete(CM + "/a"));
		long deleted = this.emulator.resourceVersion();
		assertThat(new long[] { a, lease, patched, leaseUpdated, deleted }).containsExactly(start + 1, start + 2,
				start + 3, start + 4, start + 5);
		assertThat(rvNum(ok(get(LEASES)))).isEqualTo(deleted);
		assertThat(rvNum(ok(get(CM)))).isEqualTo(deleted);
	}

	@Test
	@DisplayName("H3: PUT gives 200; a stale resourceVersion gives 409 Conflict")
	void updateConflict() {
		JsonNode x = createConfigMap("x");
		String withRv = configMap("default", "x", null, Map.of("k", "2")).replace("\"name\":\"x\"",
				"\"name\":\"x\",\"resourceVersion\":\"" + rv(x) + "\"");
		JsonNode updated = ok(put(CM + "/x", withRv));
		assertThat(updated.path("data").path("k").asText()).isEqualTo("2");
		assertStatus(put(CM + "/x", withRv.replace("\"k\":\"2\"", "\"k\":\"3\"")), 409,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
						+ "\"Operation cannot be fulfilled on configmaps \\\"x\\\": the object has been modified; please "
						+ "apply your changes to the latest version and try again\",\"reason\":\"Conflict\","
						+ "\"details\":{\"name\":\"x\",\"kind\":\"configmaps\"},\"code\":409}");
		assertThat(ok(get(CM + "/x")).path("data").path("k").asText()).isEqualTo("2");
	}

	@Test
	@DisplayName("H3: a ConfigMap PUT without resourceVersion is an unconditional overwrite")
	void unconditionalUpdate() {
		createConfigMap("x");
		ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		JsonNode updated = ok(put(CM + "/x", configMap("default", "x", null, Map.of("k", "3"))));
		assertThat(updated.path("data").path("k").asText()).isEqualTo("3");
	}

	@Test
	@DisplayName("H3: PUT of a missing ConfigMap is 404; a Lease (AllowCreateOnUpdate) is created with 201")
	void putMissing() {
		assertStatus(put(CM + "/x", configMap("x")), 404,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
						+ "\"message\":\"configmaps \\\"x\\\" not found\",\"reason\":\"NotFound\","
						+ "\"details\":{\"name\":\"x\",\"kind\":\"configmaps\"},\"code\":404}");
		Resp lease = put(LEASES + "/l",
				"{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\"}}");
		assertThat(lease.code()).as("%s", lease).isEqualTo(201);
		Resp dryRun = put(LEASES + "/dry?dryRun=All",
				"{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"dry\"}}");
		assertThat(dryRun.code()).as("%s", dryRun).isEqualTo(201);
		assertThat(dryRun.json().path("metadata").path("name").asText()).isEqualTo("dry");
		assertThat(get(LEASES + "/dry").code()).as("a dry-run PUT stores nothing").isEqualTo(404);
	}

	@Test
	@DisplayName("H4: changing metadata.uid gives 422 'field is immutable'")
	void immutableUid() {
		JsonNode x = createConfigMap("x");
		assertStatus(put(CM + "/x", configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"uid\":\"11111111-2222-3333-4444-555555555555\"")), 422,
				invalid("ConfigMap", "x", "", "ConfigMap", "metadata.uid", "FieldValueInvalid",
						"Invalid value: \"11111111-2222-3333-4444-555555555555\": field is immutable"));
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("H4: an old creationTimestamp is silently restored; generation cannot be written")
	void restoredSystemFields() {
		JsonNode x = createConfigMap("x");
		JsonNode updated = ok(put(CM + "/x", configMap("default", "x", null, Map.of("k", "2")).replace("\"name\":\"x\"",
				"\"name\":\"x\",\"creationTimestamp\":\"2001-01-01T00:00:00Z\"")));
		assertThat(updated.path("metadata").path("creationTimestamp")).isEqualTo(x.path("metadata").path("creationTimestamp"));

		JsonNode d = created(post(DEPLOYMENTS, deployment("d", "nginx", "")));
		JsonNode written = ok(patch(DEPLOYMENTS + "/d", MERGE_PATCH, "{\"metadata\":{\"generation\":42}}"));
		assertThat(written.path("metadata").path("generation").asLong()).isEqualTo(1);
		assertThat(rv(written)).isEqualTo(rv(d));
	}

	@Test
	@DisplayName("H4: setting deletionTimestamp on a live object gives 422 immutable")
	void deletionTimestampOnLiveObject() {
		createConfigMap("x");
		Resp response = put(CM + "/x", configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"deletionTimestamp\":\"2030-01-01T00:00:00Z\""));
		assertThat(response.code()).as("%s", response).isEqualTo(422);
		JsonNode status = response.json();
		assertThat(status.path("reason").asText()).isEqualTo("Invalid");
		assertThat(status.path("details").path("causes").get(0).path("field").asText())
			.isEqualTo("metadata.deletionTimestamp");
		assertThat(status.path("message").asText()).startsWith("ConfigMap \"x\" is invalid: metadata.deletionTimestamp: ")
			.endsWith("field is immutable");
		assertThat(ok(get(CM + "/x")).path("metadata").has("deletionTimestamp")).isFalse();
	}

	@Test
	@DisplayName("H5: CR generation: 1 on create, +1 on spec change, not on metadata, status or /status writes")
	void customResourceGenerationWithStatus() {
		createWidgetCrd(true);
		JsonNode w = created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		assertThat(w.path("metadata").path("generation").asLong()).isEqualTo(1);
		assertThat(generation(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"))))
			.isEqualTo(1);
		assertThat(generation(ok(patch(WIDGETS + "/w1/status", MERGE_PATCH, "{\"status\":{\"phase\":\"Ready\"}}"))))
			.isEqualTo(1);
		assertThat(generation(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"status\":{\"phase\":\"Other\"}}"))))
			.isEqualTo(1);
		assertThat(generation(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"spec\":{\"size\":2}}")))).isEqualTo(2);
		assertThat(generation(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"other\":{\"top\":true}}")))).isEqualTo(3);
	}

	@Test
	@DisplayName("H5: without a status subresource a .status change bumps generation too")
	void customResourceGenerationWithoutStatus() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		assertThat(generation(ok(patch(WIDGETS + "/w1", MERGE_PATCH, "{\"status\":{\"phase\":\"Ready\"}}"))))
			.isEqualTo(2);
	}

	@Test
	@DisplayName("H5: first deletionTimestamp on a CR with finalizers bumps generation")
	void customResourceGenerationOnDelete() {
		createWidgetCrd(false);
		created(post(WIDGETS, widget("w1", "{}").replace("\"namespace\":\"default\"",
				"\"namespace\":\"default\",\"finalizers\":[\"example.com/hold\"]")));
		JsonNode deleting = ok(delete(WIDGETS + "/w1"));
		assertThat(generation(deleting)).isEqualTo(2);
	}

	@Test
	@DisplayName("H6: Deployment generation is 1 on create and bumps on spec change, not on label change")
	void deploymentGeneration() {
		JsonNode d = created(post(DEPLOYMENTS, deployment("d", "nginx", "")));
		assertThat(generation(d)).isEqualTo(1);
		assertThat(generation(ok(patch(DEPLOYMENTS + "/d", MERGE_PATCH, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"))))
			.isEqualTo(1);
		assertThat(generation(ok(patch(DEPLOYMENTS + "/d", MERGE_PATCH, "{\"spec\":{\"replicas\":3}}"))))
			.isEqualTo(2);
	}

	@Test
	@DisplayName("H7: non-apply writes record an Update managedFields entry for fieldManager")
	void managedFieldsFromFieldManager() {
		JsonNode x = created(post(CM + "?fieldManager=tester", configMap("x")));
		JsonNode entry = x.path("metadata").path("managedFields").get(0);
		assertThat(entry).as("managedFields of %s", x).isNotNull();
		assertThat(entry.path("manager").asText()).isEqualTo("tester");
		assertThat(entry.path("operation").asText()).isEqualTo("Update");
		assertThat(entry.path("apiVersion").asText()).isEqualTo("v1");
		assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
		assertThat(entry.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
	}

	@Test
	@DisplayName("H7: without fieldManager the manager is the User-Agent up to the first '/'")
	void managedFieldsFromUserAgent() {
		JsonNode x = created(post(CM, configMap("x"), "User-Agent", "my-controller/1.2 (linux/amd64)"));
		JsonNode entry = x.path("metadata").path("managedFields").get(0);
		assertThat(entry).as("managedFields of %s", x).isNotNull();
		assertThat(entry.path("manager").asText()).isEqualTo("my-controller");
		assertThat(entry.path("operation").asText()).isEqualTo("Update");
	}

	@Test
	@DisplayName("H8: fieldValidation=Strict rejects unknown fields on POST/PUT with 400 'strict decoding error'")
	void strictCreate() {
		String body = configMap("x").replace("\"data\":", "\"foo\":1,\"data\":");
		assertStatus(post(CM + "?fieldValidation=Strict", body), 400, failure(
				"ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"foo\"",
				"BadRequest", null, 400));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
		createConfigMap("x");
		assertStatus(put(CM + "/x?fieldValidation=Strict", body), 400, failure(
				"ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"foo\"",
				"BadRequest", null, 400));
	}

	@Test
	@DisplayName("H8: fieldValidation=Strict on PATCH gives 422 with a 'patch' cause")
	void strictPatch() {
		JsonNode x = createConfigMap("x");
		Resp response = patch(CM + "/x?fieldValidation=Strict", MERGE_PATCH, "{\"foo\":1}");
		assertThat(response.code()).as("%s", response).isEqualTo(422);
		JsonNode status = response.json();
		assertThat(status.path("reason").asText()).isEqualTo("Invalid");
		assertThat(status.path("details").path("causes").get(0).path("field").asText()).isEqualTo("patch");
		assertThat(status.path("message").asText()).contains("strict decoding error: unknown field \"foo\"");
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
	}

	@Test
	@DisplayName("H8: fieldValidation=Warn accepts, drops the field and sends a 299 Warning header; Ignore is silent")
	void warnAndIgnore() {
		String body = configMap("x").replace("\"data\":", "\"foo\":1,\"data\":");
		Resp warned = post(CM + "?fieldValidation=Warn", body);
		assertThat(warned.code()).isEqualTo(201);
		assertThat(warned.json().has("foo")).isFalse();
		assertThat(warned.header("Warning")).get().asString().startsWith("299 - \"unknown field").contains("foo");

		Resp ignored = post(CM + "?fieldValidation=Ignore", body.replace("\"name\":\"x\"", "\"name\":\"y\""));
		assertThat(ignored.code()).isEqualTo(201);
		assertThat(ignored.json().has("foo")).isFalse();
		assertThat(ignored.header("Warning")).isEmpty();
	}

	private static long generation(JsonNode object) {
		return object.path("metadata").path("generation").asLong();
	}
}
