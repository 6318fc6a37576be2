package io.github.kubecontroller.emulator.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.github.kubecontroller.emulator.selector.LabelSelector.Operator;
import io.github.kubecontroller.emulator.selector.LabelSelector.Requirement;

/**
 * The label selector lexer and recursive-descent parser, following apimachinery's {@code pkg/labels/selector.go}
 * step by step so that the same inputs are accepted and the same errors are reported with the same text:
 *
 * <pre>
 * selector    ::= requirement | requirement "," selector
 * requirement ::= ["!"] KEY [ ("in" | "notin") "(" values ")" | ("=" | "==" | "!=" | "&gt;" | "&lt;") VALUE ]
 * values      ::= VALUE | VALUE "," values        (VALUE may be empty)
 * </pre>
 *
 * The input is first cut into tokens ({@link Lexer}), then parsed with one token of lookahead.
 */
final class LabelSelectorParser {

	/** Go's {@code strings.Join(binaryOperators, ", ")}, listed in "expected:" messages. */
	private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

	private final List<Item> items;

	private int position;

	private LabelSelectorParser(List<Item> items) {
		this.items = items;
	}

	/**
	 * Parses a selector into its requirements, sorted by key.
	 * @throws SelectorException with the API server's message
	 */
	static List<Requirement> parse(String selector) {
		List<Item> items = new ArrayList<>();
		Lexer lexer = new Lexer(selector);
		Item item;
		do {
			item = lexer.lex();
			items.add(item);
		}
		while (item.token() != Token.END_OF_STRING);
		List<Requirement> requirements = new LabelSelectorParser(items).parseSelector();
		// Go sorts with sort.Sort(ByKey); List.sort is stable, which Go's sort is for up to 12 requirements.
		requirements.sort(Comparator.comparing(Requirement::key, GoText::compare));
		return requirements;
	}

	private List<Requirement> parseSelector() {
		List<Requirement> requirements = new ArrayList<>();
		while (true) {
			Item item = lookahead(Context.VALUES);
			switch (item.token()) {
				case IDENTIFIER, DOES_NOT_EXIST -> {
					try {
						requirements.add(parseRequirement());
					}
					catch (SelectorException ex) {
						throw new SelectorException("unable to parse requirement: " + ex.getMessage());
					}
					Item next = consume(Context.VALUES);
					if (next.token() == Token.END_OF_STRING) {
						return requirements;
					}
					if (next.token() != Token.COMMA) {
						throw found(next, "',' or 'end of string'");
					}
					Item afterComma = lookahead(Context.VALUES);
					if (afterComma.token() != Token.IDENTIFIER && afterComma.token() != Token.DOES_NOT_EXIST) {
						throw found(afterComma, "identifier after ','");
					}
				}
				case END_OF_STRING -> {
					return requirements;
				}
				default -> throw found(item, "!, identifier, or 'end of string'");
			}
		}
	}

	private Requirement parseRequirement() {
		// Go's parseKeyAndInferOperator: an optional '!', the key, and EXISTS when nothing follows the key.
		Operator operator = null;
		Item item = consume(Context.VALUES);
		if (item.token() == Token.DOES_NOT_EXIST) {
			operator = Operator.DOES_NOT_EXIST;
			item = consume(Context.VALUES);
		}
		if (item.token() != Token.IDENTIFIER) {
			throw found(item, "identifier");
		}
		String key = item.literal();
		List<String> keyErrors = LabelValidation.qualifiedNameErrors(key);
		if (!keyErrors.isEmpty()) {
			// The parser validates the key with a nil field path, which Go prints as "<nil>".
			throw new SelectorException(invalidValue("<nil>", key, String.join("; ", keyErrors)));
		}
		Token following = lookahead(Context.VALUES).token();
		if ((following == Token.END_OF_STRING || following == Token.COMMA) && operator == null) {
			operator = Operator.EXISTS;
		}
		// "!key" followed by anything is still just "!key"; the caller then complains about what follows.
		if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
			return newRequirement(key, operator, List.of());
		}

		operator = parseOperator();
		SortedSet<String> values = switch (operator) {
			case IN, NOT_IN -> parseValues();
			default -> parseExactValue();
		};
		return newRequirement(key, operator, new ArrayList<>(values));
	}

	private Operator parseOperator() {
		Item item = consume(Context.KEY_AND_OPERATOR);
		return switch (item.token()) {
			case IN -> Operator.IN;
			case EQUALS -> Operator.EQUALS;
			case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
			case GREATER_THAN -> Operator.GREATER_THAN;
			case LESS_THAN -> Operator.LESS_THAN;
			case NOT_IN -> Operator.NOT_IN;
			case NOT_EQUALS -> Operator.NOT_EQUALS;
			default -> throw found(item, BINARY_OPERATORS);
		};
	}

	/** {@code "(" values ")"}; {@code ()} means the single empty value. */
	private SortedSet<String> parseValues() {
		Item item = consume(Context.VALUES);
		if (item.token() != Token.OPEN_PAR) {
			// sic: Go's message has no comma before "expected" here.
			throw new SelectorException("found '" + item.literal() + "' expected: '('");
		}
		Item first = lookahead(Context.VALUES);
		switch (first.token()) {
			case IDENTIFIER, COMMA -> {
				SortedSet<String> values = parseIdentifiersList();
				if (consume(Context.VALUES).token() != Token.CLOSED_PAR) {
					// Unreachable in practice (the list stops only before ')'); Go reports the first token.
					throw found(first, "')'");
				}
				return values;
			}
			case CLOSED_PAR -> {
				consume(Context.VALUES);
				return valueSet("");
			}
			default -> throw found(first, "',', ')' or identifier");
		}
	}

	/**
	 * A comma-separated list of possibly empty values, up to (not including) the closing parenthesis. Empty entries
	 * ({@code (,a)}, {@code (a,)}, {@code (a,,b)}) add the empty value.
	 */
	private SortedSet<String> parseIdentifiersList() {
		SortedSet<String> values = valueSet();
		while (true) {
			Item item = consume(Context.VALUES);
			switch (item.token()) {
				case IDENTIFIER -> {
					values.add(item.literal());
					Item next = lookahead(Context.VALUES);
					if (next.token() == Token.CLOSED_PAR) {
						return values;
					}
					if (next.token() != Token.COMMA) {
						throw found(next, "',' or ')'");
					}
				}
				case COMMA -> {
					if (values.isEmpty()) {
						values.add(""); // "(,"
					}
					Token next = lookahead(Context.VALUES).token();
					if (next == Token.CLOSED_PAR) {
						values.add(""); // ",)"
						return values;
					}
					if (next == Token.COMMA) {
						consume(Context.VALUES);
						values.add(""); // ",,"
					}
				}
				// sic: Go's message has a comma after "','".
				default -> throw found(item, "',', or identifier");
			}
		}
	}

	/** The value after {@code =}, {@code ==}, {@code !=}, {@code >} or {@code <}; nothing means the empty value. */
	private SortedSet<String> parseExactValue() {
		Token next = lookahead(Context.VALUES).token();
		if (next == Token.END_OF_STRING || next == Token.COMMA) {
			return valueSet("");
		}
		Item item = consume(Context.VALUES);
		if (item.token() != Token.IDENTIFIER) {
			throw found(item, "identifier");
		}
		return valueSet(item.literal());
	}

	/**
	 * Go's {@code NewRequirement}: checks the values for the operator and each value as a label value, reporting
	 * every problem as one aggregate error. The key was already checked by the parser.
	 */
	private static Requirement newRequirement(String key, Operator operator, List<String> values) {
		Set<String> errors = new LinkedHashSet<>(); // ToAggregate drops duplicate messages
		if (operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN) {
			for (int i = 0; i < values.size(); i++) {
				if (GoText.parseInt64(values.get(i)) == null) {
					errors.add(invalidValue("values[" + i + "]", values.get(i),
							"for 'Gt', 'Lt' operators, the value must be an integer"));
				}
			}
		}
		for (int i = 0; i < values.size(); i++) {
			List<String> valueErrors = LabelValidation.labelValueErrors(values.get(i));
			if (!valueErrors.isEmpty()) {
				errors.add(invalidValue("values[" + i + "][" + key + "]", values.get(i),
						String.join("; ", valueErrors)));
			}
		}
		if (!errors.isEmpty()) {
			// An aggregate of one error prints as that error, of several as "[e1, e2]".
			throw new SelectorException(
					(errors.size() == 1) ? errors.iterator().next() : "[" + String.join(", ", errors) + "]");
		}
		return new Requirement(key, operator, values);
	}

	/** A {@code field.Invalid} error as printed by Go: {@code <path>: Invalid value: "<value>": <detail>}. */
	private static String invalidValue(String path, String value, String detail) {
		return path + ": Invalid value: " + GoText.quote(value) + ": " + detail;
	}

	private static SelectorException found(Item item, String expected) {
		return new SelectorException("found '" + item.literal() + "', expected: " + expected);
	}

	/** Go collects values in a {@code sets.String} and lists them sorted. */
	private static SortedSet<String> valueSet(String... values) {
		SortedSet<String> set = new TreeSet<>(GoText::compare);
		set.addAll(List.of(values));
		return set;
	}

	/** The token at the cursor, without moving. In a value position "in" and "notin" are plain identifiers. */
	private Item lookahead(Context context) {
		return inContext(this.items.get(this.position), context);
	}

	/** The token at the cursor, moving past it. */
	private Item consume(Context context) {
		return inContext(this.items.get(this.position++), context);
	}

	private static Item inContext(Item item, Context context) {
		if (context == Context.VALUES && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
			return new Item(Token.IDENTIFIER, item.literal());
		}
		return item;
	}

	/** Whether "in"/"notin" are read as operators or as identifiers. */
	private enum Context {

		KEY_AND_OPERATOR, VALUES

	}

	private enum Token {

		/** Never produced in practice: every special character is a token by itself. */
		ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
		LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR

	}

	/** A token and the text it was read from. */
	private record Item(Token token, String literal) {
	}

	/**
	 * Cuts a selector into tokens the way Go's {@code labels.Lexer} does. Identifiers run until whitespace or one of
	 * {@code =!(),<>}; operators are the longest run of those characters that is a known operator. A NUL character
	 * reads as end of input (Go's lexer uses byte 0 for "no more input"), which ends the selector where a token
	 * starts and is skipped where it ends one.
	 */
	private static final class Lexer {

		private static final Map<String, Token> LITERALS = Map.ofEntries(Map.entry(")", Token.CLOSED_PAR),
				Map.entry(",", Token.COMMA), Map.entry("!", Token.DOES_NOT_EXIST),
				Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS),
				Map.entry(">", Token.GREATER_THAN), Map.entry("in", Token.IN), Map.entry("<", Token.LESS_THAN),
				Map.entry("!=", Token.NOT_EQUALS), Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN_PAR));

		private static final char END = 0;

		private final String text;

		private int position;

		Lexer(String text) {
			this.text = text;
		}

		Item lex() {
			char ch = read();
			while (isWhitespace(ch)) {
				ch = read();
			}
			if (ch == END) {
				return new Item(Token.END_OF_STRING, "");
			}
			unread();
			return isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdentifierOrKeyword();
		}

		private Item scanIdentifierOrKeyword() {
			StringBuilder buffer = new StringBuilder();
			while (true) {
				char ch = read();
				if (ch == END) {
					break;
				}
				if (isSpecialSymbol(ch) || isWhitespace(ch)) {
					unread();
					break;
				}
				buffer.append(ch);
			}
			String literal = buffer.toString();
			Token keyword = LITERALS.get(literal); // only "in" and "notin" can match here
			return new Item((keyword != null) ? keyword : Token.IDENTIFIER, literal);
		}

		/** The longest run of special characters that is an operator: "!=" rather than "!", "==" rather than "=". */
		private Item scanSpecialSymbol() {
			StringBuilder buffer = new StringBuilder();
			Item last = null;
			while (true) {
				char ch = read();
				if (ch == END) {
					break;
				}
				if (!isSpecialSymbol(ch)) {
					unread();
					break;
				}
				buffer.append(ch);
				Token token = LITERALS.get(buffer.toString());
				if (token != null) {
					last = new Item(token, buffer.toString());
				}
				else if (last != null) {
					unread();
					break;
				}
			}
			return (last != null) ? last : new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
		}

		/** The next character, or {@link #END} at the end of the input (without advancing). */
		private char read() {
			return (this.position < this.text.length()) ? this.text.charAt(this.position++) : END;
		}

		private void unread() {
			this.position--;
		}

		private static boolean isWhitespace(char ch) {
			return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
		}

		private static boolean isSpecialSymbol(char ch) {
			return switch (ch) {
				case '=', '!', '(', ')', ',', '>', '<' -> true;
				default -> false;
			};
		}

	}

}
