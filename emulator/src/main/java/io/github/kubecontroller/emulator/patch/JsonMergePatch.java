package io.github.kubecontroller.emulator.patch;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch (RFC 7386), the {@code application/merge-patch+json} patch type: objects merge recursively, a
 * {@code null} member deletes the key and any other value replaces what was there.
 */
public final class JsonMergePatch {

	private JsonMergePatch() {
	}

	/**
	 * Applies {@code patch} to {@code target} and returns a new tree; neither argument is modified.
	 * @param target the document to patch, may be {@code null} or a missing node for "no document"
	 * @param patch the merge patch; a non-object patch replaces the whole target
	 * @return the patched document
	 */
	public static JsonNode apply(JsonNode target, JsonNode patch) {
		if (patch == null || !patch.isObject()) {
			return (patch == null) ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
		}
		ObjectNode result = (target != null && target.isObject()) ? ((ObjectNode) target).deepCopy()
				: JsonNodeFactory.instance.objectNode();
		mergeInto(result, patch);
		return result;
	}

	/** Merges an object patch into {@code target}, a tree this class owns. */
	private static void mergeInto(ObjectNode target, JsonNode patch) {
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			String key = member.getKey();
			JsonNode value = member.getValue();
			if (value.isNull()) {
				target.remove(key);
			}
			else if (value.isObject()) {
				ObjectNode child = (target.get(key) instanceof ObjectNode existing) ? existing
						: JsonNodeFactory.instance.objectNode();
				mergeInto(child, value);
				target.set(key, child);
			}
			else {
				target.set(key, value.deepCopy());
			}
		}
	}

}
