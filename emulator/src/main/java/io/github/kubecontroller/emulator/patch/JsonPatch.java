package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patch (RFC 6902), the {@code application/json-patch+json} patch type: a list of {@code add}, {@code remove},
 * {@code replace}, {@code move}, {@code copy} and {@code test} operations applied in order, all or nothing.
 */
public final class JsonPatch {

	/** The most operations the API server accepts in one patch. */
	public static final int MAX_OPERATIONS = 10_000;

	private JsonPatch() {
	}

	/**
	 * Applies {@code operations} to {@code target} and returns a new tree; neither argument is modified.
	 * @param target the document to patch
	 * @param operations a JSON array of operation objects
	 * @return the patched document
	 * @throws PatchException {@code MALFORMED} when {@code operations} is not a valid patch,
	 *         {@code TOO_MANY_OPERATIONS} past {@value #MAX_OPERATIONS} operations, {@code FAILED} when an operation
	 *         cannot be applied (a failed test, a missing path, an index out of bounds)
	 */
	public static JsonNode apply(JsonNode target, JsonNode operations) {
		List<Operation> parsed = parse(operations);
		JsonNode document = (target != null) ? target.deepCopy() : NullNode.getInstance();
		for (Operation operation : parsed) {
			document = operation.applyTo(document);
		}
		return document;
	}

	private static List<Operation> parse(JsonNode operations) {
		if (operations == null || !operations.isArray()) {
			throw PatchException.malformed("a JSON patch must be a JSON array of operations");
		}
		for (int i = 0; i < operations.size(); i++) {
			if (!operations.get(i).isObject()) {
				throw PatchException.malformed("operation " + i + " of the JSON patch is not a JSON object");
			}
		}
		if (operations.size() > MAX_OPERATIONS) {
			throw new PatchException(PatchException.Kind.TOO_MANY_OPERATIONS, "The allowed maximum operations in a "
					+ "JSON patch is " + MAX_OPERATIONS + ", got " + operations.size());
		}
		List<Operation> parsed = new ArrayList<>(operations.size());
		for (int i = 0; i < operations.size(); i++) {
			parsed.add(Operation.parse(i, operations.get(i)));
		}
		return parsed;
	}

	private enum Op {

		ADD, REMOVE, REPLACE, MOVE, COPY, TEST;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}

		boolean needsValue() {
			return this == ADD || this == REPLACE || this == TEST;
		}

		boolean needsFrom() {
			return this == MOVE || this == COPY;
		}

		static Op of(String name) {
			for (Op op : values()) {
				if (op.id().equals(name)) {
					return op;
				}
			}
			return null;
		}

	}

	/** One validated operation; {@code from} and {@code value} are {@code null} when the op takes none. */
	private record Operation(Op op, PatchPointer path, PatchPointer from, JsonNode value) {

		static Operation parse(int index, JsonNode node) {
			JsonNode opName = node.get("op");
			Op op = (opName != null && opName.isTextual()) ? Op.of(opName.textValue()) : null;
			if (op == null) {
				throw PatchException.malformed("operation " + index + " has "
						+ ((opName == null) ? "no \"op\"" : "an invalid \"op\" " + opName));
			}
			PatchPointer path = pointer(index, op, node, "path");
			PatchPointer from = op.needsFrom() ? pointer(index, op, node, "from") : null;
			if (op.needsValue() && !node.has("value")) {
				throw PatchException.malformed("operation " + index + " (" + op.id() + ") has no \"value\"");
			}
			return new Operation(op, path, from, op.needsValue() ? node.get("value") : null);
		}

		private static PatchPointer pointer(int index, Op op, JsonNode node, String member) {
			JsonNode text = node.get(member);
			if (text == null || !text.isTextual()) {
				throw PatchException.malformed("operation " + index + " (" + op.id() + ") has no string \"" + member
						+ "\"");
			}
			return PatchPointer.parse(text.textValue());
		}

		JsonNode applyTo(JsonNode document) {
			return switch (this.op) {
				case ADD -> add(document, this.path, this.value.deepCopy());
				case REMOVE -> {
					remove(document, this.path, "remove");
					yield document;
				}
				case REPLACE -> replace(document, this.path, this.value.deepCopy());
				case MOVE -> move(document);
				case COPY -> add(document, this.path, existing(document, this.from, "copy").deepCopy());
				case TEST -> test(document);
			};
		}

		private JsonNode move(JsonNode document) {
			if (this.from.equals(this.path)) {
				existing(document, this.from, "move");
				return document;
			}
			if (this.from.isProperPrefixOf(this.path)) {
				throw PatchException.failed("move operation failed: cannot move " + this.from + " into its own child "
						+ this.path);
			}
			JsonNode moved = remove(document, this.from, "move");
			return add(document, this.path, moved);
		}

		private JsonNode test(JsonNode document) {
			JsonNode actual = find(document, this.path);
			if (actual == null) {
				throw PatchException.failed("test operation failed at " + this.path + ": the path does not exist");
			}
			if (!JsonEquality.equal(actual, this.value)) {
				throw PatchException.failed("test operation failed at " + this.path);
			}
			return document;
		}

	}

	private static JsonNode add(JsonNode document, PatchPointer path, JsonNode value) {
		if (path.isRoot()) {
			return value;
		}
		JsonNode parent = find(document, path.parent());
		if (parent instanceof ObjectNode object) {
			object.set(path.last(), value);
		}
		else if (parent instanceof ArrayNode array) {
			int index = "-".equals(path.last()) ? array.size() : arrayIndex(path, "add");
			if (index > array.size()) {
				throw outOfBounds("add", path, index, array);
			}
			array.insert(index, value);
		}
		else {
			throw PatchException.failed("add operation failed at " + path + ": "
					+ ((parent == null) ? "the parent " + path.parent() + " does not exist"
							: "the parent " + path.parent() + " is neither an object nor an array"));
		}
		return document;
	}

	private static JsonNode remove(JsonNode document, PatchPointer path, String op) {
		if (path.isRoot()) {
			throw PatchException.failed(op + " operation failed: cannot remove the whole document");
		}
		JsonNode parent = find(document, path.parent());
		if (parent instanceof ObjectNode object && object.has(path.last())) {
			return object.remove(path.last());
		}
		if (parent instanceof ArrayNode array) {
			int index = arrayIndex(path, op);
			if (index >= array.size()) {
				throw outOfBounds(op, path, index, array);
			}
			return array.remove(index);
		}
		throw missing(op, path);
	}

	private static JsonNode replace(JsonNode document, PatchPointer path, JsonNode value) {
		if (path.isRoot()) {
			return value;
		}
		JsonNode parent = find(document, path.parent());
		// kube-apiserver 1.32 applies JSON patches with evanphx/json-patch v4, whose replace sets a missing member of
		// an existing object instead of failing; client-java's updateStatus ("replace /status") relies on it.
		if (parent instanceof ObjectNode object) {
			object.set(path.last(), value);
			return document;
		}
		if (parent instanceof ArrayNode array) {
			int index = arrayIndex(path, "replace");
			if (index >= array.size()) {
				throw outOfBounds("replace", path, index, array);
			}
			array.set(index, value);
			return document;
		}
		throw missing("replace", path);
	}

	private static JsonNode existing(JsonNode document, PatchPointer path, String op) {
		JsonNode value = find(document, path);
		if (value == null) {
			throw missing(op, path);
		}
		return value;
	}

	/** The value at {@code path}, {@code null} when there is none. */
	private static JsonNode find(JsonNode document, PatchPointer path) {
		JsonNode current = document;
		for (String token : path.tokens()) {
			if (current.isObject()) {
				current = current.get(token);
			}
			else if (current.isArray() && isArrayIndex(token)) {
				current = current.get(Integer.parseInt(token));
			}
			else {
				return null;
			}
			if (current == null) {
				return null;
			}
		}
		return current;
	}

	private static int arrayIndex(PatchPointer path, String op) {
		if (!isArrayIndex(path.last())) {
			throw PatchException.failed(op + " operation failed at " + path + ": \"" + path.last()
					+ "\" is not a valid array index");
		}
		return Integer.parseInt(path.last());
	}

	/** RFC 6901 array indices: no sign, no leading zero; capped so that they always fit an int. */
	private static boolean isArrayIndex(String token) {
		if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
			return false;
		}
		return token.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	private static PatchException outOfBounds(String op, PatchPointer path, int index, ArrayNode array) {
		return PatchException.failed(op + " operation failed at " + path + ": index " + index
				+ " is out of bounds for an array of size " + array.size());
	}

	private static PatchException missing(String op, PatchPointer path) {
		return PatchException.failed(op + " operation failed: the path " + path + " does not exist");
	}

}
