package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import io.github.kubecontroller.emulator.resource.BuiltInSchemas;
import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * Finds and drops the members a built-in kind does not have, as decoding into kube-apiserver's Go types does; the
 * {@code fieldValidation} option decides whether that is an error, a warning or silent (rule H8).
 */
final class UnknownFields {

	private UnknownFields() {
	}

	/**
	 * Removes unknown members from {@code object}.
	 * @return their paths, e.g. {@code spec.template.spec.containers[0].foo}; empty for custom resources
	 */
	static List<String> prune(ResourceType type, ObjectNode object) {
		Descriptor descriptor = BuiltInSchemas.of(type);
		List<String> unknown = new ArrayList<>();
		if (descriptor != null) {
			walk(object, descriptor, "", true, unknown);
		}
		return unknown;
	}

	/** Go's strict decoding error text for the given paths. */
	static String strictError(List<String> paths) {
		StringBuilder message = new StringBuilder("strict decoding error: ");
		for (int i = 0; i < paths.size(); i++) {
			message.append((i > 0) ? ", " : "").append("unknown field \"").append(paths.get(i)).append('"');
		}
		return message.toString();
	}

	private static void walk(JsonNode node, Descriptor descriptor, String path, boolean root, List<String> unknown) {
		if (!node.isObject() || BuiltInSchemas.isOpaque(descriptor)) {
			return;
		}
		Iterator<Map.Entry<String, JsonNode>> members = node.fields();
		while (members.hasNext()) {
			Map.Entry<String, JsonNode> member = members.next();
			String name = member.getKey();
			if (root && (name.equals("apiVersion") || name.equals("kind"))) {
				continue;
			}
			// Members of embedded structs (a volume's emptyDir, a probe's httpGet) are members of the parent.
			FieldDescriptor field = BuiltInSchemas.member(descriptor, name);
			String memberPath = path.isEmpty() ? name : path + "." + name;
			if (field == null) {
				unknown.add(memberPath);
				members.remove();
				continue;
			}
			if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isMapField()) {
				continue;
			}
			JsonNode value = member.getValue();
			if (field.isRepeated()) {
				for (int i = 0; i < value.size(); i++) {
					walk(value.get(i), field.getMessageType(), memberPath + "[" + i + "]", false, unknown);
				}
			}
			else {
				walk(value, field.getMessageType(), memberPath, false, unknown);
			}
		}
	}
}
