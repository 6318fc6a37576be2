package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonWriter;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a {@link CacheMode#COMPACT compact} cache keeps an object: its JSON in UTF-8, without what the entry already
 * holds or the resource type implies. {@code apiVersion} and {@code kind} (when they are the type's),
 * {@code metadata.name}, {@code namespace} and {@code resourceVersion} are left out and put back when the object is
 * decoded, so each costs its bytes once, in the entry, instead of twice.
 *
 * <p>Format: the first byte is {@code '{'} for plain JSON, or a set of flags telling which members were left out,
 * followed by the rest of the object as JSON whose first member is {@code metadata}. Decoding splices the members
 * back in at the start of the object and of its metadata.
 */
final class CompactForm<T extends KubernetesObject> {

	private static final int API_VERSION = 1;
	private static final int KIND = 2;
	private static final int NAME = 4;
	private static final int NAMESPACE = 8;
	private static final int RESOURCE_VERSION = 16;

	private static final String METADATA_START = "{\"metadata\":{";

	private static final TypeAdapter<JsonElement> TREES = JSON.getGson().getAdapter(JsonElement.class);

	private final Class<T> javaType;
	private final boolean dynamic;
	private final String apiVersion;
	private final String kind;

	CompactForm(Class<T> javaType, ResourceType type) {
		this.javaType = javaType;
		this.dynamic = javaType == DynamicKubernetesObject.class;
		this.apiVersion = type.apiVersion();
		this.kind = type.kind();
	}

	/** The compact form of {@code object}, whose entry is {@code entry}; {@code object} is not changed. */
	byte[] encode(JsonObject object, CacheEntry<T> entry) {
		JsonObject metadata = CacheEntry.member(object, "metadata");
		if (metadata == null) {
			return object.toString().getBytes(StandardCharsets.UTF_8);
		}
		int flags = 0;
		if (apiVersion.equals(CacheEntry.text(object, "apiVersion"))) {
			flags |= API_VERSION;
		}
		if (kind.equals(CacheEntry.text(object, "kind"))) {
			flags |= KIND;
		}
		if (entry.name().equals(CacheEntry.text(metadata, "name"))) {
			flags |= NAME;
		}
		if (!entry.namespace().isEmpty() && entry.namespace().equals(CacheEntry.text(metadata, "namespace"))) {
			flags |= NAMESPACE;
		}
		if (entry.resourceVersion() != null
				&& entry.resourceVersion().equals(CacheEntry.text(metadata, "resourceVersion"))) {
			flags |= RESOURCE_VERSION;
		}
		StringWriter text = new StringWriter(256);
		try (JsonWriter writer = new JsonWriter(text)) {
			writer.setSerializeNulls(true);
			writer.beginObject().name("metadata").beginObject();
			for (Map.Entry<String, JsonElement> member : metadata.entrySet()) {
				if (!left(flags, member.getKey(), "name", NAME) && !left(flags, member.getKey(), "namespace", NAMESPACE)
						&& !left(flags, member.getKey(), "resourceVersion", RESOURCE_VERSION)) {
					TREES.write(writer.name(member.getKey()), member.getValue());
				}
			}
			writer.endObject();
			for (Map.Entry<String, JsonElement> member : object.entrySet()) {
				String name = member.getKey();
				if (!name.equals("metadata") && !left(flags, name, "apiVersion", API_VERSION)
						&& !left(flags, name, "kind", KIND)) {
					TREES.write(writer.name(name), member.getValue());
				}
			}
			writer.endObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex); // a StringWriter does not fail
		}
		byte[] json = text.toString().getBytes(StandardCharsets.UTF_8);
		byte[] form = new byte[json.length + 1];
		form[0] = (byte) flags;
		System.arraycopy(json, 0, form, 1, json.length);
		return form;
	}

	/** A fresh object decoded from the compact form of {@code entry}. */
	T decode(byte[] form, CacheEntry<T> entry) {
		String json = (form[0] == '{') ? new String(form, StandardCharsets.UTF_8) : splice(form, entry);
		if (dynamic) {
			return javaType.cast(new DynamicKubernetesObject(JsonParser.parseString(json).getAsJsonObject()));
		}
		return JSON.getGson().fromJson(json, javaType);
	}

	/** The JSON of the object with the members that were left out put back. */
	String splice(byte[] form, CacheEntry<T> entry) {
		int flags = form[0];
		String rest = new String(form, 1, form.length - 1, StandardCharsets.UTF_8);
		StringBuilder json = new StringBuilder(rest.length() + 160).append('{');
		if ((flags & API_VERSION) != 0) {
			quoted(json.append("\"apiVersion\":"), apiVersion).append(',');
		}
		if ((flags & KIND) != 0) {
			quoted(json.append("\"kind\":"), kind).append(',');
		}
		json.append("\"metadata\":{");
		boolean first = true;
		if ((flags & NAME) != 0) {
			quoted(json.append("\"name\":"), entry.name());
			first = false;
		}
		if ((flags & NAMESPACE) != 0) {
			quoted(json.append(first ? "" : ",").append("\"namespace\":"), entry.namespace());
			first = false;
		}
		if ((flags & RESOURCE_VERSION) != 0) {
			quoted(json.append(first ? "" : ",").append("\"resourceVersion\":"), entry.resourceVersion());
			first = false;
		}
		int after = METADATA_START.length();
		if (!first && rest.charAt(after) != '}') {
			json.append(',');
		}
		return json.append(rest, after, rest.length()).toString();
	}

	private static boolean left(int flags, String member, String name, int flag) {
		return (flags & flag) != 0 && member.equals(name);
	}

	private static StringBuilder quoted(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}
}
