package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one object of a list or watch event, already parsed as a JSON tree, into the informer's Java type and
 * applies the transform. Client-java models and user classes are decoded with client-java's Gson;
 * {@link DynamicKubernetesObject}s wrap the tree itself (no adapter is registered on client-java's shared Gson).
 * Servers leave {@code kind} and {@code apiVersion} out of list items, so they are filled in from the resource type.
 *
 * <p>Strings that repeat across objects (apiVersion, kind, namespace, label values, finalizers, owner references'
 * apiVersion and kind) are replaced in the tree by this informer's {@link CanonicalStrings} before decoding, so the
 * cached objects share them; the trees' member names, map keys among them, are made canonical when they are read
 * ({@link JsonTree}).
 *
 * <p>For a {@link CacheMode#COMPACT compact} cache the transformed object is kept in its {@link CompactForm}. With
 * a built-in transform the transform runs on the JSON tree, which is kept as it came; otherwise the transformed
 * object is written back to JSON.
 *
 * <p>Used on the informer's list/watch thread only.
 */
final class ObjectDecoder<T extends KubernetesObject> {

	private static final Logger log = LoggerFactory.getLogger(ObjectDecoder.class);

	/** A decoded object and its cache entry, which for a compact cache holds the object's compact form only. */
	record Decoded<T extends KubernetesObject>(CacheEntry<T> entry, T object) {
	}

	private final Class<T> javaType;
	private final ObjectTransform transform;
	private final String name;
	private final boolean dynamic;
	private final CompactForm<T> compactForm;
	private final boolean transformTrees;
	private final CanonicalStrings strings = new CanonicalStrings();
	private final String apiVersion;
	private final String kind;
	private final AtomicBoolean transformFailed = new AtomicBoolean();

	ObjectDecoder(Class<T> javaType, ResourceType type, ObjectTransform transform, String name, boolean compact) {
		this.javaType = javaType;
		this.transform = transform;
		this.name = name;
		this.dynamic = javaType == DynamicKubernetesObject.class;
		this.compactForm = compact ? new CompactForm<>(javaType, type) : null;
		this.transformTrees = compact && BuiltInTransform.appliesToTrees(transform);
		this.apiVersion = strings.canonical(type.apiVersion());
		this.kind = strings.canonical(type.kind());
	}

	/** The canonical strings of this informer, for the trees it reads. */
	CanonicalStrings strings() {
		return strings;
	}

	/**
	 * Decodes and transforms one object; the tree may be changed.
	 *
	 * @throws RuntimeException when the tree does not decode to the Java type or has no name
	 */
	Decoded<T> decode(JsonObject json) {
		fillIn(json, "kind", kind);
		fillIn(json, "apiVersion", apiVersion);
		canonicalize(json);
		if (transformTrees) {
			JsonObject tree = transformTree(json);
			T object = toObject(tree);
			CacheEntry<T> entry = CacheEntry.of(object);
			return new Decoded<>(entry.compact(compactForm.encode(tree, entry), compactForm), object);
		}
		T transformed = transform(toObject(json));
		CacheEntry<T> entry = CacheEntry.of(transformed);
		if (compactForm == null) {
			return new Decoded<>(entry, transformed);
		}
		JsonObject tree = dynamic ? ((DynamicKubernetesObject) transformed).getRaw()
				: JSON.getGson().toJsonTree(transformed).getAsJsonObject();
		return new Decoded<>(entry.compact(compactForm.encode(tree, entry), compactForm), transformed);
	}

	private T toObject(JsonObject json) {
		T object = dynamic ? javaType.cast(new DynamicKubernetesObject(json)) : JSON.getGson().fromJson(json, javaType);
		if (object == null) {
			throw new JsonParseException("the object decoded to null");
		}
		return object;
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
			transformFailed(ex);
			return object;
		}
	}

	/** A built-in transform applied to the tree, which it changes in place. */
	private JsonObject transformTree(JsonObject json) {
		try {
			KubernetesObject transformed = transform.apply(new DynamicKubernetesObject(json));
			return (transformed instanceof DynamicKubernetesObject dynamicObject) ? dynamicObject.getRaw() : json;
		}
		catch (RuntimeException ex) {
			transformFailed(ex);
			return json;
		}
	}

	private void transformFailed(RuntimeException ex) {
		// Caching the object as it is beats losing it: client-java drops an object whose transform throws.
		if (transformFailed.compareAndSet(false, true)) {
			log.warn("Informer {}: the object transform failed; caching the object as the transform left it "
					+ "(further failures are logged at DEBUG)", name, ex);
		}
		else {
			log.debug("Informer {}: the object transform failed", name, ex);
		}
	}

	/** Replaces the strings that repeat across objects by their canonical instances. */
	private void canonicalize(JsonObject json) {
		canonicalMember(json, "apiVersion");
		canonicalMember(json, "kind");
		JsonObject metadata = CacheEntry.member(json, "metadata");
		if (metadata == null) {
			return;
		}
		canonicalMember(metadata, "namespace");
		JsonObject labels = CacheEntry.member(metadata, "labels");
		if (labels != null) {
			for (Map.Entry<String, JsonElement> label : labels.entrySet()) {
				String value = canonicalText(label.getValue());
				if (value != null) {
					label.setValue(new JsonPrimitive(value));
				}
			}
		}
		JsonElement finalizers = metadata.get("finalizers");
		if (finalizers != null && finalizers.isJsonArray()) {
			JsonArray array = finalizers.getAsJsonArray();
			for (int i = 0; i < array.size(); i++) {
				String value = canonicalText(array.get(i));
				if (value != null) {
					array.set(i, new JsonPrimitive(value));
				}
			}
		}
		JsonElement owners = metadata.get("ownerReferences");
		if (owners != null && owners.isJsonArray()) {
			for (JsonElement owner : owners.getAsJsonArray()) {
				if (owner.isJsonObject()) {
					canonicalMember(owner.getAsJsonObject(), "apiVersion");
					canonicalMember(owner.getAsJsonObject(), "kind");
				}
			}
		}
	}

	private void canonicalMember(JsonObject object, String member) {
		String value = canonicalText(object.get(member));
		if (value != null) {
			object.add(member, new JsonPrimitive(value));
		}
	}

	/** The canonical instance of a string value when it is another instance than the value's own, else null. */
	private String canonicalText(JsonElement element) {
		if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
			return null;
		}
		String value = element.getAsString();
		String canonical = strings.canonical(value);
		return (canonical != value) ? canonical : null;
	}

	private static void fillIn(JsonObject json, String member, String value) {
		JsonElement present = json.get(member);
		if (present == null || !present.isJsonPrimitive() || present.getAsString().isEmpty()) {
			json.addProperty(member, value);
		}
	}
}
