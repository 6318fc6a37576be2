package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 1.K, rules K3, K6, K7 and K9: propagation policies and the garbage collector. The emulator collects
 * synchronously, but the tests wait as they would against a real cluster, where the collector runs later.
 */
@DisplayName("1.K Garbage collection and propagation policies")
class GarbageCollectionTest extends ConformanceSupport {

	private static final String PODS = "/api/v1/namespaces/default/pods";

	private static final String HOLD = "example.com/hold";

	// ------------------------------------------------------------------ helpers

	/** One ownerReferences entry; {@code block} null leaves blockOwnerDeletion out. */
	static String ref(String apiVersion, String kind, JsonNode owner, Boolean block) {
		return "{\"apiVersion\":" + quote(apiVersion) + ",\"kind\":" + quote(kind) + ",\"name\":"
				+ quote(owner.path("metadata").path("name").asText()) + ",\"uid\":" + quote(uid(owner))
				+ ((block == null) ? "" : ",\"blockOwnerDeletion\":" + block) + "}";
	}

	static String owners(String... refs) {
		return ",\"ownerReferences\":[" + String.join(",", refs) + "]";
	}

	static String finalizers(String... finalizers) {
		return ",\"finalizers\":" + toJson(List.of(finalizers));
	}

	static String uid(JsonNode object) {
		return object.path("metadata").path("uid").asText();
	}

	static String cmBody(String namespace, String name, String extraMetadata) {
		return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":" + quote(name)
				+ ",\"namespace\":" + quote(namespace) + extraMetadata + "},\"data\":{\"k\":\"v\"}}";
	}

	JsonNode cm(String name, String extraMetadata) {
		return created(post(CM, cmBody("default", name, extraMetadata)));
	}

	JsonNode pod(String name, String extraMetadata) {
		return created(post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":" + quote(name)
				+ extraMetadata + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"));
	}

	JsonNode deployment(String name, String extraMetadata) {
		return created(post(WritesTest.DEPLOYMENTS, WritesTest.deployment(name, "nginx", extraMetadata)));
	}

	static String cmRef(JsonNode owner, Boolean block) {
		return ref("v1", "ConfigMap", owner, block);
	}

	static String deploymentRef(JsonNode owner, Boolean block) {
		return ref("apps/v1", "Deployment", owner, block);
	}

	void awaitGone(String path) {
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(get(path).code()).as(path).isEqualTo(404));
	}

	static List<String> ownerUids(JsonNode object) {
		List<String> uids = new ArrayList<>();
		object.path("metadata").path("ownerReferences").forEach((r) -> uids.add(r.path("uid").asText()));
		return uids;
	}

	static List<String> finalizerList(JsonNode object) {
		return DiscoveryTest.texts(object.path("metadata").path("finalizers"));
	}

	// ------------------------------------------------------------------ Background (K6, K7)

	@Test
	@DisplayName("K6/K7: Background delete of a Deployment removes it at once; its ConfigMap and Pod dependents follow")
	void backgroundDeletesDependents() {
		JsonNode d = deployment("d", "");
		cm("owned-cm", owners(deploymentRef(d, true)));
		pod("owned-pod", owners(deploymentRef(d, null)));
		cm("unrelated", "");

		Resp response = delete(WritesTest.DEPLOYMENTS + "/d", "{\"propagationPolicy\":\"Background\"}");
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		assertThat(response.json().path("kind").asText()).isEqualTo("Status");
		assertThat(get(WritesTest.DEPLOYMENTS + "/d").code()).isEqualTo(404);
		awaitGone(CM + "/owned-cm");
		awaitGone(PODS + "/owned-pod");
		ok(get(CM + "/unrelated"));
	}

	@Test
	@DisplayName("K6: a DELETE without options propagates in the background too")
	void defaultIsBackground() {
		JsonNode owner = cm("owner", "");
		cm("dependent", owners(cmRef(owner, null)));
		Resp response = delete(CM + "/owner");
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.json().path("kind").asText()).isEqualTo("Status");
		awaitGone(CM + "/dependent");
	}

	@Test
	@DisplayName("K7: a dependent with a second live owner survives; the dangling reference is dropped")
	void secondOwnerKeepsDependent() {
		JsonNode first = cm("first", "");
		JsonNode second = cm("second", "");
		cm("shared", owners(cmRef(first, true), cmRef(second, false)));

		ok(delete(CM + "/first"));
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(ownerUids(ok(get(CM + "/shared")))).containsExactly(uid(second)));

		ok(delete(CM + "/second"));
		awaitGone(CM + "/shared");
	}

	@Test
	@DisplayName("K7: an ownerReference whose uid does not match the live owner's is dangling")
	void uidMismatchIsDangling() {
		JsonNode owner = cm("owner", "");
		cm("impostor", owners("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"owner\","
				+ "\"uid\":\"00000000-0000-0000-0000-000000000000\"}"));
		awaitGone(CM + "/impostor");
		assertThat(ok(get(CM + "/owner"))).isEqualTo(owner);
	}

	@Test
	@DisplayName("K7: an object created with only dangling ownerReferences is collected; watchers see ADDED, then DELETED")
	void danglingAtCreation() {
		JsonNode owner = cm("owner", "");
		ok(delete(CM + "/owner"));
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion());

		Resp response = post(CM, cmBody("default", "orphaned", owners(cmRef(owner, true))));
		assertThat(response.code()).as("%s", response).isEqualTo(201);
		awaitGone(CM + "/orphaned");
		assertThat(watch.next().path("type").asText()).isEqualTo("ADDED");
		JsonNode deleted = watch.next();
		assertThat(deleted.path("type").asText()).isEqualTo("DELETED");
		assertThat(deleted.path("object").path("metadata").path("name").asText()).isEqualTo("orphaned");
	}

	@Test
	@DisplayName("K7: adding a dangling ownerReference to a live object gets it collected")
	void danglingAddedByPatch() {
		JsonNode gone = cm("gone", "");
		ok(delete(CM + "/gone"));
		cm("victim", "");
		JsonNode patched = ok(patch(CM + "/victim", MERGE_PATCH,
				"{\"metadata\":{\"ownerReferences\":[" + cmRef(gone, null) + "]}}"));
		assertThat(ownerUids(patched)).containsExactly(uid(gone));
		awaitGone(CM + "/victim");
	}

	@Test
	@DisplayName("K7: watchers see DELETED for the owner and for each collected dependent")
	void watchSeesDependentsDeleted() {
		JsonNode owner = cm("owner", "");
		cm("a", owners(cmRef(owner, true)));
		cm("b", owners(cmRef(owner, false)));
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion());

		ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Background\"}"));
		List<String> deleted = new ArrayList<>();
		long lastRv = 0;
		for (int i = 0; i < 3; i++) {
			JsonNode event = watch.next();
			assertThat(event.path("type").asText()).as("%s", event).isEqualTo("DELETED");
			deleted.add(event.path("object").path("metadata").path("name").asText());
			assertThat(rvNum(event.path("object"))).isGreaterThan(lastRv);
			lastRv = rvNum(event.path("object"));
		}
		assertThat(deleted.get(0)).isEqualTo("owner");
		assertThat(deleted).containsExactlyInAnyOrder("owner", "a", "b");
	}

	@Test
	@DisplayName("K7: dependents go through the normal delete path: their own finalizers keep them Terminating")
	void dependentFinalizersHonoured() {
		JsonNode owner = cm("owner", "");
		cm("held", owners(cmRef(owner, null)) + finalizers(HOLD));
		ok(delete(CM + "/owner"));
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(ok(get(CM + "/held")).path("metadata").has("deletionTimestamp")).isTrue());
		ok(patch(CM + "/held", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		awaitGone(CM + "/held");
	}

	@Test
	@DisplayName("K7: a cross-namespace ownerReference is treated as absent")
	void crossNamespaceIsAbsent() {
		createNamespace("other");
		JsonNode owner = cm("owner", "");
		String otherCm = "/api/v1/namespaces/other/configmaps";
		created(post(otherCm, cmBody("other", "elsewhere", owners(cmRef(owner, true)))));
		cm("here", owners(cmRef(owner, true)));

		awaitGone(otherCm + "/elsewhere");
		ok(get(CM + "/here"));
		assertThat(ok(get(CM + "/owner"))).isEqualTo(owner);
	}

	@Test
	@DisplayName("K7: a namespaced dependent may have a cluster-scoped owner; a cluster-scoped one may not name a namespaced owner")
	void scopeRules() {
		JsonNode ownerNs = createNamespace("owner-ns");
		JsonNode cmOwner = cm("cm-owner", "");
		cm("ns-owned", owners(ref("v1", "Namespace", ownerNs, true)));
		JsonNode invalid = created(post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
				+ "\"metadata\":{\"name\":\"invalid-ref\"" + owners(cmRef(cmOwner, null)) + "}}"));

		ok(delete("/api/v1/namespaces/owner-ns"));
		awaitGone("/api/v1/namespaces/owner-ns");
		awaitGone(CM + "/ns-owned");

		// The collector cannot resolve a namespaced owner for a cluster-scoped object and leaves it alone.
		ok(delete(CM + "/cm-owner"));
		assertThat(ownerUids(ok(get("/api/v1/namespaces/invalid-ref")))).containsExactly(uid(cmOwner));
		assertThat(uid(ok(get("/api/v1/namespaces/invalid-ref")))).isEqualTo(uid(invalid));
	}

	@Test
	@DisplayName("K7: an ownerReference to a kind the server does not serve keeps the dependent")
	void unknownOwnerKindKeepsDependent() {
		cm("kept", owners("{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"rs\","
				+ "\"uid\":\"11111111-1111-1111-1111-111111111111\"}"));
		JsonNode kept = ok(get(CM + "/kept"));
		cm("trigger", "");
		ok(delete(CM + "/trigger"));
		assertThat(ok(get(CM + "/kept"))).isEqualTo(kept);
	}

	// ------------------------------------------------------------------ Foreground (K6)

	@Test
	@DisplayName("K6: Foreground keeps the owner (deletionTimestamp, foregroundDeletion) until blocking dependents are gone, "
			+ "including one held by its own finalizer")
	void foreground() {
		JsonNode d = deployment("d", "");
		cm("blocking-held", owners(deploymentRef(d, true)) + finalizers(HOLD));
		cm("blocking-free", owners(deploymentRef(d, true)));
		pod("non-blocking", owners(deploymentRef(d, false)));

		Resp response = delete(WritesTest.DEPLOYMENTS + "/d", "{\"propagationPolicy\":\"Foreground\"}");
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		JsonNode marked = response.json();
		assertThat(marked.path("kind").asText()).isEqualTo("Deployment");
		assertThat(marked.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		assertThat(finalizerList(marked)).containsExactly("foregroundDeletion");

		awaitGone(CM + "/blocking-free");
		awaitGone(PODS + "/non-blocking");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(ok(get(CM + "/blocking-held")).path("metadata").has("deletionTimestamp"))
				.isTrue());
		JsonNode waiting = ok(get(WritesTest.DEPLOYMENTS + "/d"));
		assertThat(finalizerList(waiting)).containsExactly("foregroundDeletion");
		assertThat(waiting.path("metadata").path("deletionTimestamp").asText())
			.isEqualTo(marked.path("metadata").path("deletionTimestamp").asText());

		ok(patch(CM + "/blocking-held", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		awaitGone(CM + "/blocking-held");
		awaitGone(WritesTest.DEPLOYMENTS + "/d");
	}

	@Test
	@DisplayName("K6: a dependent without blockOwnerDeletion does not hold a Foreground owner")
	void foregroundIgnoresNonBlocking() {
		JsonNode owner = cm("owner", "");
		cm("held", owners(cmRef(owner, false)) + finalizers(HOLD));
		JsonNode marked = ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Foreground\"}"));
		assertThat(finalizerList(marked)).containsExactly("foregroundDeletion");
		awaitGone(CM + "/owner");
		assertThat(ok(get(CM + "/held")).path("metadata").has("deletionTimestamp")).isTrue();
	}

	@Test
	@DisplayName("K6: Foreground cascades: a dependent with dependents of its own is deleted in Foreground too")
	void foregroundChain() {
		JsonNode d = deployment("d", "");
		JsonNode child = cm("child", owners(deploymentRef(d, true)));
		cm("grandchild", owners(cmRef(child, true)) + finalizers(HOLD));

		ok(delete(WritesTest.DEPLOYMENTS + "/d", "{\"propagationPolicy\":\"Foreground\"}"));
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(finalizerList(ok(get(CM + "/child")))).containsExactly("foregroundDeletion"));
		assertThat(ok(get(CM + "/grandchild")).path("metadata").has("deletionTimestamp")).isTrue();
		ok(get(WritesTest.DEPLOYMENTS + "/d"));

		ok(patch(CM + "/grandchild", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		awaitGone(CM + "/grandchild");
		awaitGone(CM + "/child");
		awaitGone(WritesTest.DEPLOYMENTS + "/d");
	}

	@Test
	@DisplayName("K6: a Foreground owner with other finalizers keeps them after its dependents are gone")
	void foregroundWithOwnFinalizer() {
		JsonNode owner = cm("owner", finalizers(HOLD));
		cm("dependent", owners(cmRef(owner, true)));
		JsonNode marked = ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Foreground\"}"));
		assertThat(finalizerList(marked)).containsExactly(HOLD, "foregroundDeletion");
		awaitGone(CM + "/dependent");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(finalizerList(ok(get(CM + "/owner")))).containsExactly(HOLD));
		ok(patch(CM + "/owner", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		assertThat(get(CM + "/owner").code()).isEqualTo(404);
	}

	@Test
	@DisplayName("K6: a dry-run Foreground delete answers the object as it would be marked and changes nothing")
	void foregroundDryRun() {
		JsonNode owner = cm("owner", "");
		JsonNode dependent = cm("dependent", owners(cmRef(owner, true)));
		long revision = this.emulator.resourceVersion();
		Resp response = send("DELETE", CM + "/owner?dryRun=All", JSON,
				bytes("{\"propagationPolicy\":\"Foreground\"}"));
		JsonNode marked = ok(response);
		assertThat(finalizerList(marked)).containsExactly("foregroundDeletion");
		assertThat(marked.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
		assertThat(this.emulator.resourceVersion()).isEqualTo(revision);
		assertThat(ok(get(CM + "/owner"))).isEqualTo(owner);
		assertThat(ok(get(CM + "/dependent"))).isEqualTo(dependent);
	}

	// ------------------------------------------------------------------ Orphan (K6)

	@Test
	@DisplayName("K6: Orphan strips the owner from its dependents' ownerReferences, then the owner goes")
	void orphan() {
		JsonNode d = deployment("d", "");
		JsonNode other = cm("other-owner", "");
		cm("only-d", owners(deploymentRef(d, true)));
		cm("two-owners", owners(deploymentRef(d, true), cmRef(other, false)));
		pod("pod", owners(deploymentRef(d, null)));

		Resp response = delete(WritesTest.DEPLOYMENTS + "/d", "{\"propagationPolicy\":\"Orphan\"}");
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		assertThat(finalizerList(response.json())).containsExactly("orphan");
		assertThat(response.json().path("metadata").path("deletionTimestamp").isTextual()).isTrue();

		awaitGone(WritesTest.DEPLOYMENTS + "/d");
		assertThat(ok(get(CM + "/only-d")).path("metadata").has("ownerReferences")).isFalse();
		assertThat(ownerUids(ok(get(CM + "/two-owners")))).containsExactly(uid(other));
		assertThat(ok(get(PODS + "/pod")).path("metadata").has("ownerReferences")).isFalse();
	}

	@Test
	@DisplayName("K6: propagationPolicy=Orphan as a query parameter, and the deprecated orphanDependents=true, orphan too")
	void orphanByQueryAndDeprecatedOption() {
		JsonNode a = cm("a", "");
		cm("a-dep", owners(cmRef(a, true)));
		ok(send("DELETE", CM + "/a?propagationPolicy=Orphan", null, null));
		awaitGone(CM + "/a");
		assertThat(ok(get(CM + "/a-dep")).path("metadata").has("ownerReferences")).isFalse();

		JsonNode b = cm("b", "");
		cm("b-dep", owners(cmRef(b, true)));
		JsonNode marked = ok(delete(CM + "/b", "{\"orphanDependents\":true}"));
		assertThat(finalizerList(marked)).containsExactly("orphan");
		awaitGone(CM + "/b");
		assertThat(ok(get(CM + "/b-dep")).path("metadata").has("ownerReferences")).isFalse();
	}

	@Test
	@DisplayName("K6: an orphan finalizer set on the object picks Orphan when the DELETE names no policy; "
			+ "an explicit Background overrides it")
	void existingFinalizerDecides() {
		JsonNode a = cm("a", finalizers("orphan"));
		cm("a-dep", owners(cmRef(a, true)));
		ok(delete(CM + "/a"));
		awaitGone(CM + "/a");
		assertThat(ok(get(CM + "/a-dep")).path("metadata").has("ownerReferences")).isFalse();

		JsonNode b = cm("b", finalizers("orphan"));
		cm("b-dep", owners(cmRef(b, true)));
		Resp response = delete(CM + "/b", "{\"propagationPolicy\":\"Background\"}");
		assertThat(response.json().path("kind").asText()).as("deleted at once: %s", response).isEqualTo("Status");
		awaitGone(CM + "/b-dep");
	}

	@Test
	@DisplayName("K6: orphanDependents=false means Background")
	void orphanDependentsFalse() {
		JsonNode a = cm("a", "");
		cm("a-dep", owners(cmRef(a, true)));
		Resp response = delete(CM + "/a", "{\"orphanDependents\":false}");
		assertThat(response.code()).isEqualTo(200);
		awaitGone(CM + "/a-dep");
	}

	@Test
	@DisplayName("K9: orphanDependents=false on a delete that a finalizer holds answers 202 with the object")
	void orphanDependentsFalseHeldByFinalizer() {
		cm("held", finalizers(HOLD));
		Resp response = delete(CM + "/held", "{\"orphanDependents\":false}");
		assertThat(response.code()).isEqualTo(202);
		assertThat(response.json().path("metadata").path("deletionTimestamp").isTextual()).isTrue();
	}

	@Test
	@DisplayName("K6: orphanDependents=true as a query parameter orphans the dependents")
	void orphanDependentsQueryParameter() {
		JsonNode a = cm("a", "");
		cm("a-dep", owners(cmRef(a, true)));
		assertThat(delete(CM + "/a?orphanDependents=true").code()).isEqualTo(200);
		awaitGone(CM + "/a");
		assertThat(ok(get(CM + "/a-dep")).path("metadata").has("ownerReferences")).isFalse();
	}

	@Test
	@DisplayName("K6: DeleteOptions validation: orphanDependents with propagationPolicy, or an unknown policy, give 422")
	void deleteOptionsValidation() {
		JsonNode a = cm("a", "");
		assertStatus(delete(CM + "/a", "{\"orphanDependents\":true,\"propagationPolicy\":\"Foreground\"}"), 422,
				invalid("DeleteOptions.meta.k8s.io", "", "meta.k8s.io", "DeleteOptions", "propagationPolicy",
						"FieldValueInvalid",
						"Invalid value: \"Foreground\": orphanDependents and deletionPropagation cannot be both set"));
		assertStatus(delete(CM + "/a", "{\"propagationPolicy\":\"Sideways\"}"), 422,
				invalid("DeleteOptions.meta.k8s.io", "", "meta.k8s.io", "DeleteOptions", "propagationPolicy",
						"FieldValueNotSupported",
						"Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""));
		assertThat(ok(get(CM + "/a"))).isEqualTo(a);
	}

	// ------------------------------------------------------------------ repeated DELETE (K3)

	@Test
	@DisplayName("K3: a repeated DELETE on a terminating object swaps foregroundDeletion for orphan")
	void repeatDeleteSwapsToOrphan() {
		JsonNode owner = cm("owner", finalizers(HOLD));
		cm("dependent", owners(cmRef(owner, true)) + finalizers(HOLD));
		JsonNode first = ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Foreground\"}"));
		assertThat(finalizerList(first)).containsExactly(HOLD, "foregroundDeletion");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(ok(get(CM + "/dependent")).path("metadata").has("deletionTimestamp")).isTrue());

		JsonNode again = ok(delete(CM + "/owner"));
		assertThat(again).as("no options: the existing GC finalizer stays, nothing changes").isEqualTo(ok(get(CM + "/owner")));
		assertThat(finalizerList(again)).containsExactly(HOLD, "foregroundDeletion");

		JsonNode swapped = ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Orphan\"}"));
		assertThat(finalizerList(swapped)).containsExactly(HOLD, "orphan");
		assertThat(swapped.path("metadata").path("deletionTimestamp").asText())
			.isEqualTo(first.path("metadata").path("deletionTimestamp").asText());
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(finalizerList(ok(get(CM + "/owner")))).containsExactly(HOLD));
		assertThat(ok(get(CM + "/dependent")).path("metadata").has("ownerReferences")).isFalse();
	}

	@Test
	@DisplayName("K3: a repeated Background DELETE drops foregroundDeletion; with no finalizer left the owner goes at once")
	void repeatDeleteBackgroundFinishes() {
		JsonNode owner = cm("owner", "");
		cm("dependent", owners(cmRef(owner, true)) + finalizers(HOLD));
		ok(delete(CM + "/owner", "{\"propagationPolicy\":\"Foreground\"}"));
		assertThat(finalizerList(ok(get(CM + "/owner")))).containsExactly("foregroundDeletion");

		Resp response = delete(CM + "/owner", "{\"propagationPolicy\":\"Background\"}");
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.json().path("kind").asText()).isEqualTo("Status");
		assertThat(get(CM + "/owner").code()).isEqualTo(404);
		assertThat(ok(get(CM + "/dependent")).path("metadata").has("deletionTimestamp")).isTrue();
	}

	// ------------------------------------------------------------------ custom resources

	@Test
	@DisplayName("K7: custom resources as owners and as dependents")
	void customResources() {
		createWidgetCrd(false);
		JsonNode w1 = created(post(WIDGETS, widget("w1", "{}")));
		cm("owned-by-widget", owners(ref("example.com/v1", "Widget", w1, true)));
		JsonNode cmOwner = cm("cm-owner", "");
		created(post(WIDGETS, widget("w2", "{}").replace("\"namespace\":\"default\"",
				"\"namespace\":\"default\"" + owners(cmRef(cmOwner, true)))));

		ok(delete(WIDGETS + "/w1"));
		awaitGone(CM + "/owned-by-widget");

		ok(delete(CM + "/cm-owner"));
		awaitGone(WIDGETS + "/w2");
	}

	@Test
	@DisplayName("K6/K7: a custom resource owner in Foreground waits for its blocking dependents")
	void customResourceForeground() {
		createWidgetCrd(false);
		JsonNode w = created(post(WIDGETS, widget("w", "{}")));
		cm("held", owners(ref("example.com/v1", "Widget", w, true)) + finalizers(HOLD));
		JsonNode marked = ok(delete(WIDGETS + "/w", "{\"propagationPolicy\":\"Foreground\"}"));
		assertThat(finalizerList(marked)).containsExactly("foregroundDeletion");
		ok(get(WIDGETS + "/w"));
		ok(patch(CM + "/held", MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}"));
		awaitGone(WIDGETS + "/w");
	}

	@Test
	@DisplayName("K7: deleting a CRD deletes its objects, and their dependents are collected")
	void crdDeletionCascades() {
		createWidgetCrd(false);
		JsonNode w = created(post(WIDGETS, widget("w", "{}")));
		cm("owned-by-widget", owners(ref("example.com/v1", "Widget", w, false)));
		ok(delete(CRDS + "/widgets.example.com"));
		awaitGone(CRDS + "/widgets.example.com");
		awaitGone(CM + "/owned-by-widget");
	}
}
