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
		if (isEventsV1(type)) {
			ObjectNode core = rename(object, EVENTS_TO_CORE);
			core.put("kind", "Event");
			core.put("apiVersion", "v1");
			return core;
		}
		return object;
	}

	/** The stored object as {@code servedAs} presents it (modifies and returns {@code object}). */
	static ObjectNode fromStorage(ResourceType servedAs, ObjectNode object) {
		ObjectNode result = object;
		if (isEventsV1(servedAs)) {
			Map<String, String> coreToEvents = new java.util.HashMap<>();
			EVENTS_TO_CORE.forEach((events, core) -> coreToEvents.put(core, events));
			result = rename(object, coreToEvents);
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
