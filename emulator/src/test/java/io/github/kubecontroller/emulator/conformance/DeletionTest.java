package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.K, rules K1–K5 and K10; garbage collection (K6, K7) is in GarbageCollectionTest. */
@DisplayName("1.K Deletion and finalizers")
class DeletionTest extends ConformanceSupport {

	private JsonNode createWithFinalizers(String name, String finalizersJson) {
		return created(post(CM, configMap(name).replace("\"name\":\"" + name + "\"",
				"\"name\":\"" + name + "\",\"finalizers\":" + finalizersJson)));
	}

	@Test
	@DisplayName("K1: immediate delete answers a Success Status with name, kind and uid; watchers see DELETED")
	void immediateDelete() {
		JsonNode x = createConfigMap("x");
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(x));
		Resp response = delete(CM + "/x", "{\"propagationPolicy\":\"Background\"}");
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo(JSON);
		assertThat(response.raw()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
				+ "\"status\":\"Success\",\"details\":{\"name\":\"x\",\"kind\":\"configmaps\",\"uid\":\""
				+ x.path("metadata").path("uid").asText() + "\"}}");
		JsonNode event = watch.next();
		WatchTest.assertEvent(event, "DELETED", "x", Long.toString(this.emulator.resourceVersion()));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("K1: a custom resource delete Status carries the group")
	void immediateDeleteCustomResource() {
		createWidgetCrd(false);
		JsonNode w = created(post(WIDGETS, widget("w1", "{}")));
		Resp response = delete(WIDGETS + "/w1");
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.raw()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
				+ "\"status\":\"Success\",\"details\":{\"name\":\"w1\",\"group\":\"example.com\",\"kind\":\"widgets\","
				+ "\"uid\":\"" + w.path("metadata").path("uid").asText() + "\"}}");
	}

	@Test
	@DisplayName("K1: a Pod (ReturnDeletedObject) delete returns the object")
	void podReturnsObject() {
		created(post("/api/v1/namespaces/default/pods", """
				{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
				 "spec":{"containers":[{"name":"c","image":"busybox"}]}}"""));
		JsonNode deleted = ok(delete("/api/v1/namespaces/default/pods/p"));
		assertThat(deleted.path("kind").asText()).isEqualTo("Pod");
		assertThat(deleted.path("metadata").path("name").asText()).isEqualTo("p");
		assertThat(get("/api/v1/namespaces/default/pods/p").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("K2: delete with finalizers answers 200 with the object: deletionTimestamp, grace 0, new RV, MODIFIED event")
	void deleteWithFinalizers() {
		JsonNode x = createWithFinalizers("x", "[\"example.com/hold\"]");
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(x));
		Resp response = delete(CM + "/x", "{\"propagationPolicy\":\"Background\"}");
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		JsonNode deleting = response.json();
		assertThat(deleting.path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(deleting.path("metadata").path("deletionTimestamp").asText())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(deleting.path("metadata").path("deletionGracePeriodSeconds").isIntegralNumber()).isTrue();
		assertThat(deleting.path("metadata").path("deletionGracePeriodSeconds").asLong()).isZero();
		assertThat(rvNum(deleting)).isGreaterThan(rvNum(x));
		WatchTest.assertEvent(watch.next(), "MODIFIED", "x", rv(deleting));
		assertThat(ok(get(CM + "/x"))).isEqualTo(deleting);
	}

	@Test
	@DisplayName("K2/H5: marking a Deployment with finalizers as deleting bumps its generation")
	void deleteBumpsGeneration() {
		created(post(WritesTest.DEPLOYMENTS,
				WritesTest.deployment("d", "nginx", ",\"finalizers\":[\"example.com/hold\"]")));
		JsonNode deleting = ok(delete(WritesTest.DEPLOYMENTS + "/d"));
		assertThat(deleting.path("metadata").path("generation").asLong()).isEqualTo(2);
	}

	@Test
	@DisplayName("K3: a repeated DELETE while terminating is a no-op: 200, same object, same RV, no event")
	void repeatDelete() {
		JsonNode x = createWithFinalizers("x", "[\"example.com/hold\"]");
		JsonNode first = ok(delete(CM + "/x"));
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(first));
		JsonNode second = ok(delete(CM + "/x"));
		assertThat(second).isEqualTo(first);
		assertThat(this.emulator.resourceVersion()).isEqualTo(rvNum(first));
		JsonNode y = createConfigMap("y");
		WatchTest.assertEvent(watch.next(), "ADDED", "y", rv(y));
		assertThat(rvNum(first)).isGreaterThan(rvNum(x));
	}

	@Test
	@DisplayName("K4: removing the last finalizer (patch or update) deletes the object in the same write")
	void finalizerRemovalCompletesDeletion() {
		createWithFinalizers("x", "[\"example.com/hold\"]");
		createWithFinalizers("y", "[\"example.com/hold\"]");
		ok(delete(CM + "/x"));
		JsonNode y = ok(delete(CM + "/y"));
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion());

		JsonNode patched = ok(patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		assertThat(patched.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		assertThat(patched.path("metadata").has("finalizers")).isFalse();
		assertThat(get(CM + "/x").code()).isEqualTo(404);
		JsonNode deletedX = watch.next();
		assertThat(deletedX.path("type").asText()).isEqualTo("DELETED");
		assertThat(deletedX.path("object").path("metadata").path("name").asText()).isEqualTo("x");

		((com.fasterxml.jackson.databind.node.ObjectNode) y.path("metadata")).remove("managedFields");
		String withoutFinalizers = y.toString().replace(",\"finalizers\":[\"example.com/hold\"]", "");
		assertThat(withoutFinalizers).doesNotContain("finalizers");
		JsonNode updated = ok(put(CM + "/y", withoutFinalizers));
		assertThat(updated.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		assertThat(get(CM + "/y").code()).isEqualTo(404);
		JsonNode deletedY = watch.next();
		assertThat(deletedY.path("type").asText()).isEqualTo("DELETED");
		assertThat(deletedY.path("object").path("metadata").path("name").asText()).isEqualTo("y");
	}

	@Test
	@DisplayName("K5: adding a finalizer while deleting gives 422 Forbidden; removing or reordering is allowed")
	void noNewFinalizersWhileDeleting() {
		createWithFinalizers("x", "[\"a.io/one\",\"b.io/two\"]");
		JsonNode deleting = ok(delete(CM + "/x"));
		assertStatus(patch(CM + "/x", MERGE_PATCH,
				"{\"metadata\":{\"finalizers\":[\"a.io/one\",\"b.io/two\",\"y.io/new\"]}}"), 422,
				invalid("ConfigMap", "x", "", "ConfigMap", "metadata.finalizers", "FieldValueForbidden",
						"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"y.io/new\"}"));
		assertThat(ok(get(CM + "/x"))).isEqualTo(deleting);

		JsonNode reordered = ok(patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"finalizers\":[\"b.io/two\",\"a.io/one\"]}}"));
		assertThat(DiscoveryTest.texts(reordered.path("metadata").path("finalizers"))).containsExactly("b.io/two",
				"a.io/one");
		JsonNode fewer = ok(patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"finalizers\":[\"a.io/one\"]}}"));
		assertThat(DiscoveryTest.texts(fewer.path("metadata").path("finalizers"))).containsExactly("a.io/one");
	}

	@Test
	@DisplayName("K5: orphan and foregroundDeletion together give 422")
	void orphanAndForeground() {
		assertStatus(post(CM, configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"finalizers\":[\"orphan\",\"foregroundDeletion\"]")), 422,
				invalid("ConfigMap", "x", "", "ConfigMap", "metadata.finalizers", "FieldValueInvalid",
						"Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set"));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("K10: a UID precondition mismatch gives 409 naming the Kind")
	void uidPrecondition() {
		JsonNode x = createConfigMap("x");
		String uid = x.path("metadata").path("uid").asText();
		assertStatus(delete(CM + "/x", "{\"preconditions\":{\"uid\":\"other-uid\"}}"), 409,
				failure("Operation cannot be fulfilled on ConfigMap \"x\": the UID in the precondition (other-uid) does "
						+ "not match the UID in record (" + uid + "). The object might have been deleted and then recreated",
						"Conflict", "{\"name\":\"x\",\"kind\":\"ConfigMap\"}", 409));
		assertThat(ok(get(CM + "/x"))).isEqualTo(x);
		ok(delete(CM + "/x", "{\"preconditions\":{\"uid\":\"" + uid + "\"}}"));
		assertThat(get(CM + "/x").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("K10: a resourceVersion precondition mismatch gives 409 naming the Kind")
	void resourceVersionPrecondition() {
		JsonNode x = createConfigMap("x");
		JsonNode changed = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		assertStatus(delete(CM + "/x", "{\"preconditions\":{\"resourceVersion\":\"" + rv(x) + "\"}}"), 409,
				failure("Operation cannot be fulfilled on ConfigMap \"x\": the ResourceVersion in the precondition ("
						+ rv(x) + ") does not match the ResourceVersion in record (" + rv(changed)
						+ "). The object might have been modified", "Conflict", "{\"name\":\"x\",\"kind\":\"ConfigMap\"}",
						409));
		assertThat(ok(get(CM + "/x"))).isEqualTo(changed);
		ok(delete(CM + "/x", "{\"preconditions\":{\"resourceVersion\":\"" + rv(changed) + "\"}}"));
	}
}
