package io.github.kubecontroller.emulator.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Label key and value validation with apimachinery's wording ({@code pkg/util/validation}: {@code IsQualifiedName},
 * {@code IsValidLabelValue}, {@code IsDNS1123Subdomain}). Each check returns the list of problems, empty when valid.
 * The regular expressions are checked by hand (same language, linear time); they still appear in the messages. Used
 * for selectors and for object metadata (labels, annotation keys, finalizers, names).
 */
public final class LabelValidation {

	private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

	private static final String QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', "
			+ "and must start and end with an alphanumeric character";

	private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";

	private static final String LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric "
			+ "characters, '-', '_' or '.', and must start and end with an alphanumeric character";

	private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

	private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";

	private static final String DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case "
			+ "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

	private static final int QUALIFIED_NAME_MAX_LENGTH = 63;

	private static final int LABEL_VALUE_MAX_LENGTH = 63;

	private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

	private LabelValidation() {
	}

	/** {@code IsQualifiedName}: {@code [DNS subdomain "/"] name}, the name at most 63 characters. */
	public static List<String> qualifiedNameErrors(String value) {
		List<String> errors = new ArrayList<>();
		int slash = value.indexOf('/');
		String name;
		if (slash < 0) {
			name = value;
		}
		else if (value.indexOf('/', slash + 1) < 0) {
			String prefix = value.substring(0, slash);
			name = value.substring(slash + 1);
			if (prefix.isEmpty()) {
				errors.add("prefix part " + emptyError());
			}
			else {
				dns1123SubdomainErrors(prefix).forEach((error) -> errors.add("prefix part " + error));
			}
		}
		else {
			return List.of("a qualified name "
					+ regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
					+ " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
		}
		if (name.isEmpty()) {
			errors.add("name part " + emptyError());
		}
		else if (GoText.utf8Length(name) > QUALIFIED_NAME_MAX_LENGTH) {
			errors.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
		}
		// Go checks the regex even after the two errors above, so an empty name reports both.
		if (!isQualifiedNameSyntax(name)) {
			errors.add("name part " + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
		}
		return errors;
	}

	/** {@code IsValidLabelValue}: empty, or a qualified-name-like string of at most 63 characters. */
	public static List<String> labelValueErrors(String value) {
		List<String> errors = new ArrayList<>();
		if (GoText.utf8Length(value) > LABEL_VALUE_MAX_LENGTH) {
			errors.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
		}
		if (!value.isEmpty() && !isQualifiedNameSyntax(value)) {
			errors.add(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
		}
		return errors;
	}

	/** {@code IsDNS1123Subdomain}: at most 253 characters matching {@link #DNS1123_SUBDOMAIN_FMT}. */
	public static List<String> dns1123SubdomainErrors(String value) {
		List<String> errors = new ArrayList<>();
		if (GoText.utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
			errors.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
		}
		if (!isDns1123SubdomainSyntax(value)) {
			errors.add(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
		}
		return errors;
	}

	/** Matches {@code ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$}. */
	private static boolean isQualifiedNameSyntax(String s) {
		if (s.isEmpty() || !isAlphanumeric(s.charAt(0)) || !isAlphanumeric(s.charAt(s.length() - 1))) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (!isAlphanumeric(c) && c != '-' && c != '_' && c != '.') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Matches {@code ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$}: dot-separated, non-empty
	 * labels of lower-case alphanumerics and '-', each starting and ending with an alphanumeric.
	 */
	private static boolean isDns1123SubdomainSyntax(String s) {
		if (s.isEmpty()) {
			return false;
		}
		for (String label : s.split("\\.", -1)) {
			if (label.isEmpty() || !isLowerAlphanumeric(label.charAt(0))
					|| !isLowerAlphanumeric(label.charAt(label.length() - 1))) {
				return false;
			}
			for (int i = 0; i < label.length(); i++) {
				char c = label.charAt(i);
				if (!isLowerAlphanumeric(c) && c != '-') {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean isAlphanumeric(char c) {
		return (c >= 'A' && c <= 'Z') || isLowerAlphanumeric(c);
	}

	private static boolean isLowerAlphanumeric(char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	}

	/** {@code validation.RegexError}; note the doubled space before each "or", as in Go. */
	private static String regexError(String message, String regex, String... examples) {
		StringBuilder out = new StringBuilder(message).append(" (e.g. ");
		for (int i = 0; i < examples.length; i++) {
			if (i > 0) {
				out.append(" or ");
			}
			out.append('\'').append(examples[i]).append("', ");
		}
		return out.append("regex used for validation is '").append(regex).append("')").toString();
	}

	private static String maxLenError(int length) {
		return "must be no more than " + length + " characters";
	}

	private static String emptyError() {
		return "must be non-empty";
	}

}
