package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one object of a list or watch event, already parsed as a JSON tree, into the informer's Java type and
 * applies the transform. Client-java models and user classes are decoded with client-java's Gson;
 * {@link DynamicKubernetesObject}s wrap the tree itself (no adapter is registered on client-java's shared Gson).
 * Servers leave {@code kind} and {@code apiVersion} out of list items, so they are filled in from the resource type.
 * For a {@link CacheMode#COMPACT compact} cache the transformed object is written back to JSON bytes, which
 * {@link CacheEntry#object()} decodes on every read.
 */
final class ObjectDecoder<T extends KubernetesObject> {

	private static final Logger log = LoggerFactory.getLogger(ObjectDecoder.class);

	private final Class<T> javaType;
	private final ResourceType type;
	private final ObjectTransform transform;
	private final String name;
	private final boolean dynamic;
	private final boolean compact;
	private final AtomicBoolean transformFailed = new AtomicBoolean();

	ObjectDecoder(Class<T> javaType, ResourceType type, ObjectTransform transform, String name, boolean compact) {
		this.javaType = javaType;
		this.compact = compact;
		this.type = type;
		this.transform = transform;
		this.name = name;
		this.dynamic = javaType == DynamicKubernetesObject.class;
	}

	/**
	 * Decodes and transforms one object.
	 *
	 * @throws RuntimeException when the tree does not decode to the Java type or has no name
	 */
	CacheEntry<T> decode(JsonObject json) {
		fillIn(json, "kind", type.kind());
		fillIn(json, "apiVersion", type.apiVersion());
		T object = dynamic ? javaType.cast(new DynamicKubernetesObject(json)) : JSON.getGson().fromJson(json, javaType);
		if (object == null) {
			throw new JsonParseException("the object decoded to null");
		}
		T transformed = transform(object);
		CacheEntry<T> entry = CacheEntry.of(transformed);
		if (!compact) {
			return entry;
		}
		String text = dynamic ? ((DynamicKubernetesObject) transformed).getRaw().toString()
				: JSON.getGson().toJson(transformed);
		return entry.compact(text.getBytes(StandardCharsets.UTF_8), this::decodeCompact);
	}

	private T decodeCompact(byte[] json) {
		String text = new String(json, StandardCharsets.UTF_8);
		return dynamic ? javaType.cast(new DynamicKubernetesObject(JsonParser.parseString(text).getAsJsonObject()))
				: JSON.getGson().fromJson(text, javaType);
	}

	private T transform(T object) {
		try {
			KubernetesObject transformed = transform.apply(object);
			if (javaType.isInstance(transformed)) {
				return javaType.cast(transformed);
			}
			throw new IllegalStateException("the transform returned "
					+ ((transformed != null) ? transformed.getClass().getName() : "null") + " instead of a "
					+ javaType.getName());
		}
		catch (RuntimeException ex) {
			// Caching the object as it is beats losing it: client-java drops an object whose transform throws.
			if (transformFailed.compareAndSet(false, true)) {
				log.warn("Informer {}: the object transform failed; caching the object as the transform left it "
						+ "(further failures are logged at DEBUG)", name, ex);
			}
			else {
				log.debug("Informer {}: the object transform failed", name, ex);
			}
			return object;
		}
	}

	private static void fillIn(JsonObject json, String member, String value) {
		JsonElement present = json.get(member);
		if (present == null || !present.isJsonPrimitive() || present.getAsString().isEmpty()) {
			json.addProperty(member, value);
		}
	}
}
