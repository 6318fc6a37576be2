package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads JSON into a Gson tree, as {@code JsonParser} does, but with every member name made canonical: the names of
 * maps ({@code labels}, {@code annotations}, a ConfigMap's {@code data}) become the keys of the decoded objects'
 * maps, and would otherwise be one more copy per object. Iterative, so that a deeply nested object cannot
 * overflow the thread's stack.
 */
final class JsonTree {

	private JsonTree() {
	}

	/** One JSON value read from a line of text, which must hold nothing else. */
	static JsonElement parse(String text, CanonicalStrings names) {
		try {
			JsonReader reader = new JsonReader(new StringReader(text));
			JsonElement element = read(reader, names);
			if (reader.peek() != JsonToken.END_DOCUMENT) {
				throw new JsonSyntaxException("more than one JSON value on a line");
			}
			return element;
		}
		catch (IOException ex) {
			throw new JsonSyntaxException(ex);
		}
	}

	/** The next value of {@code reader}. */
	static JsonElement read(JsonReader reader, CanonicalStrings names) throws IOException {
		JsonToken token = reader.peek();
		JsonElement root = start(reader, token);
		if (!isContainer(token)) {
			return root;
		}
		Deque<JsonElement> open = new ArrayDeque<>();
		open.push(root);
		while (true) {
			JsonElement container = open.peek();
			if (reader.hasNext()) {
				String name = (container instanceof JsonObject) ? names.canonical(reader.nextName()) : null;
				JsonToken next = reader.peek();
				JsonElement value = start(reader, next);
				if (container instanceof JsonObject object) {
					object.add(name, value);
				}
				else {
					((JsonArray) container).add(value);
				}
				if (isContainer(next)) {
					open.push(value);
				}
			}
			else {
				if (container instanceof JsonObject) {
					reader.endObject();
				}
				else {
					reader.endArray();
				}
				open.pop();
				if (open.isEmpty()) {
					return root;
				}
			}
		}
	}

	private static boolean isContainer(JsonToken token) {
		return token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY;
	}

	/** A value, or an empty container whose members are read next. */
	private static JsonElement start(JsonReader reader, JsonToken token) throws IOException {
		switch (token) {
			case BEGIN_OBJECT -> {
				reader.beginObject();
				return new JsonObject();
			}
			case BEGIN_ARRAY -> {
				reader.beginArray();
				return new JsonArray();
			}
			case STRING -> {
				return new JsonPrimitive(reader.nextString());
			}
			case NUMBER -> {
				// As Gson's own tree: the number's text, parsed when it is read.
				return new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
			}
			case BOOLEAN -> {
				return new JsonPrimitive(reader.nextBoolean());
			}
			case NULL -> {
				reader.nextNull();
				return JsonNull.INSTANCE;
			}
			default -> throw new JsonSyntaxException("unexpected " + token + " at " + reader.getPath());
		}
	}
}
