package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The list half of strategic merge patch: lists with the {@code merge} strategy, {@code $patch} elements,
 * {@code $deleteFromPrimitiveList} and {@code $setElementOrder}. Merged lists are ordered by {@link ListOrder}.
 */
final class ListMerge {

	/** Merges one matched pair of list elements (a map-level strategic merge). */
	@FunctionalInterface
	interface ElementMerge {

		ObjectNode merge(ObjectNode original, ObjectNode patch, String path);

	}

	private final ElementMerge elements;

	ListMerge(ElementMerge elements) {
		this.elements = elements;
	}

	/**
	 * Merges {@code patch} into {@code original}, which the caller owns and which may be reused.
	 * @param deleteList whether {@code patch} is a {@code $deleteFromPrimitiveList} list
	 */
	ArrayNode merge(ArrayNode original, ArrayNode patch, String path, String mergeKey, boolean deleteList) {
		if (original.isEmpty() && patch.isEmpty()) {
			return original;
		}
		if (elementType(path, original, patch) != JsonNodeType.OBJECT) {
			return deleteList ? withoutScalars(original, patch) : mergeScalars(original, patch);
		}
		if (mergeKey.isEmpty()) {
			throw PatchException.malformed("cannot merge the list of maps at " + path + ": it has no merge key");
		}
		return mergeMaps(original, patch, path, mergeKey).merged();
	}

	/**
	 * Applies a {@code $setElementOrder} directive: merges the list as {@code mergeField} would, then orders it.
	 * @param original the live list, {@code null} when absent
	 * @param patch the patch list, {@code null} when absent
	 */
	ArrayNode mergeInOrder(ArrayNode original, ArrayNode patch, ArrayNode order, String path,
			PatchSchema.FieldStrategy strategy) {
		String mergeKey = strategy.mergeKey();
		checkOrderDirective(patch, order, mergeKey, path);
		ArrayNode empty = JsonNodeFactory.instance.arrayNode();
		JsonNodeType type = elementTypeOrNull(path, (original != null) ? original : empty,
				(patch != null) ? patch : empty);
		List<JsonNode> serverOrder = (original != null) ? list(original) : List.of();
		ArrayNode merged;
		if (original == null) {
			merged = (ArrayNode) Directives.materialize(patch, path);
		}
		else if (patch == null) {
			merged = original;
		}
		else if (strategy.strategy() != PatchSchema.Strategy.MERGE) {
			merged = (ArrayNode) Directives.materialize(patch, path);
		}
		else if (type == JsonNodeType.OBJECT && !mergeKey.isEmpty()) {
			MapListMerge mapMerge = mergeMaps(original, patch, path, mergeKey);
			merged = mapMerge.merged();
			serverOrder = mapMerge.liveView();
		}
		else {
			merged = merge(original, patch, path, mergeKey, false);
		}
		if (type == null) {
			return merged;
		}
		if ((type == JsonNodeType.OBJECT) == mergeKey.isEmpty()) {
			throw PatchException.malformed("cannot apply $setElementOrder to the list at " + path + ": "
					+ (mergeKey.isEmpty() ? "it is a list of maps without a merge key" : "its elements are not maps"));
		}
		List<JsonNode> mergedElements = list(merged);
		List<JsonNode> orderElements = list(order);
		if (!mergeKey.isEmpty()) {
			requireMergeKeys(mergedElements, mergeKey, path);
			requireMergeKeys(orderElements, mergeKey, path);
		}
		ListOrder ordering = new ListOrder(mergeKey);
		ListOrder.Partition partition = ordering.partition(mergedElements, orderElements);
		return array(ordering.normalize(partition.named(), partition.others(), orderElements, serverOrder));
	}

	private static ArrayNode mergeScalars(ArrayNode original, ArrayNode patch) {
		Map<Object, JsonNode> distinct = new LinkedHashMap<>();
		for (ArrayNode list : List.of(original, patch)) {
			list.forEach((element) -> distinct.putIfAbsent(JsonEquality.hashKey(element), element));
		}
		return ordered(new ArrayList<>(distinct.values()), list(patch), list(original), "");
	}

	private static ArrayNode withoutScalars(ArrayNode original, ArrayNode toDelete) {
		Set<Object> deleted = new HashSet<>();
		toDelete.forEach((element) -> deleted.add(JsonEquality.hashKey(element)));
		ArrayNode kept = JsonNodeFactory.instance.arrayNode();
		original.forEach((element) -> {
			if (!deleted.contains(JsonEquality.hashKey(element))) {
				kept.add(element);
			}
		});
		return kept;
	}

	/**
	 * Merges two lists of maps by {@code mergeKey}. Besides the merged list this returns the live list as the
	 * server's {@code $setElementOrder} code sees it afterwards: the Go merge deletes and appends in place in the
	 * backing array of the live list, so that list, of unchanged length, shows the shifted survivors followed by
	 * new elements and stale leftovers. Ordering by that view is what the real server does.
	 */
	private MapListMerge mergeMaps(ArrayNode original, ArrayNode patch, String path, String mergeKey) {
		LiveSlice live = new LiveSlice(list(original));
		List<JsonNode> plain = new ArrayList<>();
		boolean replace = false;
		for (JsonNode element : patch) {
			String directive = Directives.patchDirective(element, path);
			if (directive == null) {
				plain.add(element);
			}
			else if (directive.equals(Directives.DELETE)) {
				JsonNode key = requireMergeKey(element, mergeKey, path);
				live.removeIf((candidate) -> JsonEquality.equal(candidate.get(mergeKey), key));
			}
			else if (directive.equals(Directives.REPLACE)) {
				replace = true;
			}
			else {
				throw PatchException.malformed("$patch: merge is not supported in the list at " + path);
			}
		}
		if (replace) {
			live.detach(list((ArrayNode) Directives.materialize(array(plain), path)));
			plain = List.of();
		}
		List<JsonNode> serverOrder = List.copyOf(live.elements());
		for (JsonNode element : plain) {
			mergeElement(live, (ObjectNode) element, path, mergeKey);
		}
		requireMergeKeys(live.elements(), mergeKey, path);
		return new MapListMerge(ordered(live.elements(), plain, serverOrder, mergeKey), live.view());
	}

	/** Merges {@code element} into the element of {@code live} with the same merge key value, or appends it. */
	private void mergeElement(LiveSlice live, ObjectNode element, String path, String mergeKey) {
		JsonNode key = requireMergeKey(element, mergeKey, path);
		List<JsonNode> elements = live.elements();
		for (int i = 0; i < elements.size(); i++) {
			if (JsonEquality.equal(elements.get(i).get(mergeKey), key)) {
				live.set(i, this.elements.merge((ObjectNode) elements.get(i), element, path));
				return;
			}
		}
		live.add(Directives.materialize(element, path));
	}

	private static ArrayNode ordered(List<JsonNode> merged, List<JsonNode> patch, List<JsonNode> serverOrder,
			String mergeKey) {
		ListOrder ordering = new ListOrder(mergeKey);
		ListOrder.Partition partition = ordering.partition(merged, patch);
		return array(ordering.normalize(partition.named(), partition.others(), patch, serverOrder));
	}

	/**
	 * Checks that the non-deleted elements of the patch list appear in the same relative order in the
	 * {@code $setElementOrder} list (the server's {@code validatePatchWithSetOrderList}).
	 */
	private static void checkOrderDirective(ArrayNode patch, ArrayNode order, String mergeKey, String path) {
		if (patch == null || patch.isEmpty() || order.isEmpty()) {
			return;
		}
		List<JsonNode> kept = new ArrayList<>();
		for (JsonNode element : patch) {
			if (!mergeKey.isEmpty() && !element.isObject()) {
				throw PatchException.malformed("the list at " + path + " must contain maps");
			}
			if (mergeKey.isEmpty() || !Directives.DELETE.equals(Directives.patchDirective(element, path))) {
				kept.add(element);
			}
		}
		int patchIndex = 0;
		for (int orderIndex = 0; patchIndex < kept.size() && orderIndex < order.size(); orderIndex++) {
			while (patchIndex < kept.size() && kept.get(patchIndex).has(Directives.PATCH)) {
				patchIndex++;
			}
			if (patchIndex < kept.size() && sameElement(kept.get(patchIndex), order.get(orderIndex), mergeKey, path)) {
				patchIndex++;
			}
		}
		if (patchIndex < kept.size()) {
			throw PatchException.malformed("the order of the list at " + path
					+ " does not match its $setElementOrder directive");
		}
	}

	private static boolean sameElement(JsonNode element, JsonNode orderElement, String mergeKey, String path) {
		if (mergeKey.isEmpty()) {
			return JsonEquality.equal(element, orderElement);
		}
		return JsonEquality.equal(requireMergeKey(element, mergeKey, path),
				requireMergeKey(orderElement, mergeKey, path));
	}

	/**
	 * The common type of the elements of both lists, which must all be maps or all be primitives of one type.
	 */
	private static JsonNodeType elementType(String path, ArrayNode original, ArrayNode patch) {
		JsonNodeType type = elementTypeOrNull(path, original, patch);
		if (type == null) {
			throw PatchException.malformed("no elements in the lists at " + path);
		}
		return type;
	}

	private static JsonNodeType elementTypeOrNull(String path, ArrayNode original, ArrayNode patch) {
		JsonNodeType type = null;
		for (ArrayNode list : List.of(original, patch)) {
			for (JsonNode element : list) {
				JsonNodeType current = element.getNodeType();
				if (current == JsonNodeType.ARRAY || current == JsonNodeType.NULL) {
					throw PatchException.malformed("the list at " + path + " contains "
							+ ((current == JsonNodeType.ARRAY) ? "a list" : "null") + ", which cannot be merged");
				}
				if (type != null && current != type) {
					throw PatchException.malformed("the elements of the list at " + path + " are not all of one type");
				}
				type = current;
			}
		}
		return type;
	}

	private static void requireMergeKeys(List<JsonNode> elements, String mergeKey, String path) {
		elements.forEach((element) -> requireMergeKey(element, mergeKey, path));
	}

	private static JsonNode requireMergeKey(JsonNode element, String mergeKey, String path) {
		JsonNode key = element.isObject() ? element.get(mergeKey) : null;
		if (key == null) {
			throw PatchException.malformed("an element of the list at " + path + " has no merge key \"" + mergeKey
					+ "\": " + element);
		}
		return key;
	}

	/**
	 * A merged list of maps and the live list as seen through its original backing array afterwards.
	 *
	 * @param merged the merged, ordered list
	 * @param liveView the live list's elements after the in-place edits
	 */
	private record MapListMerge(ArrayNode merged, List<JsonNode> liveView) {
	}

	/**
	 * A Go slice over the live list's backing array: removals shift elements left, appends write past the current
	 * length, and every write below the original length shows in {@link #view()}, until {@link #detach} points the
	 * slice at a new array.
	 */
	private static final class LiveSlice {

		private final List<JsonNode> view;

		private List<JsonNode> elements;

		private boolean attached = true;

		LiveSlice(List<JsonNode> elements) {
			this.view = new ArrayList<>(elements);
			this.elements = elements;
		}

		List<JsonNode> elements() {
			return this.elements;
		}

		List<JsonNode> view() {
			return this.view;
		}

		void removeIf(Predicate<JsonNode> match) {
			for (int i = 0; i < this.elements.size(); i++) {
				if (match.test(this.elements.get(i))) {
					this.elements.remove(i);
					for (int j = i; j < this.elements.size(); j++) {
						write(j, this.elements.get(j));
					}
					i--;
				}
			}
		}

		void set(int index, JsonNode element) {
			this.elements.set(index, element);
			write(index, element);
		}

		void add(JsonNode element) {
			this.elements.add(element);
			write(this.elements.size() - 1, element);
		}

		void detach(List<JsonNode> elements) {
			this.elements = elements;
			this.attached = false;
		}

		private void write(int index, JsonNode element) {
			if (this.attached && index < this.view.size()) {
				this.view.set(index, element);
			}
		}

	}

	private static List<JsonNode> list(ArrayNode array) {
		List<JsonNode> elements = new ArrayList<>(array.size());
		array.forEach(elements::add);
		return elements;
	}

	private static ArrayNode array(List<JsonNode> elements) {
		ArrayNode array = JsonNodeFactory.instance.arrayNode(elements.size());
		array.addAll(elements);
		return array;
	}

}
