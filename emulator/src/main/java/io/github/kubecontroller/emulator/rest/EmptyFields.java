package io.github.kubecontroller.emulator.rest;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import io.github.kubecontroller.emulator.resource.BuiltInSchemas;
import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * Leaves out what Go's encoder omits when kube-apiserver stores a built-in object: empty (or null) lists and maps
 * with {@code omitempty}, so that a client-java model's {@code "args": []} or {@code "finalizers": []} is stored as
 * if it had not been sent and no-op writes stay no-ops (rule F11). Empty structs stay: {@code emptyDir: {}} is a
 * pointer to an empty struct in Go, written as {@code {}}. Custom resources are stored as sent, except their
 * metadata, which is Go's ObjectMeta for every kind.
 */
final class EmptyFields {

	private EmptyFields() {
	}

	static void omit(ResourceType type, ObjectNode object) {
		Descriptor descriptor = BuiltInSchemas.of(type);
		if (descriptor != null) {
			walk(object, descriptor);
		}
		else if (object.get("metadata") instanceof ObjectNode metadata) {
			walk(metadata, BuiltInSchemas.objectMeta());
		}
		// Of the strings Go omits when empty only this one is dropped: for the others the descriptors cannot tell
		// whether their Go field has omitempty.
		if (object.get("metadata") instanceof ObjectNode metadata
				&& metadata.path("generateName").asText("").isEmpty()) {
			metadata.remove("generateName");
		}
	}

	private static void walk(ObjectNode node, Descriptor descriptor) {
		if (BuiltInSchemas.isOpaque(descriptor)) {
			return;
		}
		Iterator<Map.Entry<String, JsonNode>> members = node.fields();
		while (members.hasNext()) {
			Map.Entry<String, JsonNode> member = members.next();
			FieldDescriptor field = BuiltInSchemas.member(descriptor, member.getKey());
			if (field == null) {
				continue;
			}
			JsonNode value = member.getValue();
			if (field.isRepeated()) {
				if (BuiltInSchemas.omittedWhenEmpty(field)
						&& (value.isNull() || (value.isContainerNode() && value.isEmpty()))) {
					members.remove();
				}
				else if (!field.isMapField() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
					value.forEach((item) -> {
						if (item instanceof ObjectNode element) {
							walk(element, field.getMessageType());
						}
					});
				}
			}
			else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && value instanceof ObjectNode child) {
				walk(child, field.getMessageType());
			}
		}
	}
}
