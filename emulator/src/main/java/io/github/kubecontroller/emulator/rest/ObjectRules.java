package io.github.kubecontroller.emulator.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.kubecontroller.emulator.resource.ResourceType.NameRule;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;
import io.github.kubecontroller.emulator.selector.LabelValidation;

/**
 * The ObjectMeta validation of kube-apiserver (apimachinery {@code api/validation/objectmeta.go} and
 * {@code util/validation}), with its exact messages.
 */
final class ObjectRules {

	private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	private static final Pattern DNS1123_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

	static final String DNS1123_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
			+ "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
			+ "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

	static final String DNS1035_LABEL_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters "
			+ "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
			+ "or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

	private static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

	private ObjectRules() {
	}

	/** Problems with an object name, for field {@code metadata.name}. */
	static List<Cause> nameProblems(NameRule rule, String name) {
		List<Cause> causes = new ArrayList<>();
		String quoted = StatusException.quote(name);
		for (String problem : pathSegmentProblems(name)) {
			causes.add(Cause.invalid("metadata.name", quoted, problem));
		}
		if (!causes.isEmpty()) {
			return causes;
		}
		switch (rule) {
			case DNS_SUBDOMAIN -> LabelValidation.dns1123SubdomainErrors(name)
				.forEach((problem) -> causes.add(Cause.invalid("metadata.name", quoted, problem)));
			case DNS_LABEL -> {
				if (name.length() > 63) {
					causes.add(Cause.invalid("metadata.name", quoted, "must be no more than 63 characters"));
				}
				if (!DNS1123_LABEL.matcher(name).matches()) {
					// A valid subdomain of valid length can only have failed on its dots (IsDNS1123Label).
					causes.add(Cause.invalid("metadata.name", quoted,
							DNS1123_SUBDOMAIN.matcher(name).matches() ? "must not contain dots" : DNS1123_LABEL_MESSAGE));
				}
			}
			case DNS_1035_LABEL -> {
				if (name.length() > 63) {
					causes.add(Cause.invalid("metadata.name", quoted, "must be no more than 63 characters"));
				}
				if (!DNS1035_LABEL.matcher(name).matches()) {
					causes.add(Cause.invalid("metadata.name", quoted, DNS1035_LABEL_MESSAGE));
				}
			}
		}
		return causes;
	}

	/** Names that cannot appear in a URL path segment. */
	static List<String> pathSegmentProblems(String name) {
		if (name.equals(".") || name.equals("..")) {
			return List.of("may not be '" + name + "'");
		}
		List<String> problems = new ArrayList<>();
		for (String illegal : List.of("/", "%")) {
			if (name.contains(illegal)) {
				problems.add("may not contain '" + illegal + "'");
			}
		}
		return problems;
	}

	static boolean isDns1123Label(String value) {
		return value.length() <= 63 && DNS1123_LABEL.matcher(value).matches();
	}

	/** Labels, annotations and finalizers of {@code metadata}. */
	static List<Cause> metadataProblems(JsonNode metadata) {
		List<Cause> causes = new ArrayList<>();
		JsonNode labels = metadata.get("labels");
		if (labels != null && labels.isObject()) {
			labels.fields().forEachRemaining((label) -> {
				LabelValidation.qualifiedNameErrors(label.getKey()).forEach((problem) -> causes
					.add(Cause.invalid("metadata.labels", StatusException.quote(label.getKey()), problem)));
				String value = label.getValue().asText();
				LabelValidation.labelValueErrors(value).forEach((problem) -> causes
					.add(Cause.invalid("metadata.labels", StatusException.quote(value), problem)));
			});
		}
		JsonNode annotations = metadata.get("annotations");
		if (annotations != null && annotations.isObject()) {
			long[] size = { 0 };
			annotations.fields().forEachRemaining((annotation) -> {
				String key = annotation.getKey();
				LabelValidation.qualifiedNameErrors(key.toLowerCase(java.util.Locale.ROOT)).forEach((problem) -> causes
					.add(Cause.invalid("metadata.annotations", StatusException.quote(key), problem)));
				size[0] += key.length() + annotation.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
			});
			if (size[0] > TOTAL_ANNOTATION_SIZE_LIMIT) {
				causes.add(new Cause("FieldValueTooLong", "Too long: may not be more than "
						+ TOTAL_ANNOTATION_SIZE_LIMIT + " bytes", "metadata.annotations"));
			}
		}
		JsonNode finalizers = metadata.get("finalizers");
		if (finalizers != null && finalizers.isArray()) {
			for (int i = 0; i < finalizers.size(); i++) {
				String finalizer = finalizers.get(i).asText();
				String field = "metadata.finalizers[" + i + "]";
				LabelValidation.qualifiedNameErrors(finalizer)
					.forEach((problem) -> causes.add(Cause.invalid(field, StatusException.quote(finalizer), problem)));
			}
			if (contains(finalizers, "orphan") && contains(finalizers, "foregroundDeletion")) {
				causes.add(Cause.invalid("metadata.finalizers", "[]string{" + quotedList(finalizers) + "}",
						"finalizer orphan and foregroundDeletion cannot be both set"));
			}
		}
		return causes;
	}

	static boolean contains(JsonNode array, String value) {
		if (array == null || !array.isArray()) {
			return false;
		}
		for (JsonNode item : array) {
			if (value.equals(item.asText())) {
				return true;
			}
		}
		return false;
	}

	/** Go's {@code %#v} body of a string slice: {@code "a", "b"}. */
	static String quotedList(Iterable<JsonNode> values) {
		StringBuilder out = new StringBuilder();
		for (JsonNode value : values) {
			out.append((out.length() > 0) ? ", " : "").append(StatusException.quote(value.asText()));
		}
		return out.toString();
	}
}
