package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.patch.PatchSchema;
import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * {@code metadata.managedFields}: which manager owns which fields, through which operation (rule H7, J5). Every
 * write records its manager; an update moves ownership of the fields it changed to its manager.
 */
final class ManagedFields {

	private static final Set<String> IGNORED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
			"generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
			"selfLink", "generateName");

	/**
	 * One managedFields entry.
	 * @param manager the field manager
	 * @param operation {@code Apply} or {@code Update}
	 * @param apiVersion the version the manager wrote through
	 * @param time when the manager last changed its fields
	 * @param fields the fields it owns
	 * @param subresource {@code status} or {@code null}
	 */
	record Entry(String manager, String operation, String apiVersion, String time, FieldSet fields,
			String subresource) {

		boolean sameOwner(String manager, String operation, String subresource) {
			return this.manager.equals(manager) && this.operation.equals(operation)
					&& Objects.equals(this.subresource, subresource);
		}

		/** How conflict messages name the manager. */
		String describe() {
			return "\"" + this.manager + "\"" + (this.subresource != null ? " with subresource \"" + this.subresource + "\"" : "")
					+ (this.operation.equals("Update") ? " using " + this.apiVersion : "");
		}

		Entry withFields(FieldSet fields) {
			return new Entry(this.manager, this.operation, this.apiVersion, this.time, fields, this.subresource);
		}
	}

	private ManagedFields() {
	}

	/** The fields of {@code object} a manager can own through {@code subresource}. */
	static FieldSet fieldsOf(ResourceType type, String subresource, JsonNode object) {
		PatchSchema schema = PatchSchema.forKind(type.group(), type.kind());
		if ("status".equals(subresource)) {
			ObjectNode statusOnly = Json.object();
			if (object != null && object.has("status")) {
				statusOnly.set("status", object.get("status"));
			}
			return FieldSet.of(statusOnly, schema, Set.of(), IGNORED_METADATA);
		}
		Set<String> ignored = type.statusSubresource() ? Set.of("apiVersion", "kind", "status")
				: Set.of("apiVersion", "kind");
		return FieldSet.of(object, schema, ignored, IGNORED_METADATA);
	}

	static List<Entry> read(JsonNode object) {
		List<Entry> entries = new ArrayList<>();
		if (object == null) {
			return entries;
		}
		for (JsonNode entry : object.path("metadata").path("managedFields")) {
			entries.add(new Entry(entry.path("manager").asText(""), entry.path("operation").asText("Update"),
					entry.path("apiVersion").asText(""), entry.path("time").asText(null),
					FieldSet.fromFieldsV1(entry.path("fieldsV1")),
					entry.hasNonNull("subresource") ? entry.get("subresource").asText() : null));
		}
		return entries;
	}

	static void write(ObjectNode object, List<Entry> entries) {
		ObjectNode metadata = ResourceOperations.metadata(object);
		ArrayNode array = Json.MAPPER.createArrayNode();
		for (Entry entry : entries) {
			if (entry.fields().isEmpty()) {
				continue;
			}
			ObjectNode node = array.addObject();
			node.put("manager", entry.manager());
			node.put("operation", entry.operation());
			node.put("apiVersion", entry.apiVersion());
			if (entry.time() != null) {
				node.put("time", entry.time());
			}
			node.put("fieldsType", "FieldsV1");
			node.set("fieldsV1", entry.fields().toFieldsV1());
			if (entry.subresource() != null) {
				node.put("subresource", entry.subresource());
			}
		}
		if (array.isEmpty()) {
			metadata.remove("managedFields");
		}
		else {
			metadata.set("managedFields", array);
		}
	}

	/**
	 * Records a non-apply write: the manager now owns what it changed; nobody owns what it removed.
	 * @param old the state before, {@code null} for a creation
	 */
	static void recordUpdate(ResourceType type, String subresource, ObjectNode old, ObjectNode updated,
			String manager, String now) {
		List<Entry> entries = read(old);
		FieldSet after = fieldsOf(type, subresource, updated);
		FieldSet before = (old != null) ? fieldsOf(type, subresource, old) : FieldSet.empty();
		FieldSet changed = FieldSet.empty();
		for (List<String> path : after.paths()) {
			boolean element = path.get(path.size() - 1).equals(".");
			JsonNode previous = (old != null) ? FieldSet.lookup(old, path) : null;
			if (previous == null || (!element && !previous.equals(FieldSet.lookup(updated, path)))) {
				changed.add(path);
			}
		}
		FieldSet removed = before.minus(after);
		List<Entry> result = new ArrayList<>();
		boolean recorded = false;
		for (Entry entry : entries) {
			if (entry.sameOwner(manager, "Update", subresource)) {
				// The manager's own entry keeps its place; its time moves only when it changed something.
				FieldSet owned = entry.fields().minus(removed).union(changed);
				result.add(new Entry(manager, "Update", type.apiVersion(), changed.isEmpty() ? entry.time() : now,
						owned, subresource));
				recorded = true;
			}
			else {
				result.add(entry.withFields(entry.fields().minus(changed).minus(removed)));
			}
		}
		if (!recorded && !changed.isEmpty()) {
			result.add(new Entry(manager, "Update", type.apiVersion(), now, changed, subresource));
		}
		write(updated, result);
	}

	/** The object with the managedFields timestamps removed: a write differing only there is a no-op (F11). */
	static ObjectNode withoutTimes(ObjectNode object) {
		ObjectNode copy = object.deepCopy();
		for (JsonNode entry : copy.path("metadata").path("managedFields")) {
			((ObjectNode) entry).remove("time");
		}
		return copy;
	}
}
