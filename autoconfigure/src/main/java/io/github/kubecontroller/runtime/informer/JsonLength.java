package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The approximate length of a JSON tree written out compactly, for the cache's size figure. Escapes are not
 * counted; the walk uses its own stack, so a deeply nested object cannot overflow the thread's.
 */
final class JsonLength {

	private JsonLength() {
	}

	static long of(JsonElement root) {
		long length = 0;
		Deque<JsonElement> pending = new ArrayDeque<>();
		pending.push(root);
		while (!pending.isEmpty()) {
			JsonElement element = pending.pop();
			if (element instanceof JsonObject object) {
				length += 2 + Math.max(0, object.size() - 1); // braces and commas
				for (Map.Entry<String, JsonElement> member : object.entrySet()) {
					length += member.getKey().length() + 3; // quotes and colon
					pending.push(member.getValue());
				}
			}
			else if (element instanceof JsonArray array) {
				length += 2 + Math.max(0, array.size() - 1);
				for (JsonElement item : array) {
					pending.push(item);
				}
			}
			else if (element instanceof JsonPrimitive primitive) {
				length += primitive.isString() ? primitive.getAsString().length() + 2 : primitive.toString().length();
			}
			else {
				length += 4; // null
			}
		}
		return length;
	}
}
