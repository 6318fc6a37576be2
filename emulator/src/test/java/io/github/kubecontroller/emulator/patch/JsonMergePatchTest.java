package io.github.kubecontroller.emulator.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonMergePatchTest {

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private static final String CONFIG_MAP = """
			{
			  "apiVersion": "v1",
			  "kind": "ConfigMap",
			  "metadata": {
			    "name": "app-config",
			    "namespace": "default",
			    "labels": {"app": "shop", "tier": "backend"},
			    "finalizers": ["example.com/cleanup"]
			  },
			  "data": {"LOG_LEVEL": "info", "FEATURE_X": "on", "greeting.txt": "hello"}
			}
			""";

	@Test
	void changesAddsAndDeletesDataKeys() {
		JsonNode result = apply(CONFIG_MAP, """
				{"data": {"LOG_LEVEL": "debug", "FEATURE_X": null, "NEW_KEY": "1"}}
				""");

		assertThat(result.get("data")).isEqualTo(json("""
				{"LOG_LEVEL": "debug", "greeting.txt": "hello", "NEW_KEY": "1"}
				"""));
		assertThat(result.get("metadata")).isEqualTo(json(CONFIG_MAP).get("metadata"));
	}

	@Test
	void mergesNestedObjectsRecursively() {
		JsonNode result = apply(CONFIG_MAP, """
				{"metadata": {"labels": {"tier": null, "version": "v2"}, "annotations": {"owner": "team-a"}}}
				""");

		assertThat(result.at("/metadata/labels")).isEqualTo(json("""
				{"app": "shop", "version": "v2"}
				"""));
		assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
				{"owner": "team-a"}
				"""));
		assertThat(result.at("/metadata/name").asText()).isEqualTo("app-config");
	}

	@Test
	void replacesArraysWholesale() {
		JsonNode result = apply(CONFIG_MAP, """
				{"metadata": {"finalizers": ["example.com/other"]}}
				""");

		assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
				["example.com/other"]
				"""));
	}

	@Test
	void nullDeletesWholeSubtreeAndMissingKeysAreIgnored() {
		JsonNode result = apply(CONFIG_MAP, """
				{"data": null, "binaryData": null}
				""");

		assertThat(result.has("data")).isFalse();
		assertThat(result.has("binaryData")).isFalse();
	}

	@Test
	void dropsNullsInsideNewObjects() {
		JsonNode result = apply(CONFIG_MAP, """
				{"metadata": {"annotations": {"a": "1", "b": null}}}
				""");

		assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
				{"a": "1"}
				"""));
	}

	@Test
	void objectPatchReplacesNonObjectMember() {
		JsonNode result = apply("""
				{"a": "scalar", "b": [1, 2]}
				""", """
				{"a": {"x": 1, "y": null}, "b": {"z": true}}
				""");

		assertThat(result).isEqualTo(json("""
				{"a": {"x": 1}, "b": {"z": true}}
				"""));
	}

	@Test
	void nonObjectPatchReplacesTheWholeTarget() {
		assertThat(apply(CONFIG_MAP, "[1, 2]")).isEqualTo(json("[1, 2]"));
		assertThat(apply(CONFIG_MAP, "\"text\"")).isEqualTo(json("\"text\""));
		assertThat(apply(CONFIG_MAP, "null").isNull()).isTrue();
	}

	@Test
	void objectPatchOnNonObjectTargetStartsFromAnEmptyObject() {
		assertThat(apply("[1, 2]", """
				{"a": 1}
				""")).isEqualTo(json("""
				{"a": 1}
				"""));
		assertThat(JsonMergePatch.apply(null, json("""
				{"a": {"b": null, "c": 2}}
				"""))).isEqualTo(json("""
				{"a": {"c": 2}}
				"""));
	}

	@Test
	void emptyPatchLeavesTargetEqual() {
		assertThat(apply(CONFIG_MAP, "{}")).isEqualTo(json(CONFIG_MAP));
	}

	@Test
	void followsTheRfc7386Examples() {
		String[][] cases = {
				{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
				{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
				{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
				{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
				{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
				{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
				{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}" },
				{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
				{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
				{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
				{ "{\"a\":\"foo\"}", "null", "null" },
				{ "{\"a\":\"foo\"}", "\"bar\"", "\"bar\"" },
				{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
				{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
				{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}" } };
		for (String[] testCase : cases) {
			assertThat(apply(testCase[0], testCase[1])).as("%s + %s", testCase[0], testCase[1])
				.isEqualTo(json(testCase[2]));
		}
	}

	@Test
	void neverSharesNodesWithItsInputs() {
		JsonNode target = json(CONFIG_MAP);
		JsonNode patch = json("""
				{"metadata": {"labels": {"new": "x"}}, "extra": {"nested": {"k": "v"}}}
				""");

		ObjectNode result = (ObjectNode) JsonMergePatch.apply(target, patch);
		((ObjectNode) result.at("/extra/nested")).put("k", "changed");
		((ObjectNode) result.at("/metadata/labels")).put("app", "changed");
		((ObjectNode) result.get("data")).removeAll();

		assertThat(patch).isEqualTo(json("""
				{"metadata": {"labels": {"new": "x"}}, "extra": {"nested": {"k": "v"}}}
				"""));
		assertThat(target).isEqualTo(json(CONFIG_MAP));
	}

	/** Applies the patch and checks that neither input was modified. */
	private static JsonNode apply(String target, String patch) {
		JsonNode targetNode = json(target);
		JsonNode patchNode = json(patch);
		JsonNode result = JsonMergePatch.apply(targetNode, patchNode);
		assertThat(targetNode).isEqualTo(json(target));
		assertThat(patchNode).isEqualTo(json(patch));
		return result;
	}

	static JsonNode json(String text) {
		try {
			return MAPPER.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
