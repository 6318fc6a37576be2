package io.github.kubecontroller.runtime.predicate;

import io.github.kubecontroller.runtime.predicate.LabelSelector.Operator;
import io.github.kubecontroller.runtime.predicate.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the label selector syntax of the API server: a lexer that splits the text into identifiers and the
 * symbols {@code ! = == != , ( ) < >}, and a recursive-descent parser over those tokens.
 *
 * <pre>
 * selector    = "" | requirement { "," requirement }
 * requirement = "!" key
 *             | key [ ("=" | "==" | "!=") value | ("in" | "notin") "(" values ")" | ("&gt;" | "&lt;") integer ]
 * </pre>
 *
 * Like the server, an empty value is allowed after {@code =} ({@code tier=} matches {@code tier: ""}), and an empty
 * set {@code ()} stands for the empty value.
 */
final class LabelSelectorParser {

	private static final int MAX_NAME_LENGTH = 63;

	private static final int MAX_PREFIX_LENGTH = 253;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private enum Kind {
		IDENTIFIER, NOT, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, COMMA, OPEN, CLOSE, GREATER, LESS, END
	}

	private record Token(Kind kind, String text, int position) {

		/** Whether this is the identifier {@code in} or {@code notin}, which are keywords only after a key. */
		boolean isWord(String word) {
			return this.kind == Kind.IDENTIFIER && this.text.equals(word);
		}

		String describe() {
			return (this.kind == Kind.END) ? "end of string" : "'" + this.text + "'";
		}
	}

	private final String text;

	private final List<Token> tokens;

	private int next;

	LabelSelectorParser(String text) {
		this.text = text;
		this.tokens = tokenize(text);
	}

	List<Requirement> parse() {
		List<Requirement> requirements = new ArrayList<>();
		if (peek().kind() == Kind.END) {
			return requirements;
		}
		while (true) {
			requirements.add(requirement());
			Token separator = take();
			if (separator.kind() == Kind.END) {
				return requirements;
			}
			if (separator.kind() != Kind.COMMA) {
				throw error(separator, "expected ',' or end of string");
			}
		}
	}

	private Requirement requirement() {
		if (peek().kind() == Kind.NOT) {
			take();
			return new Requirement(key(), Operator.DOES_NOT_EXIST, Set.of());
		}
		String key = key();
		Token operator = peek();
		if (operator.kind() == Kind.END || operator.kind() == Kind.COMMA) {
			return new Requirement(key, Operator.EXISTS, Set.of());
		}
		take();
		switch (operator.kind()) {
			case EQUALS, DOUBLE_EQUALS:
				return new Requirement(key, Operator.EQUALS, Set.of(singleValue()));
			case NOT_EQUALS:
				return new Requirement(key, Operator.NOT_EQUALS, Set.of(singleValue()));
			case GREATER, LESS:
				return new Requirement(key, (operator.kind() == Kind.GREATER) ? Operator.GREATER_THAN
						: Operator.LESS_THAN, Set.of(integer()));
			default:
				if (operator.isWord("in")) {
					return new Requirement(key, Operator.IN, valueSet());
				}
				if (operator.isWord("notin")) {
					return new Requirement(key, Operator.NOT_IN, valueSet());
				}
				throw error(operator, "expected one of '=', '==', '!=', 'in', 'notin', '>', '<', ',' or end of string");
		}
	}

	private String key() {
		Token key = take();
		if (key.kind() != Kind.IDENTIFIER) {
			throw error(key, "expected a label key");
		}
		String problem = qualifiedNameProblem(key.text());
		if (problem != null) {
			throw error(key, "invalid label key: " + problem);
		}
		return key.text();
	}

	/** The value after {@code =}, {@code ==} or {@code !=}; empty when nothing follows. */
	private String singleValue() {
		Token value = peek();
		if (value.kind() == Kind.END || value.kind() == Kind.COMMA) {
			return "";
		}
		take();
		if (value.kind() != Kind.IDENTIFIER) {
			throw error(value, "expected a label value");
		}
		return checkedValue(value);
	}

	private String integer() {
		Token value = take();
		if (value.kind() != Kind.IDENTIFIER) {
			throw error(value, "expected an integer");
		}
		try {
			Long.parseLong(value.text());
		}
		catch (NumberFormatException ex) {
			throw error(value, "the value of '>' and '<' must be an integer");
		}
		return value.text();
	}

	/** {@code ( [value] { "," [value] } )}; a missing value between commas, or an empty set, is the empty value. */
	private Set<String> valueSet() {
		Token open = take();
		if (open.kind() != Kind.OPEN) {
			throw error(open, "expected '('");
		}
		Set<String> values = new LinkedHashSet<>();
		boolean expectValue = true;
		while (true) {
			Token token = take();
			switch (token.kind()) {
				case IDENTIFIER -> {
					if (!expectValue) {
						throw error(token, "expected ',' or ')'");
					}
					values.add(checkedValue(token));
					expectValue = false;
				}
				case COMMA -> {
					if (expectValue) {
						values.add("");
					}
					expectValue = true;
				}
				case CLOSE -> {
					if (expectValue) {
						values.add("");
					}
					return values;
				}
				default -> throw error(token, "expected a label value, ',' or ')'");
			}
		}
	}

	private String checkedValue(Token value) {
		String text = value.text();
		if (text.length() > MAX_NAME_LENGTH || (!text.isEmpty() && !NAME.matcher(text).matches())) {
			throw error(value, "invalid label value: must be at most 63 characters, start and end with an "
					+ "alphanumeric character and contain only alphanumerics, '-', '_' and '.'");
		}
		return text;
	}

	/** Why {@code key} is not a qualified name ({@code [prefix/]name}), or null when it is one. */
	static String qualifiedNameProblem(String key) {
		String name = key;
		int slash = key.indexOf('/');
		if (slash >= 0) {
			String prefix = key.substring(0, slash);
			name = key.substring(slash + 1);
			if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
				return "the prefix must be a lowercase DNS subdomain of at most 253 characters";
			}
		}
		if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
			return "the name must be 1 to 63 characters, start and end with an alphanumeric character and contain "
					+ "only alphanumerics, '-', '_' and '.'";
		}
		return null;
	}

	private Token peek() {
		return this.tokens.get(this.next);
	}

	private Token take() {
		Token token = this.tokens.get(this.next);
		if (token.kind() != Kind.END) {
			this.next++;
		}
		return token;
	}

	private IllegalArgumentException error(Token token, String message) {
		return new IllegalArgumentException("invalid label selector \"" + this.text + "\": found " + token.describe()
				+ " at position " + token.position() + ", " + message);
	}

	private static List<Token> tokenize(String text) {
		List<Token> tokens = new ArrayList<>();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			boolean followedByEquals = i + 1 < text.length() && text.charAt(i + 1) == '=';
			Token token = switch (c) {
				case '!' -> followedByEquals ? new Token(Kind.NOT_EQUALS, "!=", i) : new Token(Kind.NOT, "!", i);
				case '=' -> followedByEquals ? new Token(Kind.DOUBLE_EQUALS, "==", i) : new Token(Kind.EQUALS, "=", i);
				case ',' -> new Token(Kind.COMMA, ",", i);
				case '(' -> new Token(Kind.OPEN, "(", i);
				case ')' -> new Token(Kind.CLOSE, ")", i);
				case '>' -> new Token(Kind.GREATER, ">", i);
				case '<' -> new Token(Kind.LESS, "<", i);
				default -> {
					int end = i;
					while (end < text.length() && !isDelimiter(text.charAt(end))) {
						end++;
					}
					yield new Token(Kind.IDENTIFIER, text.substring(i, end), i);
				}
			};
			tokens.add(token);
			i += token.text().length();
		}
		tokens.add(new Token(Kind.END, "", text.length()));
		return tokens;
	}

	private static boolean isDelimiter(char c) {
		return Character.isWhitespace(c) || "!=,()<>".indexOf(c) >= 0;
	}
}
