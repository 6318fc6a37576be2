package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.patch.PatchSchema;
import io.github.kubecontroller.emulator.patch.PatchSchema.FieldStrategy;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.ManagedFields.Entry;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;

/**
 * Server-side apply (rules J5, I5): the applied configuration is merged into the live object; a field another
 * manager owns with a different value is a conflict unless forced (then ownership moves); fields this manager applied
 * before and no longer sends are removed when nobody else owns them. Lists merge by key where the kind's strategic
 * merge schema gives one (containers by name, finalizers as a set ...); other lists are atomic.
 */
final class ServerSideApply {

	private ServerSideApply() {
	}

	/**
	 * The object after the apply, with its managedFields.
	 * @param live the current object, or {@code null} when the apply creates it
	 * @throws StatusException 409 listing the conflicts
	 */
	static ObjectNode apply(ResourceType type, String subresource, ObjectNode live, ObjectNode applied,
			String manager, boolean force, String now) {
		PatchSchema schema = PatchSchema.forKind(type.group(), type.kind());
		List<Entry> entries = ManagedFields.read(live);
		FieldSet appliedFields = ManagedFields.fieldsOf(type, subresource, applied);
		Map<Entry, List<List<String>>> conflicts = new LinkedHashMap<>();
		FieldSet differing = FieldSet.empty();
		if (live != null) {
			for (List<String> path : appliedFields.paths()) {
				if (path.get(path.size() - 1).equals(".")) {
					continue;
				}
				JsonNode current = FieldSet.lookup(live, path);
				if (current != null && !current.equals(FieldSet.lookup(applied, path))) {
					differing.add(path);
					for (Entry entry : entries) {
						if (!entry.sameOwner(manager, "Apply", subresource)
								&& entry.fields().contains(String.join("\u0000", path))) {
							conflicts.computeIfAbsent(entry, (e) -> new ArrayList<>()).add(path);
						}
					}
				}
			}
		}
		if (!conflicts.isEmpty() && !force) {
			throw conflict(conflicts);
		}
		List<Entry> others = new ArrayList<>();
		FieldSet previouslyApplied = FieldSet.empty();
		int position = -1;
		for (Entry entry : entries) {
			if (entry.sameOwner(manager, "Apply", subresource)) {
				previouslyApplied = entry.fields();
				position = others.size();
			}
			else {
				// Forcing takes the differing fields away from their owners.
				others.add(entry.withFields(entry.fields().minus(differing)));
			}
		}
		ObjectNode result = (live != null) ? live.deepCopy() : Json.object();
		merge(result, applied, "", schema);
		FieldSet ownedByOthers = FieldSet.empty();
		for (Entry entry : others) {
			ownedByOthers = ownedByOthers.union(entry.fields());
		}
		for (List<String> path : previouslyApplied.minus(appliedFields).minus(ownedByOthers).paths()) {
			remove(result, path);
		}
		Entry applier = new Entry(manager, "Apply", type.apiVersion(), now, appliedFields, subresource);
		if (position >= 0) {
			others.add(position, applier);
		}
		else {
			others.add(applier);
		}
		ManagedFields.write(result, others);
		return result;
	}

	private static StatusException conflict(Map<Entry, List<List<String>>> conflicts) {
		int count = conflicts.values().stream().mapToInt(List::size).sum();
		List<Cause> causes = new ArrayList<>();
		StringBuilder message = new StringBuilder("Apply failed with ").append(count)
			.append(count == 1 ? " conflict: " : " conflicts: ");
		List<Map.Entry<Entry, List<List<String>>>> sorted = new ArrayList<>(conflicts.entrySet());
		sorted.sort(Map.Entry.comparingByKey((a, b) -> a.manager().compareTo(b.manager())));
		for (Map.Entry<Entry, List<List<String>>> byManager : sorted) {
			String who = byManager.getKey().describe();
			for (List<String> path : byManager.getValue()) {
				causes.add(new Cause("FieldManagerConflict", "conflict with " + who, FieldSet.describe(path)));
			}
			if (count == 1) {
				message.append("conflict with ").append(who).append(": ")
					.append(FieldSet.describe(byManager.getValue().get(0)));
			}
			else {
				message.append((message.charAt(message.length() - 1) == ' ') ? "" : "\n")
					.append("conflicts with ")
					.append(who)
					.append(':');
				byManager.getValue().forEach((path) -> message.append("\n- ").append(FieldSet.describe(path)));
			}
		}
		return new StatusException(409, "Conflict", message.toString(),
				new StatusException.Details(null, null, null, null, causes, 0));
	}

	/** Merges {@code applied} into {@code target}: maps member by member, keyed lists element by element. */
	private static void merge(ObjectNode target, JsonNode applied, String schemaPath, PatchSchema schema) {
		applied.fields().forEachRemaining((member) -> {
			String name = member.getKey();
			JsonNode value = member.getValue();
			String path = schemaPath.isEmpty() ? name : schemaPath + "." + name;
			JsonNode existing = target.get(name);
			if (value.isNull() || name.equals("managedFields")) {
				return;
			}
			if (value.isObject() && existing != null && existing.isObject()) {
				merge((ObjectNode) existing, value, path, schema);
			}
			else if (value.isArray() && existing != null && existing.isArray()
					&& schema.strategy(path).strategy() == PatchSchema.Strategy.MERGE) {
				mergeList((ArrayNode) existing, (ArrayNode) value, path, schema);
			}
			else {
				target.set(name, value.deepCopy());
			}
		});
	}

	private static void mergeList(ArrayNode target, ArrayNode applied, String path, PatchSchema schema) {
		FieldStrategy strategy = schema.strategy(path);
		for (JsonNode element : applied) {
			String key = FieldSet.elementKey(strategy, element);
			int index = (key != null) ? FieldSet.indexOf(target, key) : -1;
			if (index < 0) {
				target.add(element.deepCopy());
			}
			else if (element.isObject() && target.get(index).isObject()) {
				merge((ObjectNode) target.get(index), element, path, schema);
			}
		}
	}

	/** Removes the field or list element a path names, if present. */
	private static void remove(JsonNode root, List<String> path) {
		List<String> target = path.get(path.size() - 1).equals(".") ? path.subList(0, path.size() - 1) : path;
		if (target.isEmpty()) {
			return;
		}
		JsonNode parent = FieldSet.lookup(root, target.subList(0, target.size() - 1));
		String last = target.get(target.size() - 1);
		if (parent instanceof ObjectNode object && last.startsWith("f:")) {
			object.remove(last.substring(2));
		}
		else if (parent instanceof ArrayNode array) {
			int index = FieldSet.indexOf(array, last);
			if (index >= 0) {
				array.remove(index);
			}
		}
	}
}
