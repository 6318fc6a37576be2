package io.github.kubecontroller.emulator.rest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * Conversion between a served version and the stored form. Custom resources only change {@code apiVersion} (the
 * {@code None} conversion strategy); {@code events.k8s.io/v1} events are stored as {@code core/v1} events with their
 * fields renamed, as kube-apiserver stores both in one place.
 */
final class VersionConversion {

	/** events.k8s.io/v1 field → core/v1 field. */
	private static final Map<String, String> EVENTS_TO_CORE = Map.of("regarding", "involvedObject", "note",
			"message", "reportingController", "reportingComponent", "deprecatedSource", "source",
			"deprecatedFirstTimestamp", "firstTimestamp", "deprecatedLastTimestamp", "lastTimestamp",
			"deprecatedCount", "count");

	private VersionConversion() {
	}

	static boolean isEventsV1(ResourceType type) {
		return type.group().equals("events.k8s.io") && type.kind().equals("Event");
	}

	/** The object in storage form (modifies and returns {@code object}). */
	static ObjectNode toStorage(ResourceType type, ObjectNode object) {
		ObjectNode stored = object;
		if (isEventsV1(type)) {
			stored = rename(object, EVENTS_TO_CORE);
			stored.put("kind", "Event");
			stored.put("apiVersion", "v1");
		}
		if (isEventsV1(type)) {
			Defaults.coreEventMembers(stored);
		}
		return stored;
	}

	/** The stored object as {@code servedAs} presents it (modifies and returns {@code object}). */
	static ObjectNode fromStorage(ResourceType servedAs, ObjectNode object) {
		ObjectNode result = object;
		if (isEventsV1(servedAs)) {
			Map<String, String> coreToEvents = new java.util.HashMap<>();
			EVENTS_TO_CORE.forEach((events, core) -> coreToEvents.put(core, events));
			result = rename(object, coreToEvents);
			// omitempty in events.k8s.io/v1, not in core/v1
			for (String field : new String[] { "reportingController", "reportingInstance" }) {
				if ("".equals(result.path(field).asText(null))) {
					result.remove(field);
				}
			}
		}
		result.put("kind", servedAs.kind());
		result.put("apiVersion", servedAs.apiVersion());
		return result;
	}

	private static ObjectNode rename(ObjectNode object, Map<String, String> names) {
		ObjectNode renamed = Json.object();
		renamed.set("kind", object.get("kind"));
		renamed.set("apiVersion", object.get("apiVersion"));
		object.fields().forEachRemaining((field) -> {
			String name = field.getKey();
			if (!name.equals("kind") && !name.equals("apiVersion")) {
				JsonNode value = field.getValue();
				renamed.set(names.getOrDefault(name, name), value);
			}
		});
		return renamed;
	}
}
