package io.github.kubecontroller.emulator.patch;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON value equality as the Go patch code sees it: numbers compare by value whatever Jackson node type holds them
 * ({@code 1}, {@code 1.0} and a {@code long} 1 are equal), objects ignore member order, arrays do not.
 */
final class JsonEquality {

	private JsonEquality() {
	}

	static boolean equal(JsonNode left, JsonNode right) {
		if (left == null || right == null) {
			return left == right;
		}
		if (left.isNumber() && right.isNumber()) {
			return left.decimalValue().compareTo(right.decimalValue()) == 0;
		}
		if (left.getNodeType() != right.getNodeType()) {
			return false;
		}
		if (left.isObject()) {
			return objectsEqual(left, right);
		}
		if (left.isArray()) {
			return arraysEqual(left, right);
		}
		return left.equals(right);
	}

	/**
	 * A value usable as a hash key with the same notion of equality as {@link #equal}, for scalars and merge-key
	 * values.
	 */
	static Object hashKey(JsonNode node) {
		if (node == null) {
			return NullKey.INSTANCE;
		}
		if (node.isNumber()) {
			return node.decimalValue().stripTrailingZeros();
		}
		return node;
	}

	private static boolean objectsEqual(JsonNode left, JsonNode right) {
		if (left.size() != right.size()) {
			return false;
		}
		for (Map.Entry<String, JsonNode> member : left.properties()) {
			if (!equal(member.getValue(), right.get(member.getKey()))) {
				return false;
			}
		}
		return true;
	}

	private static boolean arraysEqual(JsonNode left, JsonNode right) {
		if (left.size() != right.size()) {
			return false;
		}
		Iterator<JsonNode> rightElements = right.elements();
		for (JsonNode element : left) {
			if (!equal(element, rightElements.next())) {
				return false;
			}
		}
		return true;
	}

	/** The key of an absent value, distinct from JSON {@code null}. */
	private enum NullKey {

		INSTANCE

	}

}
