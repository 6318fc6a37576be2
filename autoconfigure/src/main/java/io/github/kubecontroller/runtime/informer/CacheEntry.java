package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A cached object with the metadata the cache needs, read once when the object is stored: its key
 * ({@code namespace/name}, or {@code name} for cluster-scoped objects), resourceVersion and the uids of its owners.
 * For {@link DynamicKubernetesObject}s these are read from the JSON tree, because their {@code getMetadata()}
 * decodes a fresh copy on every call. A {@link CacheMode#COMPACT compact} entry holds the object's JSON instead of
 * the object and decodes it on every {@link #object()}.
 */
final class CacheEntry<T extends KubernetesObject> {

	/** The object, or for a compact entry its JSON in UTF-8. */
	private final Object payload;
	private final Function<byte[], T> decoder;
	private final String key;
	private final String namespace;
	private final String resourceVersion;
	private final List<String> ownerUids;
	private final long approximateBytes;

	private CacheEntry(Object payload, Function<byte[], T> decoder, String key, String namespace,
			String resourceVersion, List<String> ownerUids, long approximateBytes) {
		this.payload = payload;
		this.decoder = decoder;
		this.key = key;
		this.namespace = namespace;
		this.resourceVersion = resourceVersion;
		this.ownerUids = ownerUids;
		this.approximateBytes = approximateBytes;
	}

	/** The cached object; a fresh copy for a compact entry. */
	@SuppressWarnings("unchecked")
	T object() {
		return (payload instanceof byte[] json) ? decoder.apply(json) : (T) payload;
	}

	/** The cache key. */
	String key() {
		return key;
	}

	/** The namespace, empty for cluster-scoped objects. */
	String namespace() {
		return namespace;
	}

	/** The object's resourceVersion, or null. */
	String resourceVersion() {
		return resourceVersion;
	}

	/** The uids in {@code metadata.ownerReferences}. */
	List<String> ownerUids() {
		return ownerUids;
	}

	/** The length of the object's JSON as received, 0 when unknown. */
	long approximateBytes() {
		return approximateBytes;
	}

	/**
	 * This entry holding {@code json} in place of its object, decoded by {@code decoder} on every read.
	 */
	CacheEntry<T> compact(byte[] json, Function<byte[], T> decoder) {
		return new CacheEntry<>(json, decoder, key, namespace, resourceVersion, ownerUids, approximateBytes);
	}

	/**
	 * The entry of an object.
	 *
	 * @throws IllegalArgumentException when the object has no name
	 */
	static <T extends KubernetesObject> CacheEntry<T> of(T object) {
		if (object instanceof DynamicKubernetesObject dynamic) {
			return fromJson(object, dynamic.getRaw());
		}
		V1ObjectMeta metadata = object.getMetadata();
		if (metadata == null || metadata.getName() == null || metadata.getName().isEmpty()) {
			throw new IllegalArgumentException("the object has no metadata.name");
		}
		List<String> owners = List.of();
		if (metadata.getOwnerReferences() != null && !metadata.getOwnerReferences().isEmpty()) {
			owners = new ArrayList<>(metadata.getOwnerReferences().size());
			for (V1OwnerReference owner : metadata.getOwnerReferences()) {
				if (owner.getUid() != null) {
					owners.add(owner.getUid());
				}
			}
		}
		return new CacheEntry<>(object, null, key(metadata.getNamespace(), metadata.getName()),
				nullToEmpty(metadata.getNamespace()), metadata.getResourceVersion(), owners, 0);
	}

	/** This entry with the length of the object's JSON as received. */
	CacheEntry<T> withApproximateBytes(long bytes) {
		return new CacheEntry<>(payload, decoder, key, namespace, resourceVersion, ownerUids, bytes);
	}

	/** The key of an object: {@code namespace/name}, or {@code name} without a namespace. */
	static String key(String namespace, String name) {
		return (namespace == null || namespace.isEmpty()) ? name : namespace + "/" + name;
	}

	private static <T extends KubernetesObject> CacheEntry<T> fromJson(T object, JsonObject raw) {
		JsonObject metadata = member(raw, "metadata");
		String name = text(metadata, "name");
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("the object has no metadata.name");
		}
		String namespace = text(metadata, "namespace");
		List<String> owners = List.of();
		JsonElement references = (metadata != null) ? metadata.get("ownerReferences") : null;
		if (references != null && references.isJsonArray()) {
			JsonArray array = references.getAsJsonArray();
			owners = new ArrayList<>(array.size());
			for (JsonElement reference : array) {
				String uid = reference.isJsonObject() ? text(reference.getAsJsonObject(), "uid") : null;
				if (uid != null) {
					owners.add(uid);
				}
			}
		}
		return new CacheEntry<>(object, null, key(namespace, name), nullToEmpty(namespace),
				text(metadata, "resourceVersion"), owners, 0);
	}

	static JsonObject member(JsonObject object, String name) {
		JsonElement value = (object != null) ? object.get(name) : null;
		return (value != null && value.isJsonObject()) ? value.getAsJsonObject() : null;
	}

	static String text(JsonObject object, String name) {
		JsonElement value = (object != null) ? object.get(name) : null;
		return (value != null && value.isJsonPrimitive()) ? value.getAsString() : null;
	}

	private static String nullToEmpty(String value) {
		return (value == null) ? "" : value;
	}
}
