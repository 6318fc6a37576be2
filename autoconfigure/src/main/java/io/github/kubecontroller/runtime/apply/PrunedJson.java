package io.github.kubecontroller.runtime.apply;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns desired state into the JSON tree that is sent, without the empty lists and maps that client-java's models
 * carry by default.
 *
 * <p>Every generated model initialises its list and map fields, so a plain serialisation of
 * {@code new V1ConfigMap().metadata(new V1ObjectMeta().name("x"))} says {@code "finalizers":[]},
 * {@code "ownerReferences":[]}, {@code "labels":{}} and {@code "annotations":{}}. In a merge patch {@code []} wipes
 * the list; in a forced server-side apply the field manager takes ownership of those fields as empty, removing
 * what other managers put there (another controller's finalizer, a label added by a person).
 *
 * <p>What is dropped:
 * <ul>
 *   <li>nulls and empty arrays, as object members and as array elements;</li>
 *   <li>empty maps and collections held in fields declared as a {@code Map} or {@code Collection} type (every
 *       list and map field of the generated models, and of custom resource classes written the same way).</li>
 * </ul>
 * Empty <em>objects</em> are kept: {@code emptyDir: {}} selects a volume type, a NetworkPolicy's
 * {@code egress: [{}]} allows all traffic and {@code podSelector: {}} selects every pod. Pruning those, as a
 * tree-wide "drop empty objects" would, silently changes what the object means. Values of fields declared as
 * {@code Object}, and trees given as {@code JsonObject}, {@code Map} or {@code DynamicKubernetesObject}, keep their
 * empty maps, since there they are written on purpose.
 *
 * <p>The tradeoff: an empty list can never be sent. Under server-side apply that is what the user means anyway —
 * leaving a field out of an apply releases this manager's ownership, and the server removes the values only it
 * owned — so a status whose {@code conditions} were emptied ends up without a {@code conditions} field rather than
 * with {@code conditions: []}. Readers must treat the two alike, as the API conventions ask.
 */
final class PrunedJson {

	private final Gson gson;

	/** Serialises with {@code base} (the client's Gson), dropping empty collection and map fields. */
	PrunedJson(Gson base) {
		this.gson = base.newBuilder().registerTypeAdapterFactory(new EmptyCollectionsOmitted()).create();
	}

	/** The pruned tree of {@code value}; a JSON null when nothing is left. */
	JsonElement tree(@Nullable Object value) {
		if (value == null) {
			return JsonNull.INSTANCE;
		}
		if (value instanceof JsonElement element) {
			return prune(element.deepCopy());
		}
		if (value instanceof DynamicKubernetesObject dynamic) {
			return prune(dynamic.getRaw().deepCopy());
		}
		return prune(this.gson.toJsonTree(value));
	}

	/** The pruned tree of an object; fails when {@code value} is not a JSON object. */
	JsonObject objectTree(Object value) {
		JsonElement tree = tree(value);
		if (!tree.isJsonObject()) {
			throw new IllegalArgumentException("expected an object, got " + tree);
		}
		return tree.getAsJsonObject();
	}

	/** Removes nulls and empty arrays from {@code element}, depth first, in place; returns it. */
	static JsonElement prune(JsonElement element) {
		if (element.isJsonObject()) {
			Iterator<Map.Entry<String, JsonElement>> members = element.getAsJsonObject().entrySet().iterator();
			while (members.hasNext()) {
				JsonElement value = prune(members.next().getValue());
				if (isDroppable(value)) {
					members.remove();
				}
			}
		}
		else if (element.isJsonArray()) {
			JsonArray array = element.getAsJsonArray();
			for (int i = array.size() - 1; i >= 0; i--) {
				if (isDroppable(prune(array.get(i)))) {
					array.remove(i);
				}
			}
		}
		return element;
	}

	// An array that held only nulls is empty by now, and goes too.
	private static boolean isDroppable(JsonElement value) {
		return value.isJsonNull() || (value.isJsonArray() && value.getAsJsonArray().isEmpty());
	}

	/**
	 * Writes an empty collection or map held in a field of a parameterized collection or map type as absent. Only
	 * declared field types are parameterized: a value held in an {@code Object} field is looked up by its runtime
	 * class, which is not, so it is left alone.
	 */
	private static final class EmptyCollectionsOmitted implements TypeAdapterFactory {

		@Override
		public <T> @Nullable TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
			if (!(type.getType() instanceof ParameterizedType)) {
				return null;
			}
			Class<? super T> raw = type.getRawType();
			if (!Collection.class.isAssignableFrom(raw) && !Map.class.isAssignableFrom(raw)) {
				return null;
			}
			TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
			return new TypeAdapter<>() {

				@Override
				public void write(JsonWriter out, T value) throws IOException {
					if (value == null || (value instanceof Collection<?> collection && collection.isEmpty())
							|| (value instanceof Map<?, ?> map && map.isEmpty())) {
						// With nulls not serialised (the client's setting), this drops the member altogether.
						out.nullValue();
					}
					else {
						delegate.write(out, value);
					}
				}

				@Override
				public T read(JsonReader in) throws IOException {
					return delegate.read(in);
				}
			};
		}
	}
}
