package io.github.kubecontroller.emulator.rest;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Server-side apply, first stage: the applied configuration is merged into the live object (maps merge, lists and
 * scalars are replaced). Field ownership, conflicts and removal of fields an applier stops sending are not modelled
 * yet.
 */
final class ServerSideApply {

	private ServerSideApply() {
	}

	static ObjectNode apply(ObjectNode live, ObjectNode applied) {
		ObjectNode result = live.deepCopy();
		merge(result, applied);
		return result;
	}

	private static void merge(ObjectNode target, ObjectNode applied) {
		Iterator<Map.Entry<String, JsonNode>> fields = applied.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (field.getKey().equals("managedFields")) {
				continue;
			}
			JsonNode value = field.getValue();
			JsonNode existing = target.get(field.getKey());
			if (value.isObject() && existing != null && existing.isObject()) {
				merge((ObjectNode) existing, (ObjectNode) value);
			}
			else if (!value.isNull()) {
				target.set(field.getKey(), value.deepCopy());
			}
		}
	}
}
