package io.github.kubecontroller.emulator.selector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed Kubernetes field selector ({@code ?fieldSelector=}), with the grammar, matching rules and error messages
 * of apimachinery's {@code pkg/fields} as served by kube-apiserver 1.32.
 * <p>
 * A selector is the AND of comma-separated terms {@code field=value}, {@code field==value} or
 * {@code field!=value}. In values, {@code \,}, {@code \=} and {@code \\} stand for {@code ,}, {@code =} and
 * {@code \}. Nothing is trimmed: spaces belong to the field name or value. Whether a field name is supported for a
 * resource is not checked here. Terms are kept in the order the API server keeps them (sorted by their text).
 * Instances are immutable.
 */
public final class FieldSelector {

	private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

	private final List<Requirement> requirements;

	private FieldSelector(List<Requirement> requirements) {
		this.requirements = List.copyOf(requirements);
	}

	/**
	 * Parses a selector exactly as the API server does ({@code fields.ParseSelector}).
	 * @param text the selector; {@code null} or empty selects everything (a blank string is an error, as in Go)
	 * @return the selector
	 * @throws SelectorException with the API server's message if the server would reject {@code text}
	 */
	public static FieldSelector parse(String text) {
		if (text == null || text.isEmpty()) {
			return EVERYTHING;
		}
		List<String> terms = splitTerms(text);
		// Go sorts the raw terms before parsing them, so the first bad term in sorted order is the one reported.
		terms.sort(GoText::compare);
		List<Requirement> requirements = new ArrayList<>();
		for (String term : terms) {
			if (term.isEmpty()) {
				continue;
			}
			Requirement requirement = parseTerm(text, term);
			// A term with both sides empty ("=", "!=", "==") is dropped: Go's identity Transform turns it into
			// Everything().
			if (!requirement.field().isEmpty() || !requirement.value().isEmpty()) {
				requirements.add(requirement);
			}
		}
		return requirements.isEmpty() ? EVERYTHING : new FieldSelector(requirements);
	}

	/** The selector that matches every object. */
	public static FieldSelector everything() {
		return EVERYTHING;
	}

	/** The requirements, in the order the API server keeps them. */
	public List<Requirement> requirements() {
		return this.requirements;
	}

	/**
	 * Whether an object is selected.
	 * @param fieldValues gives the object's value of a field, or {@code null} if it has none (compared as
	 * {@code ""})
	 */
	public boolean matches(Function<String, String> fieldValues) {
		for (Requirement requirement : this.requirements) {
			if (!requirement.matches(fieldValues)) {
				return false;
			}
		}
		return true;
	}

	/** The distinct field names this selector refers to. */
	public Set<String> fields() {
		Set<String> fields = new LinkedHashSet<>();
		for (Requirement requirement : this.requirements) {
			fields.add(requirement.field());
		}
		return Collections.unmodifiableSet(fields);
	}

	/** Whether this selector places no restriction (it matches everything). */
	public boolean isEmpty() {
		return this.requirements.isEmpty();
	}

	/**
	 * The single value this selector requires for the field with '=' / '==', or null ({@code RequiresExactMatch}:
	 * the first such requirement on the field, ignoring {@code !=} ones).
	 */
	public String requiredValue(String field) {
		for (Requirement requirement : this.requirements) {
			if (requirement.op() == Operator.EQUALS && requirement.field().equals(field)) {
				return requirement.value();
			}
		}
		return null;
	}

	/** The canonical form the API server prints: terms joined by {@code ,}, {@code ==} shown as {@code =}. */
	@Override
	public String toString() {
		List<String> parts = new ArrayList<>(this.requirements.size());
		for (Requirement requirement : this.requirements) {
			parts.add(requirement.toString());
		}
		return String.join(",", parts);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof FieldSelector that) && this.requirements.equals(that.requirements);
	}

	@Override
	public int hashCode() {
		return this.requirements.hashCode();
	}

	/** Escapes a literal value for use in a field selector ({@code fields.EscapeValue}). */
	public static String escapeValue(String value) {
		StringBuilder out = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' || c == ',' || c == '=') {
				out.append('\\');
			}
			out.append(c);
		}
		return out.toString();
	}

	/**
	 * Splits on commas that are not escaped. Escapes are kept in the terms (with their backslash) and only
	 * interpreted in the value. A backslash escapes whatever follows it here, even an invalid sequence, which the
	 * value check reports later.
	 */
	private static List<String> splitTerms(String selector) {
		List<String> terms = new ArrayList<>();
		int start = 0;
		boolean inSlash = false;
		for (int i = 0; i < selector.length(); i++) {
			char c = selector.charAt(i);
			if (inSlash) {
				inSlash = false;
			}
			else if (c == '\\') {
				inSlash = true;
			}
			else if (c == ',') {
				terms.add(selector.substring(start, i));
				start = i + 1;
			}
		}
		terms.add(selector.substring(start));
		return terms;
	}

	/**
	 * One term: the field is everything before the first operator ({@code !=}, then {@code ==}, then {@code =} are
	 * tried at each position, so {@code a==b} is {@code a} {@code ==} {@code b}), the value everything after it.
	 */
	private static Requirement parseTerm(String selector, String term) {
		for (int i = 0; i < term.length(); i++) {
			if (term.startsWith("!=", i)) {
				return new Requirement(term.substring(0, i), Operator.NOT_EQUALS, unescapeValue(term.substring(i + 2)));
			}
			if (term.startsWith("==", i)) {
				return new Requirement(term.substring(0, i), Operator.EQUALS, unescapeValue(term.substring(i + 2)));
			}
			if (term.charAt(i) == '=') {
				return new Requirement(term.substring(0, i), Operator.EQUALS, unescapeValue(term.substring(i + 1)));
			}
		}
		throw new SelectorException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
	}

	/** {@code fields.UnescapeValue}: resolves {@code \\ \, \=}; anything else after a backslash is an error. */
	private static String unescapeValue(String value) {
		StringBuilder out = new StringBuilder(value.length());
		boolean inSlash = false;
		for (int i = 0; i < value.length();) {
			int c = value.codePointAt(i);
			i += Character.charCount(c);
			if (inSlash) {
				if (c != '\\' && c != ',' && c != '=') {
					throw new SelectorException("invalid field selector: invalid escape sequence: "
							+ new StringBuilder().append('\\').appendCodePoint(c));
				}
				out.appendCodePoint(c);
				inSlash = false;
			}
			else if (c == '\\') {
				inSlash = true;
			}
			else if (c == ',' || c == '=') {
				// Go prints the rune with %v, i.e. as its number: 61 for '=', 44 for ','.
				throw new SelectorException("invalid field selector: unescaped character in value: " + c);
			}
			else {
				out.appendCodePoint(c);
			}
		}
		if (inSlash) {
			throw new SelectorException("invalid field selector: invalid escape sequence: \\");
		}
		return out.toString();
	}

	/** A field selector operator. {@code ==} is the same as {@code =} and is kept as {@link #EQUALS}, as in Go. */
	public enum Operator {

		/** {@code field=value} or {@code field==value}. */
		EQUALS("="),
		/** {@code field!=value}. */
		NOT_EQUALS("!=");

		private final String symbol;

		Operator(String symbol) {
			this.symbol = symbol;
		}

		/** The operator as written in the canonical form. */
		public String symbol() {
			return this.symbol;
		}

	}

	/**
	 * One term of a field selector.
	 *
	 * @param field the field name, e.g. {@code metadata.name}, exactly as written
	 * @param op the operator
	 * @param value the value, unescaped
	 */
	public record Requirement(String field, Operator op, String value) {

		public Requirement {
			Objects.requireNonNull(field, "field");
			Objects.requireNonNull(op, "op");
			Objects.requireNonNull(value, "value");
		}

		/** Whether an object satisfies this term; a missing field value compares as {@code ""}. */
		public boolean matches(Function<String, String> fieldValues) {
			String actual = fieldValues.apply(this.field);
			boolean equal = this.value.equals((actual != null) ? actual : "");
			return (this.op == Operator.EQUALS) == equal;
		}

		/** The canonical form, e.g. {@code metadata.name=a\,b}. */
		@Override
		public String toString() {
			return this.field + this.op.symbol() + escapeValue(this.value);
		}

	}

}
