package io.github.kubecontroller.emulator.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * Turns objects into their stored form and back, and writes them in the shape a reader asked for: whole (with kind
 * and apiVersion of the requested version) or as a list item (built-in list items carry no kind and apiVersion, as
 * on a real server; custom resource items do).
 */
public final class ObjectCodec {

	/** The order kube-apiserver writes ObjectMeta members in. */
	private static final List<String> METADATA_ORDER = List.of("name", "generateName", "namespace", "selfLink",
			"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
			"deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

	private ObjectCodec() {
	}

	/** The stored form of {@code object}, which must carry its final metadata (including resourceVersion). */
	public static StoredObject encode(ResourceType type, ObjectNode object) {
		ObjectNode metadata = (ObjectNode) object.get("metadata");
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try {
			out.write('{');
			writeMember(out, "kind", object.get("kind"));
			out.write(',');
			writeMember(out, "apiVersion", object.get("apiVersion"));
			out.write(',');
			int typeMetaEnd = out.size();
			writeMember(out, "metadata", orderedMetadata(metadata));
			Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				String name = field.getKey();
				if (!name.equals("kind") && !name.equals("apiVersion") && !name.equals("metadata")) {
					out.write(',');
					writeMember(out, name, field.getValue());
				}
			}
			out.write('}');
			// Namespaces and labels repeat across objects: one shared copy each keeps the store near the JSON size.
			return new StoredObject(text(metadata, "namespace").intern(), text(metadata, "name"), text(metadata, "uid"),
					Long.parseLong(text(metadata, "resourceVersion")), out.toByteArray(), typeMetaEnd,
					labels(metadata), selectableFields(type, object), metadata.hasNonNull("deletionTimestamp"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A mutable copy of the stored object. */
	public static ObjectNode decode(StoredObject stored) {
		try {
			return (ObjectNode) Json.MAPPER.readTree(stored.json());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The object as a client of {@code servedAs} reads it, at {@code revision}. */
	public static byte[] whole(StoredObject stored, ResourceType servedAs, long revision) {
		if (needsRewrite(stored, servedAs, revision)) {
			return Json.write(present(stored, servedAs, revision));
		}
		return stored.json();
	}

	/** The object as an item of a list of {@code servedAs}. */
	public static byte[] listItem(StoredObject stored, ResourceType servedAs) {
		if (servedAs.isCustom()) {
			return whole(stored, servedAs, stored.resourceVersion());
		}
		if (needsRewrite(stored, servedAs, stored.resourceVersion())) {
			ObjectNode object = present(stored, servedAs, stored.resourceVersion());
			object.remove("kind");
			object.remove("apiVersion");
			return Json.write(object);
		}
		byte[] json = stored.json();
		byte[] item = new byte[json.length - stored.typeMetaEnd() + 1];
		item[0] = '{';
		System.arraycopy(json, stored.typeMetaEnd(), item, 1, json.length - stored.typeMetaEnd());
		return item;
	}

	/** A mutable copy of the object as {@code servedAs} presents it. */
	public static ObjectNode present(StoredObject stored, ResourceType servedAs, long revision) {
		ObjectNode object = VersionConversion.fromStorage(servedAs, decode(stored));
		if (revision != stored.resourceVersion()) {
			((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(revision));
		}
		return object;
	}

	private static boolean needsRewrite(StoredObject stored, ResourceType servedAs, long revision) {
		if (revision != stored.resourceVersion()) {
			return true;
		}
		String expectedPrefix = "{\"kind\":\"" + servedAs.kind() + "\",\"apiVersion\":\"" + servedAs.apiVersion()
				+ "\",";
		byte[] json = stored.json();
		byte[] expected = expectedPrefix.getBytes(StandardCharsets.UTF_8);
		if (expected.length != stored.typeMetaEnd()) {
			return true;
		}
		for (int i = 0; i < expected.length; i++) {
			if (json[i] != expected[i]) {
				return true;
			}
		}
		return false;
	}

	private static ObjectNode orderedMetadata(ObjectNode metadata) {
		ObjectNode ordered = Json.object();
		for (String name : METADATA_ORDER) {
			JsonNode value = metadata.get(name);
			if (value != null && !value.isNull()) {
				ordered.set(name, value);
			}
		}
		metadata.fields().forEachRemaining((field) -> {
			if (!ordered.has(field.getKey()) && !field.getValue().isNull()) {
				ordered.set(field.getKey(), field.getValue());
			}
		});
		return ordered;
	}

	private static void writeMember(ByteArrayOutputStream out, String name, JsonNode value) throws IOException {
		out.write('"');
		out.write(name.getBytes(StandardCharsets.UTF_8));
		out.write('"');
		out.write(':');
		out.write(Json.write(value));
	}

	static String text(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value == null || value.isNull()) ? "" : value.asText();
	}

	private static Map<String, String> labels(ObjectNode metadata) {
		JsonNode labels = metadata.get("labels");
		if (labels == null || !labels.isObject() || labels.isEmpty()) {
			return Map.of();
		}
		Map<String, String> map = new HashMap<>();
		labels.fields().forEachRemaining((e) -> map.put(e.getKey().intern(), e.getValue().asText().intern()));
		return Map.copyOf(map);
	}

	private static Map<String, String> selectableFields(ResourceType type, ObjectNode object) {
		Map<String, String> fields = type.rules().selectableFields();
		if (fields.isEmpty()) {
			return Map.of();
		}
		Map<String, String> values = new HashMap<>();
		fields.forEach((label, path) -> {
			JsonNode node = object;
			for (String part : path.split("\\.")) {
				node = (node != null) ? node.get(part) : null;
			}
			if (node != null && !node.isNull() && node.isValueNode()) {
				values.put(label, node.asText());
			}
		});
		return Map.copyOf(values);
	}
}
