package io.github.kubecontroller.emulator.http;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import io.github.kubecontroller.emulator.resource.BuiltInSchemas;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.StatusException;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies of built-in kinds into their JSON form. client-go
 * 1.32's typed clients (kubectl create configmap, create deployment, run, ...) send protobuf; responses are always
 * JSON, which those clients accept.
 *
 * <p>
 * The wire format is the 4-byte magic {@code k8s\0} followed by a {@code runtime.Unknown} whose {@code raw} field
 * holds the object message. Go's encoder writes every non-pointer field, so empty strings, zero numbers, false
 * booleans, empty messages and zero timestamps are dropped here as JSON's {@code omitempty} would. The exception is
 * {@code replicas}, a pointer whose explicit 0 means something.
 */
final class ProtobufBodies {

	private static final byte[] MAGIC = { 'k', '8', 's', 0 };

	private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

	private ProtobufBodies() {
	}

	static boolean supports(ResourceType type) {
		return BuiltInSchemas.of(type) != null;
	}

	static ObjectNode decode(ResourceType type, byte[] body) {
		Descriptor descriptor = BuiltInSchemas.of(type);
		if (descriptor == null || body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1]
				|| body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
			throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
					+ "): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
		}
		try {
			io.kubernetes.client.proto.Runtime.Unknown unknown = io.kubernetes.client.proto.Runtime.Unknown
				.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
			DynamicMessage message = DynamicMessage.parseFrom(descriptor, unknown.getRaw());
			ObjectNode object = Json.object();
			if (unknown.getTypeMeta().hasApiVersion()) {
				object.put("apiVersion", unknown.getTypeMeta().getApiVersion());
			}
			if (unknown.getTypeMeta().hasKind()) {
				object.put("kind", unknown.getTypeMeta().getKind());
			}
			JsonNode fields = toJson(message);
			if (fields != null) {
				object.setAll((ObjectNode) fields);
			}
			return object;
		}
		catch (InvalidProtocolBufferException ex) {
			throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
					+ "): " + ex.getMessage());
		}
	}

	private static JsonNode toJson(Message message) {
		String name = message.getDescriptorForType().getFullName();
		switch (name) {
			case META + "Time", META + "MicroTime" -> {
				long seconds = longField(message, "seconds");
				long nanos = longField(message, "nanos");
				if (seconds == 0 && nanos == 0) {
					return null;
				}
				Instant instant = Instant.ofEpochSecond(seconds, nanos);
				return Json.MAPPER.getNodeFactory()
					.textNode(name.endsWith("MicroTime") ? instant.truncatedTo(ChronoUnit.MICROS).toString()
							: instant.truncatedTo(ChronoUnit.SECONDS).toString());
			}
			case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
				return (longField(message, "type") == 1)
						? Json.MAPPER.getNodeFactory().textNode(stringField(message, "strVal"))
						: Json.MAPPER.getNodeFactory().numberNode(longField(message, "intVal"));
			}
			case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
				return Json.MAPPER.getNodeFactory().textNode(stringField(message, "string"));
			}
			case "k8s.io.apimachinery.pkg.runtime.RawExtension", META + "FieldsV1",
					"k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON" -> {
				return rawJson(message);
			}
			case META + "Duration" -> {
				return Json.MAPPER.getNodeFactory().textNode(goDuration(longField(message, "duration")));
			}
			default -> {
				ObjectNode object = Json.object();
				for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
					JsonNode value = fieldValue(field.getKey(), field.getValue());
					if (value == null || isGoZero(field.getKey(), value)) {
						continue;
					}
					if (BuiltInSchemas.isInline(field.getKey()) && value instanceof ObjectNode members) {
						// An embedded Go struct (a volume's source, a probe's handler): its members are ours.
						object.setAll(members);
					}
					else {
						object.set(field.getKey().getName(), value);
					}
				}
				// A message present in the body is a struct Go decodes and writes back, even empty: emptyDir: {}.
				return object;
			}
		}
	}

	private static JsonNode fieldValue(FieldDescriptor field, Object value) {
		if (field.isMapField()) {
			ObjectNode map = Json.object();
			for (Object entry : (List<?>) value) {
				Message pair = (Message) entry;
				FieldDescriptor keyField = pair.getDescriptorForType().findFieldByName("key");
				FieldDescriptor valueField = pair.getDescriptorForType().findFieldByName("value");
				JsonNode mapped = scalarOrMessage(valueField, pair.getField(valueField));
				map.set(String.valueOf(pair.getField(keyField)),
						(mapped != null) ? mapped : Json.MAPPER.getNodeFactory().textNode(""));
			}
			return map.isEmpty() ? null : map;
		}
		if (field.isRepeated()) {
			ArrayNode array = Json.MAPPER.createArrayNode();
			for (Object item : (List<?>) value) {
				JsonNode mapped = scalarOrMessage(field, item);
				array.add((mapped != null) ? mapped : Json.MAPPER.getNodeFactory().textNode(""));
			}
			return array.isEmpty() ? null : array;
		}
		return scalarOrMessage(field, value);
	}

	private static JsonNode scalarOrMessage(FieldDescriptor field, Object value) {
		var nodes = Json.MAPPER.getNodeFactory();
		return switch (field.getJavaType()) {
			case MESSAGE -> toJson((Message) value);
			case STRING -> ((String) value).isEmpty() ? null : nodes.textNode((String) value);
			case BYTE_STRING -> nodes.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
			case BOOLEAN -> nodes.booleanNode((Boolean) value);
			case INT -> nodes.numberNode((Integer) value);
			case LONG -> nodes.numberNode((Long) value);
			case FLOAT -> nodes.numberNode((Float) value);
			case DOUBLE -> nodes.numberNode((Double) value);
			case ENUM -> nodes.textNode(value.toString());
		};
	}

	private static boolean isGoZero(FieldDescriptor field, JsonNode value) {
		if (field.isRepeated() || field.getName().equals("replicas")) {
			return false;
		}
		return (value.isBoolean() && !value.booleanValue()) || (value.isNumber() && value.asDouble() == 0);
	}

	private static JsonNode rawJson(Message message) {
		FieldDescriptor raw = message.getDescriptorForType().getFields().get(0);
		ByteString bytes = (ByteString) message.getField(raw);
		if (bytes.isEmpty()) {
			return null;
		}
		try {
			return Json.parse(bytes.toByteArray());
		}
		catch (IOException ex) {
			throw StatusException.badRequest("invalid embedded JSON in protobuf body: " + ex.getMessage());
		}
	}

	private static long longField(Message message, String name) {
		Object value = message.getField(message.getDescriptorForType().findFieldByName(name));
		return ((Number) value).longValue();
	}

	private static String stringField(Message message, String name) {
		return (String) message.getField(message.getDescriptorForType().findFieldByName(name));
	}

	/** Go's {@code time.Duration.String()} for whole seconds and above; sub-second parts as seconds. */
	private static String goDuration(long nanos) {
		java.time.Duration d = java.time.Duration.ofNanos(nanos);
		long hours = d.toHours();
		long minutes = d.toMinutesPart();
		double seconds = d.toSecondsPart() + d.toNanosPart() / 1e9;
		String secondsText = (seconds == Math.rint(seconds)) ? Long.toString((long) seconds) : Double.toString(seconds);
		if (hours > 0) {
			return hours + "h" + minutes + "m" + secondsText + "s";
		}
		return (minutes > 0) ? minutes + "m" + secondsText + "s" : secondsText + "s";
	}
}
