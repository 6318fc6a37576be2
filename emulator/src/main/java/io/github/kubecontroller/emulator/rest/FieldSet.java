package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.patch.PatchSchema;
import io.github.kubecontroller.emulator.patch.PatchSchema.FieldStrategy;

/**
 * A set of field paths in the {@code FieldsV1} vocabulary of server-side apply: {@code f:<field>} for a member,
 * {@code k:{"name":"c"}} for an element of a list keyed by a merge key, {@code v:"x"} for an element of a set, and
 * {@code .} for an element itself. Paths are stored flat (elements joined by a separator) so set algebra is plain
 * {@link TreeSet} work.
 */
final class FieldSet {

	private static final String SEPARATOR = "\u0000";

	private final TreeSet<String> paths;

	private FieldSet(TreeSet<String> paths) {
		this.paths = paths;
	}

	static FieldSet empty() {
		return new FieldSet(new TreeSet<>());
	}

	/** The leaf fields of {@code object} (its scalars, atomic lists, and map entries), minus ignored members. */
	static FieldSet of(JsonNode object, PatchSchema schema, Set<String> ignoredTopLevel, Set<String> ignoredMetadata) {
		FieldSet set = empty();
		if (object == null || !object.isObject()) {
			return set;
		}
		object.fields().forEachRemaining((member) -> {
			String name = member.getKey();
			if (ignoredTopLevel.contains(name)) {
				return;
			}
			List<String> path = List.of("f:" + name);
			if (name.equals("metadata")) {
				member.getValue().fields().forEachRemaining((meta) -> {
					if (!ignoredMetadata.contains(meta.getKey())) {
						collect(meta.getValue(), List.of("f:metadata", "f:" + meta.getKey()),
								"metadata." + meta.getKey(), schema, set);
					}
				});
			}
			else {
				collect(member.getValue(), path, name, schema, set);
			}
		});
		return set;
	}

	private static void collect(JsonNode value, List<String> path, String schemaPath, PatchSchema schema,
			FieldSet set) {
		if (value.isObject() && !value.isEmpty()) {
			value.fields().forEachRemaining((member) -> collect(member.getValue(), append(path, "f:" + member.getKey()),
					schemaPath + "." + member.getKey(), schema, set));
			return;
		}
		if (value.isArray() && !value.isEmpty()) {
			FieldStrategy strategy = schema.strategy(schemaPath);
			if (strategy.strategy() == PatchSchema.Strategy.MERGE) {
				for (JsonNode element : value) {
					String elementKey = elementKey(strategy, element);
					if (elementKey == null) {
						set.add(path);
						return;
					}
					List<String> elementPath = append(path, elementKey);
					if (element.isObject()) {
						set.add(append(elementPath, "."));
						element.fields().forEachRemaining((member) -> collect(member.getValue(),
								append(elementPath, "f:" + member.getKey()), schemaPath + "." + member.getKey(), schema,
								set));
					}
					else {
						set.add(elementPath);
					}
				}
				return;
			}
		}
		set.add(path);
	}

	/** {@code k:{...}} or {@code v:...} for one element of a merged list, {@code null} if it has no key. */
	static String elementKey(FieldStrategy strategy, JsonNode element) {
		if (strategy.mergeKey().isEmpty()) {
			return element.isValueNode() ? "v:" + Json.MAPPER.valueToTree(element).toString() : null;
		}
		JsonNode key = element.get(strategy.mergeKey());
		if (key == null) {
			return null;
		}
		ObjectNode keyObject = Json.object();
		keyObject.set(strategy.mergeKey(), key);
		return "k:" + keyObject;
	}

	private static List<String> append(List<String> path, String element) {
		List<String> longer = new ArrayList<>(path);
		longer.add(element);
		return longer;
	}

	void add(List<String> path) {
		this.paths.add(String.join(SEPARATOR, path));
	}

	boolean isEmpty() {
		return this.paths.isEmpty();
	}

	boolean contains(String path) {
		return this.paths.contains(path);
	}

	FieldSet union(FieldSet other) {
		TreeSet<String> result = new TreeSet<>(this.paths);
		result.addAll(other.paths);
		return new FieldSet(result);
	}

	FieldSet minus(FieldSet other) {
		TreeSet<String> result = new TreeSet<>(this.paths);
		result.removeAll(other.paths);
		return new FieldSet(result);
	}

	FieldSet intersect(FieldSet other) {
		TreeSet<String> result = new TreeSet<>(this.paths);
		result.retainAll(other.paths);
		return new FieldSet(result);
	}

	/** Each path as its elements. */
	List<List<String>> paths() {
		List<List<String>> result = new ArrayList<>();
		for (String path : this.paths) {
			result.add(List.of(path.split(SEPARATOR, -1)));
		}
		return result;
	}

	Set<String> encoded() {
		return this.paths;
	}

	/** The {@code fieldsV1} object of a managedFields entry. */
	ObjectNode toFieldsV1() {
		ObjectNode root = Json.object();
		for (List<String> path : paths()) {
			ObjectNode node = root;
			for (String element : path) {
				node = node.has(element) ? (ObjectNode) node.get(element) : node.putObject(element);
			}
		}
		return root;
	}

	static FieldSet fromFieldsV1(JsonNode fields) {
		FieldSet set = empty();
		if (fields != null && fields.isObject()) {
			walk(fields, new ArrayList<>(), set);
		}
		return set;
	}

	private static void walk(JsonNode node, List<String> path, FieldSet set) {
		if (node.isEmpty() && !path.isEmpty()) {
			set.add(path);
			return;
		}
		Iterator<Map.Entry<String, JsonNode>> members = node.fields();
		while (members.hasNext()) {
			Map.Entry<String, JsonNode> member = members.next();
			path.add(member.getKey());
			walk(member.getValue(), path, set);
			path.remove(path.size() - 1);
		}
	}

	/** How the conflict message names a path, e.g. {@code .spec.containers[name="web"].image}. */
	static String describe(List<String> path) {
		StringBuilder text = new StringBuilder();
		for (String element : path) {
			if (element.startsWith("f:")) {
				text.append('.').append(element.substring(2));
			}
			else if (element.startsWith("k:")) {
				JsonNode key = parseQuietly(element.substring(2));
				StringBuilder keys = new StringBuilder();
				key.fields().forEachRemaining((e) -> keys.append((keys.length() > 0) ? "," : "")
					.append(e.getKey())
					.append('=')
					.append(e.getValue().toString()));
				text.append('[').append(keys).append(']');
			}
			else if (element.startsWith("v:")) {
				text.append("[=").append(element.substring(2)).append(']');
			}
		}
		return text.toString();
	}

	/** The value at {@code path} in {@code object}, or {@code null}; {@code .} stands for the element itself. */
	static JsonNode lookup(JsonNode object, List<String> path) {
		JsonNode node = object;
		for (String element : path) {
			if (node == null) {
				return null;
			}
			if (element.equals(".")) {
				continue;
			}
			node = child(node, element);
		}
		return node;
	}

	static JsonNode child(JsonNode node, String element) {
		if (element.startsWith("f:")) {
			return node.isObject() ? node.get(element.substring(2)) : null;
		}
		if (node.isArray()) {
			int index = indexOf((ArrayNode) node, element);
			return (index >= 0) ? node.get(index) : null;
		}
		return null;
	}

	/** The index of the list element a {@code k:} or {@code v:} path element names, or -1. */
	static int indexOf(ArrayNode array, String element) {
		JsonNode wanted = parseQuietly(element.substring(2));
		for (int i = 0; i < array.size(); i++) {
			JsonNode item = array.get(i);
			if (element.startsWith("v:") && item.equals(wanted)) {
				return i;
			}
			if (element.startsWith("k:") && item.isObject()) {
				boolean matches = true;
				Iterator<Map.Entry<String, JsonNode>> keys = wanted.fields();
				while (keys.hasNext()) {
					Map.Entry<String, JsonNode> key = keys.next();
					matches &= key.getValue().equals(item.get(key.getKey()));
				}
				if (matches) {
					return i;
				}
			}
		}
		return -1;
	}

	private static JsonNode parseQuietly(String json) {
		try {
			return Json.MAPPER.readTree(json);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("malformed field path element " + json, ex);
		}
	}
}
