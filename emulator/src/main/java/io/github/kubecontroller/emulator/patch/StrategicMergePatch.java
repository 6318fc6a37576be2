package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch, the {@code application/strategic-merge-patch+json} patch type of built-in kinds: a merge
 * patch whose lists merge by key where the {@link PatchSchema} says so, with the {@code $patch},
 * {@code $retainKeys}, {@code $setElementOrder} and {@code $deleteFromPrimitiveList} directives. It follows
 * {@code StrategicMergeMapPatch} of k8s.io/apimachinery, except that {@code $patch: merge} is accepted on a map (as
 * a plain merge) and that no directive is ever left in the result.
 */
public final class StrategicMergePatch {

	private final PatchSchema schema;

	private final ListMerge lists;

	private StrategicMergePatch(PatchSchema schema) {
		this.schema = schema;
		this.lists = new ListMerge(this::mergeMap);
	}

	/**
	 * Applies {@code patch} to {@code target} and returns a new tree; neither argument is modified.
	 * @param target the object to patch; {@code null} or a missing node is taken as an empty object
	 * @param patch the patch, a JSON object
	 * @param schema the patch strategies of the target's kind, see {@link PatchSchema#forKind}
	 * @return the patched object
	 * @throws PatchException {@code MALFORMED} when the patch is not a valid strategic merge patch for this object
	 */
	public static ObjectNode apply(JsonNode target, JsonNode patch, PatchSchema schema) {
		Objects.requireNonNull(schema, "schema");
		if (patch == null || !patch.isObject()) {
			throw PatchException.malformed("a strategic merge patch must be a JSON object");
		}
		ObjectNode original;
		if (target == null || target.isMissingNode()) {
			original = JsonNodeFactory.instance.objectNode();
		}
		else if (target.isObject()) {
			original = ((ObjectNode) target).deepCopy();
		}
		else {
			throw new IllegalArgumentException("the target of a strategic merge patch must be a JSON object");
		}
		return new StrategicMergePatch(schema).mergeMap(original, (ObjectNode) patch, "");
	}

	/** Merges {@code patch} into {@code original}, which this instance owns, returning the merged map. */
	private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
		String directive = Directives.patchDirective(patch, path);
		if (Directives.REPLACE.equals(directive)) {
			return Directives.materializeMembers(patch, path);
		}
		if (Directives.DELETE.equals(directive)) {
			return JsonNodeFactory.instance.objectNode();
		}
		Map<String, JsonNode> pending = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			Directives.checkKey(member.getKey(), path);
			pending.put(member.getKey(), member.getValue());
		}
		pending.remove(Directives.PATCH);
		retainKeys(original, pending, path);
		setElementOrders(original, pending, path);
		pending.forEach((key, value) -> mergeField(original, key, value, path));
		return original;
	}

	private void mergeField(ObjectNode original, String key, JsonNode value, String path) {
		if (key.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST)) {
			deleteFromList(original, key.substring(Directives.DELETE_FROM_PRIMITIVE_LIST.length()), value, path);
			return;
		}
		if (value.isNull()) {
			original.remove(key);
			return;
		}
		String fieldPath = Directives.join(path, key);
		PatchSchema.FieldStrategy strategy = this.schema.strategy(fieldPath);
		JsonNode current = original.get(key);
		if (current instanceof ObjectNode map && value instanceof ObjectNode patchMap
				&& strategy.strategy() != PatchSchema.Strategy.REPLACE) {
			original.set(key, mergeMap(map, patchMap, fieldPath));
		}
		else if (current instanceof ArrayNode list && value instanceof ArrayNode patchList
				&& strategy.strategy() == PatchSchema.Strategy.MERGE) {
			original.set(key, this.lists.merge(list, patchList, fieldPath, strategy.mergeKey(), false));
		}
		else {
			store(original, key, Directives.materialize(value, fieldPath));
		}
	}

	/** {@code $deleteFromPrimitiveList/<field>: [..]}: removes the listed values from the field's list. */
	private void deleteFromList(ObjectNode original, String field, JsonNode values, String path) {
		String fieldPath = Directives.join(path, field);
		if (!values.isArray()) {
			throw PatchException.malformed(Directives.DELETE_FROM_PRIMITIVE_LIST + field + " at "
					+ Directives.describe(path) + " must be a list");
		}
		if (original.get(field) instanceof ArrayNode list) {
			original.set(field, this.lists.merge(list, (ArrayNode) values, fieldPath,
					this.schema.strategy(fieldPath).mergeKey(), true));
		}
	}

	/**
	 * {@code $retainKeys: [..]}: drops the keys of {@code original} not listed; every field the patch sets must be
	 * listed.
	 */
	private static void retainKeys(ObjectNode original, Map<String, JsonNode> pending, String path) {
		if (!pending.containsKey(Directives.RETAIN_KEYS)) {
			return;
		}
		JsonNode listed = pending.remove(Directives.RETAIN_KEYS);
		if (!listed.isArray()) {
			throw PatchException.malformed("$retainKeys at " + Directives.describe(path) + " must be a list");
		}
		Set<String> retained = new HashSet<>();
		listed.forEach((key) -> retained.add(key.isTextual() ? key.textValue() : key.toString()));
		pending.forEach((key, value) -> {
			if (!value.isNull() && !key.startsWith("$") && !retained.contains(key)) {
				throw PatchException.malformed("field \"" + key + "\" at " + Directives.describe(path)
						+ " is set by the patch but missing from $retainKeys");
			}
		});
		original.retain(retained);
	}

	/** {@code $setElementOrder/<field>: [..]}: merges each such field together with its directive and orders it. */
	private void setElementOrders(ObjectNode original, Map<String, JsonNode> pending, String path) {
		for (String key : new ArrayList<>(pending.keySet())) {
			if (!key.startsWith(Directives.SET_ELEMENT_ORDER)) {
				continue;
			}
			JsonNode order = pending.remove(key);
			String field = key.substring(Directives.SET_ELEMENT_ORDER.length());
			String fieldPath = Directives.join(path, field);
			ArrayNode current = listOrNull(original.get(field), fieldPath);
			ArrayNode patch = listOrNull(pending.get(field), fieldPath);
			if (!order.isArray()) {
				throw PatchException.malformed(key + " at " + Directives.describe(path) + " must be a list");
			}
			if (current != null || patch != null) {
				original.set(field, this.lists.mergeInOrder(current, patch, (ArrayNode) order, fieldPath,
						this.schema.strategy(fieldPath)));
			}
			pending.remove(field);
		}
	}

	private static ArrayNode listOrNull(JsonNode value, String path) {
		if (value != null && !value.isArray()) {
			throw PatchException.malformed("the value at " + path + " must be a list to be ordered by "
					+ "$setElementOrder");
		}
		return (ArrayNode) value;
	}

	private static void store(ObjectNode map, String key, JsonNode value) {
		if (value != null) {
			map.set(key, value);
		}
		else {
			map.remove(key);
		}
	}

}
