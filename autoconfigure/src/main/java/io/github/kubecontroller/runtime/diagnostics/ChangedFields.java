package io.github.kubecontroller.runtime.diagnostics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The paths of the fields that differ between two states of an object, such as {@code status.lastUpdated} or
 * {@code metadata.annotations['example.com/touched']}, each with a hash of its new value. Values themselves are never
 * kept, so that what is reported about an object tells nothing of its contents; the hash only tells whether a field
 * came back to a value it had before.
 */
final class ChangedFields {

	/** Paths up to this many are listed; a bigger change is summed up by its parents. */
	static final int MAX_PATHS = 20;

	private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

	private ChangedFields() {
	}

	/** The paths changed from {@code before} to {@code after}, sorted, with a hash of each new value. */
	static Map<String, Integer> between(KubernetesObject before, KubernetesObject after) {
		return between(tree(before), tree(after));
	}

	/** The paths changed from one JSON tree of an object to another, with a hash of each new value. */
	static Map<String, Integer> between(JsonElement before, JsonElement after) {
		Map<String, Integer> paths = new TreeMap<>();
		collect("", before, after, paths);
		return paths;
	}

	/** The object as a JSON tree, which {@link #between(JsonElement, JsonElement)} compares. */
	static JsonElement tree(KubernetesObject object) {
		if (object instanceof DynamicKubernetesObject dynamic) {
			return dynamic.getRaw();
		}
		return JSON.getGson().toJsonTree(object);
	}

	private static void collect(String path, JsonElement before, JsonElement after, Map<String, Integer> paths) {
		if (before.equals(after) || ignored(path)) {
			return;
		}
		if (paths.size() >= MAX_PATHS) {
			return;
		}
		if (before.isJsonObject() && after.isJsonObject()) {
			JsonObject beforeObject = before.getAsJsonObject();
			JsonObject afterObject = after.getAsJsonObject();
			Set<String> names = new TreeSet<>(beforeObject.keySet());
			names.addAll(afterObject.keySet());
			for (String name : names) {
				collect(child(path, name), valueOf(beforeObject.get(name)), valueOf(afterObject.get(name)), paths);
			}
			return;
		}
		if (before.isJsonArray() && after.isJsonArray()
				&& before.getAsJsonArray().size() == after.getAsJsonArray().size()) {
			JsonArray beforeArray = before.getAsJsonArray();
			JsonArray afterArray = after.getAsJsonArray();
			for (int i = 0; i < beforeArray.size(); i++) {
				collect(path + "[" + i + "]", beforeArray.get(i), afterArray.get(i), paths);
			}
			return;
		}
		// A value, or a list that grew or shrank: the path itself changed.
		paths.put(path.isEmpty() ? "(object)" : path, after.hashCode());
	}

	private static JsonElement valueOf(JsonElement element) {
		return element == null ? JsonNull.INSTANCE : element;
	}

	// Fields the API server changes on every write: they say nothing about who changed what.
	private static boolean ignored(String path) {
		return path.equals("metadata.resourceVersion") || path.equals("metadata.managedFields")
				|| path.equals("metadata.generation");
	}

	private static String child(String path, String name) {
		if (PLAIN_NAME.matcher(name).matches()) {
			return path.isEmpty() ? name : path + "." + name;
		}
		return path + "['" + name.replace("'", "\\'") + "']";
	}
}
