package io.github.kubecontroller.emulator.patch;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The directive keys of strategic merge patch, and the cleanup of patch values that go into the result without
 * being merged with anything (the server's {@code removeDirectives} and {@code discardNullValuesFromPatch}).
 */
final class Directives {

	static final String PATCH = "$patch";

	static final String RETAIN_KEYS = "$retainKeys";

	static final String SET_ELEMENT_ORDER = "$setElementOrder/";

	static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

	static final String REPLACE = "replace";

	static final String DELETE = "delete";

	static final String MERGE = "merge";

	private Directives() {
	}

	/** Fails unless {@code key}, a member of the patch map at {@code path}, is an ordinary field or a known directive. */
	static void checkKey(String key, String path) {
		if (!key.startsWith("$") || key.equals(PATCH) || key.equals(RETAIN_KEYS)
				|| isPrefixed(key, SET_ELEMENT_ORDER) || isPrefixed(key, DELETE_FROM_PRIMITIVE_LIST)) {
			return;
		}
		if (key.startsWith(SET_ELEMENT_ORDER.substring(0, SET_ELEMENT_ORDER.length() - 1))
				|| key.startsWith(DELETE_FROM_PRIMITIVE_LIST.substring(0, DELETE_FROM_PRIMITIVE_LIST.length() - 1))) {
			throw PatchException.malformed("directive \"" + key + "\" at " + describe(path)
					+ " must have the form <directive>/<field>");
		}
		throw PatchException.malformed("unknown directive \"" + key + "\" at " + describe(path));
	}

	/**
	 * The {@code $patch} directive of a patch map, {@code null} when it has none.
	 * @throws PatchException {@code MALFORMED} when the value is not one of replace, delete or merge
	 */
	static String patchDirective(JsonNode map, String path) {
		JsonNode directive = map.get(PATCH);
		if (directive == null) {
			return null;
		}
		String value = directive.isTextual() ? directive.textValue() : null;
		if (!REPLACE.equals(value) && !DELETE.equals(value) && !MERGE.equals(value)) {
			throw PatchException.malformed("unknown $patch directive " + directive + " at " + describe(path));
		}
		return value;
	}

	/**
	 * A copy of a patch value that goes into the result as it is: nulls in maps are dropped, maps carrying a
	 * {@code $patch: delete} or {@code $patch: replace} directive are dropped (the server drops them too, even
	 * {@code replace}) and the other directives are removed.
	 * @return the value to store, {@code null} when nothing should be stored
	 */
	static JsonNode materialize(JsonNode value, String path) {
		if (value.isObject()) {
			String directive = patchDirective(value, path);
			return (directive == null || directive.equals(MERGE)) ? materializeMembers(value, path) : null;
		}
		if (value.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode(value.size());
			for (JsonNode element : value) {
				JsonNode materialized = materialize(element, path);
				if (materialized != null) {
					copy.add(materialized);
				}
			}
			return copy;
		}
		return value.deepCopy();
	}

	/** A copy of the members of a patch map, cleaned as by {@link #materialize}, ignoring its own {@code $patch}. */
	static ObjectNode materializeMembers(JsonNode map, String path) {
		ObjectNode copy = JsonNodeFactory.instance.objectNode();
		for (Map.Entry<String, JsonNode> member : map.properties()) {
			String key = member.getKey();
			checkKey(key, path);
			if (key.startsWith("$") || member.getValue().isNull()) {
				continue;
			}
			JsonNode materialized = materialize(member.getValue(), join(path, key));
			if (materialized != null) {
				copy.set(key, materialized);
			}
		}
		return copy;
	}

	static String join(String path, String field) {
		return path.isEmpty() ? field : path + "." + field;
	}

	static String describe(String path) {
		return path.isEmpty() ? "the object root" : path;
	}

	private static boolean isPrefixed(String key, String prefix) {
		return key.length() > prefix.length() && key.startsWith(prefix);
	}

}
