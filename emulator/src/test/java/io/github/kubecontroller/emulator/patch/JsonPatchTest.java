package io.github.kubecontroller.emulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.github.kubecontroller.emulator.patch.JsonMergePatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonPatchTest {

	private static final String POD = """
			{
			  "apiVersion": "v1",
			  "kind": "Pod",
			  "metadata": {
			    "name": "web-0",
			    "namespace": "shop",
			    "labels": {"app": "web"},
			    "annotations": {"example.com/owner": "team-a", "a~b": "tilde"},
			    "finalizers": ["example.com/protect", "example.com/cleanup"],
			    "ownerReferences": [
			      {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d8", "uid": "11111111-aaaa", "controller": true}
			    ]
			  },
			  "spec": {
			    "replicas": 1,
			    "containers": [
			      {"name": "app", "image": "shop/web:1.0", "ports": [{"containerPort": 8080}]},
			      {"name": "sidecar", "image": "envoy:1.29"}
			    ]
			  }
			}
			""";

	@Test
	void addSetsANewObjectMember() {
		JsonNode result = apply(POD, """
				[{"op": "add", "path": "/metadata/labels/tier", "value": "frontend"}]
				""");

		assertThat(result.at("/metadata/labels")).isEqualTo(json("""
				{"app": "web", "tier": "frontend"}
				"""));
	}

	@Test
	void addReplacesAnExistingObjectMember() {
		JsonNode result = apply(POD, """
				[{"op": "add", "path": "/metadata/labels/app", "value": {"nested": true}}]
				""");

		assertThat(result.at("/metadata/labels/app")).isEqualTo(json("""
				{"nested": true}
				"""));
	}

	@Test
	void addInsertsIntoAnArrayAtAnIndexOrAppendsWithDash() {
		JsonNode result = apply(POD, """
				[
				  {"op": "add", "path": "/metadata/finalizers/1", "value": "example.com/middle"},
				  {"op": "add", "path": "/metadata/finalizers/-", "value": "example.com/last"},
				  {"op": "add", "path": "/metadata/finalizers/0", "value": "example.com/first"},
				  {"op": "add", "path": "/metadata/finalizers/5", "value": "example.com/at-size"}
				]
				""");

		assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
				["example.com/first", "example.com/protect", "example.com/middle", "example.com/cleanup",
				 "example.com/last", "example.com/at-size"]
				"""));
	}

	@Test
	void addAtTheRootReplacesTheDocument() {
		assertThat(apply(POD, """
				[{"op": "add", "path": "", "value": {"kind": "Other"}}]
				""")).isEqualTo(json("""
				{"kind": "Other"}
				"""));
	}

	@Test
	void addFailsWhenTheParentIsMissingOrTheIndexIsOutOfBounds() {
		assertFailed(POD, """
				[{"op": "add", "path": "/metadata/missing/key", "value": 1}]
				""", "add operation failed at /metadata/missing/key: the parent /metadata/missing does not exist");
		assertFailed(POD, """
				[{"op": "add", "path": "/metadata/finalizers/3", "value": "x"}]
				""", "add operation failed at /metadata/finalizers/3: index 3 is out of bounds for an array of size 2");
		assertFailed(POD, """
				[{"op": "add", "path": "/metadata/name/x", "value": 1}]
				""", "add operation failed at /metadata/name/x: the parent /metadata/name is neither an object nor an array");
	}

	@Test
	void removeDeletesMembersAndArrayElements() {
		JsonNode result = apply(POD, """
				[
				  {"op": "remove", "path": "/metadata/finalizers/0"},
				  {"op": "remove", "path": "/metadata/labels/app"},
				  {"op": "remove", "path": "/spec/containers/1"}
				]
				""");

		assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
				["example.com/cleanup"]
				"""));
		assertThat(result.at("/metadata/labels")).isEqualTo(json("{}"));
		assertThat(result.at("/spec/containers").size()).isEqualTo(1);
		assertThat(result.at("/spec/containers/0/name").asText()).isEqualTo("app");
	}

	@Test
	void removeFailsOnMissingPathsAndBadIndices() {
		assertFailed(POD, """
				[{"op": "remove", "path": "/metadata/labels/missing"}]
				""", "remove operation failed: the path /metadata/labels/missing does not exist");
		assertFailed(POD, """
				[{"op": "remove", "path": "/metadata/finalizers/2"}]
				""", "remove operation failed at /metadata/finalizers/2: index 2 is out of bounds for an array of size 2");
		assertFailed(POD, """
				[{"op": "remove", "path": "/metadata/finalizers/-"}]
				""", "remove operation failed at /metadata/finalizers/-: \"-\" is not a valid array index");
		assertFailed(POD, """
				[{"op": "remove", "path": "/metadata/finalizers/01"}]
				""", "remove operation failed at /metadata/finalizers/01: \"01\" is not a valid array index");
		assertFailed(POD, """
				[{"op": "remove", "path": ""}]
				""", "remove operation failed: cannot remove the whole document");
	}

	@Test
	void replaceOfAMissingObjectMemberSetsIt() {
		JsonNode result = apply(POD, """
				[{"op": "replace", "path": "/spec/paused", "value": true}]
				""");

		assertThat(result.at("/spec/paused").asBoolean()).isTrue();
		assertFailed(POD, """
				[{"op": "replace", "path": "/spec/missing/paused", "value": true}]
				""", "replace operation failed: the path /spec/missing/paused does not exist");
	}

	@Test
	void replaceChangesExistingValues() {
		JsonNode result = apply(POD, """
				[
				  {"op": "replace", "path": "/spec/containers/0/image", "value": "shop/web:1.1"},
				  {"op": "replace", "path": "/spec/replicas", "value": 3},
				  {"op": "replace", "path": "/metadata/finalizers/1", "value": "example.com/renamed"}
				]
				""");

		assertThat(result.at("/spec/containers/0/image").asText()).isEqualTo("shop/web:1.1");
		assertThat(result.at("/spec/replicas").asInt()).isEqualTo(3);
		assertThat(result.at("/metadata/finalizers/1").asText()).isEqualTo("example.com/renamed");
		assertFailed(POD, """
				[{"op": "replace", "path": "/spec/containers/2", "value": {}}]
				""", "replace operation failed at /spec/containers/2: index 2 is out of bounds for an array of size 2");
	}

	@Test
	void replaceAtTheRootReplacesTheDocument() {
		assertThat(apply(POD, """
				[{"op": "replace", "path": "", "value": [1]}]
				""")).isEqualTo(json("[1]"));
	}

	@Test
	void moveRemovesThenAdds() {
		JsonNode result = apply(POD, """
				[
				  {"op": "move", "from": "/metadata/labels/app", "path": "/metadata/labels/name"},
				  {"op": "move", "from": "/metadata/finalizers/0", "path": "/metadata/finalizers/-"}
				]
				""");

		assertThat(result.at("/metadata/labels")).isEqualTo(json("""
				{"name": "web"}
				"""));
		assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
				["example.com/cleanup", "example.com/protect"]
				"""));
	}

	@Test
	void moveToItselfIsANoOpButTheSourceMustExist() {
		assertThat(apply(POD, """
				[{"op": "move", "from": "/metadata/labels", "path": "/metadata/labels"}]
				""")).isEqualTo(json(POD));
		assertFailed(POD, """
				[{"op": "move", "from": "/metadata/nothing", "path": "/metadata/nothing"}]
				""", "move operation failed: the path /metadata/nothing does not exist");
	}

	@Test
	void moveFailsOnMissingSourceOrIntoItsOwnChild() {
		assertFailed(POD, """
				[{"op": "move", "from": "/spec/missing", "path": "/spec/other"}]
				""", "move operation failed: the path /spec/missing does not exist");
		assertFailed(POD, """
				[{"op": "move", "from": "/metadata", "path": "/metadata/labels/copy"}]
				""", "move operation failed: cannot move /metadata into its own child /metadata/labels/copy");
	}

	@Test
	void copyDuplicatesADeepValue() {
		JsonNode result = apply(POD, """
				[
				  {"op": "copy", "from": "/spec/containers/0", "path": "/spec/containers/-"},
				  {"op": "replace", "path": "/spec/containers/2/name", "value": "app-copy"},
				  {"op": "replace", "path": "/spec/containers/2/ports/0/containerPort", "value": 9090}
				]
				""");

		assertThat(result.at("/spec/containers/0/name").asText()).isEqualTo("app");
		assertThat(result.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
		assertThat(result.at("/spec/containers/2/name").asText()).isEqualTo("app-copy");
		assertThat(result.at("/spec/containers/2/ports/0/containerPort").asInt()).isEqualTo(9090);
		assertFailed(POD, """
				[{"op": "copy", "from": "/spec/containers/5", "path": "/spec/x"}]
				""", "copy operation failed: the path /spec/containers/5 does not exist");
	}

	@Test
	void testPassesOnEqualValues() {
		JsonNode result = apply(POD, """
				[
				  {"op": "test", "path": "/metadata/finalizers/0", "value": "example.com/protect"},
				  {"op": "test", "path": "/spec/replicas", "value": 1.0},
				  {"op": "test", "path": "/metadata/labels", "value": {"app": "web"}},
				  {"op": "test", "path": "/spec/containers/0/ports", "value": [{"containerPort": 8080}]},
				  {"op": "remove", "path": "/metadata/finalizers/0"}
				]
				""");

		assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
				["example.com/cleanup"]
				"""));
	}

	@Test
	void testComparesObjectsIgnoringMemberOrder() {
		apply(POD, """
				[{"op": "test", "path": "/metadata/ownerReferences/0",
				  "value": {"uid": "11111111-aaaa", "controller": true, "name": "web-5d8", "kind": "ReplicaSet",
				            "apiVersion": "apps/v1"}}]
				""");
	}

	@Test
	void testFailsOnDifferentOrMissingValues() {
		assertFailed(POD, """
				[{"op": "test", "path": "/metadata/finalizers/0", "value": "example.com/cleanup"}]
				""", "test operation failed at /metadata/finalizers/0");
		assertFailed(POD, """
				[{"op": "test", "path": "/spec/replicas", "value": "1"}]
				""", "test operation failed at /spec/replicas");
		assertFailed(POD, """
				[{"op": "test", "path": "/spec/containers", "value": [{"name": "sidecar"}, {"name": "app"}]}]
				""", "test operation failed at /spec/containers");
		assertFailed(POD, """
				[{"op": "test", "path": "/metadata/deletionTimestamp", "value": null}]
				""", "test operation failed at /metadata/deletionTimestamp: the path does not exist");
	}

	@Test
	void testOfNullMatchesAnExplicitNull() {
		apply("""
				{"a": null}
				""", """
				[{"op": "test", "path": "/a", "value": null}]
				""");
	}

	@Test
	void decodesEscapedPointerTokens() {
		JsonNode result = apply(POD, """
				[
				  {"op": "test", "path": "/metadata/annotations/example.com~1owner", "value": "team-a"},
				  {"op": "replace", "path": "/metadata/annotations/example.com~1owner", "value": "team-b"},
				  {"op": "remove", "path": "/metadata/annotations/a~0b"},
				  {"op": "add", "path": "/metadata/annotations/~01~10", "value": "odd"},
				  {"op": "add", "path": "/metadata/annotations/", "value": "empty key"}
				]
				""");

		assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
				{"example.com/owner": "team-b", "~1/0": "odd", "": "empty key"}
				"""));
	}

	@Test
	void isAtomicWhenALaterOperationFails() {
		JsonNode target = json(POD);
		JsonNode patch = json("""
				[
				  {"op": "remove", "path": "/metadata/finalizers/0"},
				  {"op": "add", "path": "/metadata/labels/x", "value": "y"},
				  {"op": "test", "path": "/spec/replicas", "value": 2}
				]
				""");

		assertThatExceptionOfType(PatchException.class).isThrownBy(() -> JsonPatch.apply(target, patch))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(PatchException.Kind.FAILED));
		assertThat(target).isEqualTo(json(POD));
		assertThat(patch).isEqualTo(json("""
				[
				  {"op": "remove", "path": "/metadata/finalizers/0"},
				  {"op": "add", "path": "/metadata/labels/x", "value": "y"},
				  {"op": "test", "path": "/spec/replicas", "value": 2}
				]
				"""));
	}

	@Test
	void emptyPatchReturnsAnEqualCopy() {
		JsonNode target = json(POD);
		JsonNode result = JsonPatch.apply(target, json("[]"));

		assertThat(result).isEqualTo(target).isNotSameAs(target);
	}

	@Test
	void resultSharesNoNodesWithItsInputs() {
		JsonNode target = json(POD);
		JsonNode patch = json("""
				[{"op": "add", "path": "/spec/template", "value": {"labels": {"app": "web"}}}]
				""");

		ObjectNode result = (ObjectNode) JsonPatch.apply(target, patch);
		((ObjectNode) result.at("/spec/template/labels")).put("app", "changed");
		((ObjectNode) result.get("metadata")).removeAll();

		assertThat(patch.at("/0/value/labels/app").asText()).isEqualTo("web");
		assertThat(target).isEqualTo(json(POD));
	}

	@Test
	void rejectsPatchesThatAreNotArraysOfObjects() {
		assertMalformed("{\"op\": \"add\"}", "a JSON patch must be a JSON array of operations");
		assertMalformed("[\"add\"]", "operation 0 of the JSON patch is not a JSON object");
		assertMalformed("[{\"op\": \"test\", \"path\": \"/a\", \"value\": 1}, 5]",
				"operation 1 of the JSON patch is not a JSON object");
		assertThatExceptionOfType(PatchException.class).isThrownBy(() -> JsonPatch.apply(json(POD), null))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(PatchException.Kind.MALFORMED));
	}

	@Test
	void rejectsOperationsWithoutValidOpOrPath() {
		assertMalformed("[{\"path\": \"/a\"}]", "operation 0 has no \"op\"");
		assertMalformed("[{\"op\": \"increment\", \"path\": \"/a\"}]", "operation 0 has an invalid \"op\" \"increment\"");
		assertMalformed("[{\"op\": 1, \"path\": \"/a\"}]", "operation 0 has an invalid \"op\" 1");
		assertMalformed("[{\"op\": \"remove\"}]", "operation 0 (remove) has no string \"path\"");
		assertMalformed("[{\"op\": \"remove\", \"path\": 3}]", "operation 0 (remove) has no string \"path\"");
		assertMalformed("[{\"op\": \"remove\", \"path\": \"metadata\"}]",
				"JSON pointer \"metadata\" does not start with '/'");
		assertMalformed("[{\"op\": \"remove\", \"path\": \"/a~2b\"}]", "JSON pointer \"/a~2b\" has an invalid escape '~'");
		assertMalformed("[{\"op\": \"remove\", \"path\": \"/a~\"}]", "JSON pointer \"/a~\" has an invalid escape '~'");
	}

	@Test
	void rejectsOperationsMissingValueOrFrom() {
		assertMalformed("[{\"op\": \"add\", \"path\": \"/a\"}]", "operation 0 (add) has no \"value\"");
		assertMalformed("[{\"op\": \"replace\", \"path\": \"/a\"}]", "operation 0 (replace) has no \"value\"");
		assertMalformed("[{\"op\": \"test\", \"path\": \"/a\"}]", "operation 0 (test) has no \"value\"");
		assertMalformed("[{\"op\": \"move\", \"path\": \"/a\"}]", "operation 0 (move) has no string \"from\"");
		assertMalformed("[{\"op\": \"copy\", \"path\": \"/a\", \"from\": \"x\"}]",
				"JSON pointer \"x\" does not start with '/'");
	}

	@Test
	void validatesEveryOperationBeforeApplyingAny() {
		assertMalformed("[{\"op\": \"test\", \"path\": \"/kind\", \"value\": \"Service\"}, {\"op\": \"bogus\", \"path\": \"/a\"}]",
				"operation 1 has an invalid \"op\" \"bogus\"");
	}

	@Test
	void rejectsMoreThanTenThousandOperations() {
		ArrayNode operations = testOperations(JsonPatch.MAX_OPERATIONS + 1);

		assertThatExceptionOfType(PatchException.class).isThrownBy(() -> JsonPatch.apply(json(POD), operations))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(PatchException.Kind.TOO_MANY_OPERATIONS);
				assertThat(ex.getMessage())
					.isEqualTo("The allowed maximum operations in a JSON patch is 10000, got 10001");
			});
	}

	@Test
	void countsOperationsBeforeValidatingThem() {
		ArrayNode operations = testOperations(JsonPatch.MAX_OPERATIONS + 1);
		operations.addObject().put("op", "bogus");

		assertThatExceptionOfType(PatchException.class).isThrownBy(() -> JsonPatch.apply(json(POD), operations))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(PatchException.Kind.TOO_MANY_OPERATIONS));
	}

	@Test
	void acceptsExactlyTenThousandOperations() {
		JsonNode result = JsonPatch.apply(json(POD), testOperations(JsonPatch.MAX_OPERATIONS));

		assertThat(result).isEqualTo(json(POD));
	}

	private static ArrayNode testOperations(int count) {
		ArrayNode operations = JsonNodeFactory.instance.arrayNode();
		for (int i = 0; i < count; i++) {
			operations.addObject().put("op", "test").put("path", "/kind").put("value", "Pod");
		}
		return operations;
	}

	/** Applies the patch and checks that neither input was modified. */
	private static JsonNode apply(String target, String patch) {
		JsonNode targetNode = json(target);
		JsonNode patchNode = json(patch);
		JsonNode result = JsonPatch.apply(targetNode, patchNode);
		assertThat(targetNode).isEqualTo(json(target));
		assertThat(patchNode).isEqualTo(json(patch));
		return result;
	}

	private static void assertFailed(String target, String patch, String message) {
		assertRejected(target, patch, PatchException.Kind.FAILED, message);
	}

	private static void assertMalformed(String patch, String message) {
		assertRejected(POD, patch, PatchException.Kind.MALFORMED, message);
	}

	private static void assertRejected(String target, String patch, PatchException.Kind kind, String message) {
		JsonNode targetNode = json(target);
		JsonNode patchNode = json(patch);
		assertThatExceptionOfType(PatchException.class).isThrownBy(() -> JsonPatch.apply(targetNode, patchNode))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(kind);
				assertThat(ex.getMessage()).isEqualTo(message);
			});
		assertThat(targetNode).isEqualTo(json(target));
		assertThat(patchNode).isEqualTo(json(patch));
	}

}
