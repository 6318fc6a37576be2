package io.github.kubecontroller.emulator.rest;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * An API error, answered as a {@code Status} object with exactly the fields, order and wording of kube-apiserver
 * 1.32 (apimachinery {@code pkg/api/errors}).
 */
public final class StatusException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int code;

	private final String reason;

	private final transient Details details;

	private final String continueToken;

	public StatusException(int code, String reason, String message, Details details) {
		this(code, reason, message, details, null);
	}

	private StatusException(int code, String reason, String message, Details details, String continueToken) {
		super(message);
		this.code = code;
		this.reason = reason;
		this.details = details;
		this.continueToken = continueToken;
	}

	public int code() {
		return this.code;
	}

	public String reason() {
		return this.reason;
	}

	public Details details() {
		return this.details;
	}

	/** Seconds a client should wait, or 0. */
	public int retryAfterSeconds() {
		return (this.details != null) ? this.details.retryAfterSeconds() : 0;
	}

	/** The {@code Status} object. */
	public ObjectNode toStatus() {
		ObjectNode status = Json.object();
		status.put("kind", "Status");
		status.put("apiVersion", "v1");
		ObjectNode metadata = status.putObject("metadata");
		if (this.continueToken != null) {
			metadata.put("continue", this.continueToken);
		}
		status.put("status", "Failure");
		status.put("message", getMessage());
		status.put("reason", this.reason);
		if (this.details != null) {
			status.set("details", this.details.toJson());
		}
		status.put("code", this.code);
		return status;
	}

	// ---- factories, one per apimachinery constructor ----

	public static StatusException notFound(ResourceType type, String name) {
		return new StatusException(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found",
				Details.of(name, type.group(), type.plural()));
	}

	public static StatusException notFound(String group, String resource, String name) {
		String qualified = group.isEmpty() ? resource : resource + "." + group;
		return new StatusException(404, "NotFound", qualified + " \"" + name + "\" not found",
				Details.of(name, group, resource));
	}

	public static StatusException alreadyExists(ResourceType type, String name) {
		return new StatusException(409, "AlreadyExists",
				type.qualifiedResource() + " \"" + name + "\" already exists",
				Details.of(name, type.group(), type.plural()));
	}

	public static StatusException conflict(ResourceType type, String name, String why) {
		return new StatusException(409, "Conflict",
				"Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + why,
				Details.of(name, type.group(), type.plural()));
	}

	/** A conflict named by kind, as the DELETE precondition checks word it (rule K10). */
	public static StatusException preconditionConflict(ResourceType type, String name, String why) {
		return new StatusException(409, "Conflict",
				"Operation cannot be fulfilled on " + type.kind() + " \"" + name + "\": " + why,
				Details.of(name, type.group(), type.kind()));
	}

	public static StatusException optimisticConflict(ResourceType type, String name) {
		return conflict(type, name,
				"the object has been modified; please apply your changes to the latest version and try again");
	}

	/** 422 Invalid; {@code qualifiedKind} is e.g. {@code ConfigMap} or {@code Widget.example.com}. */
	public static StatusException invalid(String qualifiedKind, String group, String kind, String name,
			List<Cause> causes) {
		StringBuilder message = new StringBuilder(qualifiedKind).append(" \"").append(name).append("\" is invalid: ");
		if (causes.size() == 1) {
			message.append(causes.get(0).fieldMessage());
		}
		else {
			message.append('[');
			for (int i = 0; i < causes.size(); i++) {
				message.append((i > 0) ? ", " : "").append(causes.get(i).fieldMessage());
			}
			message.append(']');
		}
		return new StatusException(422, "Invalid", message.toString(), new Details(name, group, kind, null, causes, 0));
	}

	public static StatusException invalid(ResourceType type, String name, List<Cause> causes) {
		String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
		return invalid(qualifiedKind, type.group(), type.kind(), name, causes);
	}

	public static StatusException badRequest(String message) {
		return new StatusException(400, "BadRequest", message, null);
	}

	public static StatusException methodNotAllowed(ResourceType type, String verb) {
		return new StatusException(405, "MethodNotAllowed",
				verb + " is not supported on resources of kind \"" + type.qualifiedResource() + "\"",
				Details.of(null, type.group(), type.plural()));
	}

	/** 401 for missing or invalid credentials (rule I12). */
	public static StatusException unauthorized() {
		return new StatusException(401, "Unauthorized", "Unauthorized", null);
	}

	/** An error of any status, with the reason apimachinery gives that status. */
	public static StatusException ofCode(int code, String message, int retryAfterSeconds) {
		String reason = switch (code) {
			case 400 -> "BadRequest";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "NotFound";
			case 405 -> "MethodNotAllowed";
			case 409 -> "Conflict";
			case 410 -> "Expired";
			case 422 -> "Invalid";
			case 429 -> "TooManyRequests";
			case 500 -> "InternalError";
			case 503 -> "ServiceUnavailable";
			case 504 -> "Timeout";
			default -> "Unknown";
		};
		Details details = (retryAfterSeconds > 0) ? new Details(null, null, null, null, List.of(), retryAfterSeconds)
				: null;
		return new StatusException(code, reason, message, details);
	}

	public static StatusException forbidden(String message, Details details) {
		return new StatusException(403, "Forbidden", message, details);
	}

	public static StatusException expired(String message) {
		return new StatusException(410, "Expired", message, null);
	}

	/** 410 for a continue token whose revision is gone, carrying a token to go on inconsistently (rule E9). */
	public static StatusException expiredContinue(String freshToken) {
		return new StatusException(410, "Expired",
				"The provided continue parameter is too old to display a consistent list result. You can start a "
						+ "new list without the continue parameter, or use the continue token in this response to "
						+ "retrieve the remainder of the results. Continuing with the provided token results in an "
						+ "inconsistent list - objects that were created, modified, or deleted between the time the "
						+ "first chunk was returned and now may show up in the list.",
				null, freshToken);
	}

	public static StatusException unsupportedMediaType(List<String> accepted) {
		return new StatusException(415, "UnsupportedMediaType",
				"the body of the request was in an unknown format - accepted media types include: "
						+ String.join(", ", accepted),
				null);
	}

	public static StatusException notAcceptable(List<String> accepted) {
		return new StatusException(406, "NotAcceptable",
				"only the following media types are accepted: " + String.join(", ", accepted), null);
	}

	public static StatusException tooLarge(String message) {
		return new StatusException(413, "RequestEntityTooLarge", "Request entity too large: " + message, null);
	}

	public static StatusException timeout(String message, List<Cause> causes, int retryAfterSeconds) {
		return new StatusException(504, "Timeout", message, new Details(null, null, null, null, causes,
				retryAfterSeconds));
	}

	public static StatusException internal(String message) {
		return new StatusException(500, "InternalError", "Internal error occurred: " + message,
				new Details(null, null, null, null, List.of(new Cause("", message, null)), 0));
	}

	/**
	 * {@code details} of a Status.
	 */
	public record Details(String name, String group, String kind, String uid, List<Cause> causes,
			int retryAfterSeconds) {

		public static Details of(String name, String group, String kind) {
			return new Details(name, group, kind, null, List.of(), 0);
		}

		ObjectNode toJson() {
			ObjectNode node = Json.object();
			putIfPresent(node, "name", this.name);
			putIfPresent(node, "group", this.group);
			putIfPresent(node, "kind", this.kind);
			putIfPresent(node, "uid", this.uid);
			if (this.causes != null && !this.causes.isEmpty()) {
				ArrayNode array = node.putArray("causes");
				this.causes.forEach((cause) -> array.add(cause.toJson()));
			}
			if (this.retryAfterSeconds > 0) {
				node.put("retryAfterSeconds", this.retryAfterSeconds);
			}
			return node;
		}

		private static void putIfPresent(ObjectNode node, String field, String value) {
			if (value != null && !value.isEmpty()) {
				node.put(field, value);
			}
		}
	}

	/**
	 * One {@code details.causes} entry.
	 * @param reason e.g. {@code FieldValueInvalid}
	 * @param message e.g. {@code Invalid value: "X": ...}
	 * @param field e.g. {@code metadata.name}
	 */
	public record Cause(String reason, String message, String field) {

		/** {@code field: message}, as in the Status message. */
		String fieldMessage() {
			return (this.field == null || this.field.isEmpty()) ? this.message : this.field + ": " + this.message;
		}

		ObjectNode toJson() {
			ObjectNode node = Json.object();
			if (this.reason != null && !this.reason.isEmpty()) {
				node.put("reason", this.reason);
			}
			node.put("message", this.message);
			if (this.field != null && !this.field.isEmpty()) {
				node.put("field", this.field);
			}
			return node;
		}

		public static Cause required(String field, String detail) {
			return new Cause("FieldValueRequired", "Required value" + suffix(detail), field);
		}

		public static Cause invalid(String field, String quotedValue, String detail) {
			return new Cause("FieldValueInvalid", "Invalid value: " + quotedValue + suffix(detail), field);
		}

		public static Cause forbidden(String field, String detail) {
			return new Cause("FieldValueForbidden", "Forbidden" + suffix(detail), field);
		}

		public static Cause notSupported(String field, String quotedValue, List<String> supported) {
			StringBuilder detail = new StringBuilder();
			for (int i = 0; i < supported.size(); i++) {
				detail.append((i > 0) ? ", " : "").append('"').append(supported.get(i)).append('"');
			}
			return new Cause("FieldValueNotSupported",
					"Unsupported value: " + quotedValue + ": supported values: " + detail, field);
		}

		public static Cause duplicate(String field, String quotedValue) {
			return new Cause("FieldValueDuplicate", "Duplicate value: " + quotedValue, field);
		}

		private static String suffix(String detail) {
			return (detail == null || detail.isEmpty()) ? "" : ": " + detail;
		}
	}

	/** Go's {@code %q} of a string, as used in validation messages. */
	public static String quote(String value) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\t' -> out.append("\\t");
				default -> out.append(c);
			}
		}
		return out.append('"').toString();
	}
}
