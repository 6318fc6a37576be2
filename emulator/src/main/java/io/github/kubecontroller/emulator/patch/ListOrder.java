package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The element order the server gives a merged list: elements named in the patch keep the patch's order, the others
 * keep the live object's order, and the two runs are interleaved by their positions in the live list (the server's
 * {@code normalizeElementOrder} and {@code mergeSortedSlice}). Elements are identified by their merge key value, or
 * by their own value in a list of primitives.
 */
final class ListOrder {

	private final String mergeKey;

	ListOrder(String mergeKey) {
		this.mergeKey = mergeKey;
	}

	/** The elements of {@code merged} named in {@code by}, and the others, each in {@code merged} order. */
	Partition partition(List<JsonNode> merged, List<JsonNode> by) {
		Set<Object> named = new HashSet<>();
		by.forEach((element) -> named.add(identity(element)));
		Partition partition = new Partition(new ArrayList<>(), new ArrayList<>());
		for (JsonNode element : merged) {
			(named.contains(identity(element)) ? partition.named() : partition.others()).add(element);
		}
		return partition;
	}

	/**
	 * Orders {@code patchItems} by {@code patchOrder} and {@code serverOnly} by {@code serverOrder}, then slots each
	 * server-only element before the first patch element that comes after it in {@code serverOrder}.
	 */
	List<JsonNode> normalize(List<JsonNode> patchItems, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
			List<JsonNode> serverOrder) {
		List<JsonNode> right = sortedBy(patchItems, patchOrder);
		List<JsonNode> left = sortedBy(serverOnly, serverOrder);
		Map<Object, Integer> positions = positions(serverOrder);
		List<JsonNode> result = new ArrayList<>(left.size() + right.size());
		int i = 0;
		int j = 0;
		while (i < left.size() || j < right.size()) {
			if (j >= right.size() || (i < left.size() && before(left.get(i), right.get(j), positions))) {
				result.add(left.get(i++));
			}
			else {
				result.add(right.get(j++));
			}
		}
		return result;
	}

	/** Whether {@code left} comes strictly before {@code right} in the live list; false when either is not in it. */
	private boolean before(JsonNode left, JsonNode right, Map<Object, Integer> positions) {
		Integer leftAt = positions.get(identity(left));
		Integer rightAt = positions.get(identity(right));
		return leftAt != null && rightAt != null && leftAt < rightAt;
	}

	private List<JsonNode> sortedBy(List<JsonNode> items, List<JsonNode> order) {
		Map<Object, Integer> positions = positions(order);
		List<JsonNode> sorted = new ArrayList<>(items);
		if (sorted.stream().allMatch((item) -> positions.containsKey(identity(item)))) {
			sorted.sort(Comparator.comparing((JsonNode item) -> positions.get(identity(item))));
			return sorted;
		}
		// The server's comparator calls an element missing from the order "less" than anything; this insertion sort is
		// what Go's sort.SliceStable does with it for lists of up to 20 elements.
		for (int i = 1; i < sorted.size(); i++) {
			for (int j = i; j > 0 && less(sorted.get(j), sorted.get(j - 1), positions); j--) {
				sorted.set(j - 1, sorted.set(j, sorted.get(j - 1)));
			}
		}
		return sorted;
	}

	private boolean less(JsonNode a, JsonNode b, Map<Object, Integer> positions) {
		Integer aAt = positions.get(identity(a));
		Integer bAt = positions.get(identity(b));
		return aAt == null || bAt == null || aAt < bAt;
	}

	/** The first position of each identity in {@code order}. */
	private Map<Object, Integer> positions(List<JsonNode> order) {
		Map<Object, Integer> positions = new HashMap<>();
		for (int i = 0; i < order.size(); i++) {
			positions.putIfAbsent(identity(order.get(i)), i);
		}
		return positions;
	}

	private Object identity(JsonNode element) {
		return JsonEquality.hashKey(this.mergeKey.isEmpty() ? element : element.get(this.mergeKey));
	}

	/**
	 * A list split in two.
	 *
	 * @param named elements named by the list partitioned by
	 * @param others the remaining elements
	 */
	record Partition(List<JsonNode> named, List<JsonNode> others) {
	}

}
