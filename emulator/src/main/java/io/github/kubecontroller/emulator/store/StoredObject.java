package io.github.kubecontroller.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One object as stored: its serialized JSON and the few values that reads filter on, so that listing and watching
 * never parse JSON.
 *
 * @param namespace namespace, {@code ""} when cluster-scoped
 * @param name object name
 * @param uid object uid
 * @param resourceVersion the revision of the write that produced this state
 * @param json the object as JSON, starting with its {@code kind} and {@code apiVersion} members
 * @param typeMetaEnd offset in {@code json} just after the {@code kind} and {@code apiVersion} members and their
 *        trailing comma, so list items can be written without them
 * @param labels labels, never null
 * @param fields values of the selectable fields beyond {@code metadata.name} and {@code metadata.namespace}
 * @param deleting whether {@code metadata.deletionTimestamp} is set
 */
public record StoredObject(String namespace, String name, String uid, long resourceVersion, byte[] json,
		int typeMetaEnd, Map<String, String> labels, Map<String, String> fields, boolean deleting) {

	/** The store key: namespace and name, ordered as etcd orders the registry keys. */
	public String key() {
		return key(this.namespace, this.name);
	}

	public static String key(String namespace, String name) {
		return namespace + "/" + name;
	}

	/** The value of a selectable field, {@code null} when the object has none. */
	public String field(String field) {
		return switch (field) {
			case "metadata.name" -> this.name;
			case "metadata.namespace" -> this.namespace;
			default -> this.fields.get(field);
		};
	}

	@Override
	public String toString() {
		return new String(this.json, StandardCharsets.UTF_8);
	}
}
