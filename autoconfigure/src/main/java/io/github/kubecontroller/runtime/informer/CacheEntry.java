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

/**
 * A cached object with the metadata the cache needs, read once when the object is stored: its namespace and name
 * (the key), resourceVersion and the uids of its owners. For {@link DynamicKubernetesObject}s these are read from
 * the JSON tree, because their {@code getMetadata()} decodes a fresh copy on every call. A
 * {@link CacheMode#COMPACT compact} entry holds the object's {@link CompactForm} instead of the object and decodes
 * it on every {@link #object()}.
 *
 * <p>Kept small, as there is one per cached object: the key is not stored but made from namespace and name when
 * asked for, and the strings are the object's own (or, for a compact entry, canonical ones).
 */
final class CacheEntry<T extends KubernetesObject> {

	/** The object, or for a compact entry its compact form. */
	private final Object payload;
	private final CompactForm<T> compactForm;
	private final String namespace;
	private final String name;
	private final String resourceVersion;
	private final List<String> ownerUids;
	private final int approximateBytes;

	private CacheEntry(Object payload, CompactForm<T> compactForm, String namespace, String name,
			String resourceVersion, List<String> ownerUids, int approximateBytes) {
		this.payload = payload;
		this.compactForm = compactForm;
		this.namespace = namespace;
		this.name = name;
		this.resourceVersion = resourceVersion;
		this.ownerUids = ownerUids;
		this.approximateBytes = approximateBytes;
	}

	/** The cached object; a fresh copy for a compact entry. */
	@SuppressWarnings("unchecked")
	T object() {
		return (compactForm != null) ? compactForm.decode((byte[]) payload, this) : (T) payload;
	}

	/** Whether this entry holds its object in compact form. */
	boolean isCompact() {
		return compactForm != null;
	}

	/** The cache key: {@code namespace/name}, or {@code name} for cluster-scoped objects. Made on each call. */
	String key() {
		return key(namespace, name);
	}

	/** Whether this is the entry of the object {@code namespace/name}. */
	boolean is(String namespace, String name) {
		return this.name.equals(name) && this.namespace.equals(namespace);
	}

	/** The namespace, empty for cluster-scoped objects. */
	String namespace() {
		return namespace;
	}

	/** The object's name. */
	String name() {
		return name;
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

	/** This entry holding {@code form}, the object's compact form, in place of the object. */
	CacheEntry<T> compact(byte[] form, CompactForm<T> codec) {
		return new CacheEntry<>(form, codec, namespace, name, resourceVersion, ownerUids, approximateBytes);
	}

	/** This entry with the length of the object's JSON as received. */
	CacheEntry<T> withApproximateBytes(long bytes) {
		return new CacheEntry<>(payload, compactForm, namespace, name, resourceVersion, ownerUids,
				(int) Math.min(Integer.MAX_VALUE, Math.max(0, bytes)));
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
			List<String> uids = new ArrayList<>(metadata.getOwnerReferences().size());
			for (V1OwnerReference owner : metadata.getOwnerReferences()) {
				if (owner.getUid() != null) {
					uids.add(owner.getUid());
				}
			}
			owners = List.copyOf(uids);
		}
		return new CacheEntry<>(object, null, nullToEmpty(metadata.getNamespace()), metadata.getName(),
				metadata.getResourceVersion(), owners, 0);
	}

	/**
	 * The entry of an object from its JSON tree.
	 *
	 * @throws IllegalArgumentException when the object has no name
	 */
	static <T extends KubernetesObject> CacheEntry<T> fromJson(T object, JsonObject raw) {
		JsonObject metadata = member(raw, "metadata");
		String name = text(metadata, "name");
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("the object has no metadata.name");
		}
		List<String> owners = List.of();
		JsonElement references = (metadata != null) ? metadata.get("ownerReferences") : null;
		if (references != null && references.isJsonArray() && !references.getAsJsonArray().isEmpty()) {
			JsonArray array = references.getAsJsonArray();
			List<String> uids = new ArrayList<>(array.size());
			for (JsonElement reference : array) {
				String uid = reference.isJsonObject() ? text(reference.getAsJsonObject(), "uid") : null;
				if (uid != null) {
					uids.add(uid);
				}
			}
			owners = List.copyOf(uids);
		}
		return new CacheEntry<>(object, null, nullToEmpty(text(metadata, "namespace")), name,
				text(metadata, "resourceVersion"), owners, 0);
	}

	/** The key of an object: {@code namespace/name}, or {@code name} without a namespace. */
	static String key(String namespace, String name) {
		return (namespace == null || namespace.isEmpty()) ? name : namespace + "/" + name;
	}

	/** The namespace of a key, empty for a cluster-scoped one. Names and namespaces never contain a slash. */
	static String namespaceOf(String key) {
		int slash = key.indexOf('/');
		return (slash < 0) ? "" : key.substring(0, slash);
	}

	/** The name of a key. */
	static String nameOf(String key) {
		return key.substring(key.indexOf('/') + 1);
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
