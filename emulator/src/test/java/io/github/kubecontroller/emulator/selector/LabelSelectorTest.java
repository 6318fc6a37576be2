package io.github.kubecontroller.emulator.selector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.kubecontroller.emulator.selector.LabelSelector.Operator;
import io.github.kubecontroller.emulator.selector.LabelSelector.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LabelSelectorTest {

	/** apimachinery's qualified-name regex error, as written out in the server's messages. */
	private static final String NAME_REGEX_ERROR = "must consist of alphanumeric characters, '-', '_' or '.', and must "
			+ "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
			+ "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

	private static final String VALUE_REGEX_ERROR = "a valid label must be an empty string or consist of alphanumeric "
			+ "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
			+ "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

	private static final String SUBDOMAIN_REGEX_ERROR = "a lowercase RFC 1123 subdomain must consist of lower case "
			+ "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
			+ "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
			+ "[a-z0-9])?)*')";

	private static final String OPERATORS = "in, notin, =, ==, !=, gt, lt";

	// ---- parsing and canonical form ----

	@ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
	@MethodSource
	void parsesToCanonicalForm(String text, String canonical) {
		LabelSelector selector = LabelSelector.parse(text);
		assertThat(selector).hasToString(canonical);
		assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
	}

	static Stream<Arguments> parsesToCanonicalForm() {
		return Stream.of(
				// every operator
				arguments("a", "a"), arguments("!a", "!a"), arguments("a=b", "a=b"), arguments("a==b", "a==b"),
				arguments("a!=b", "a!=b"), arguments("a in (b)", "a in (b)"), arguments("a notin (b)", "a notin (b)"),
				arguments("a>1", "a>1"), arguments("a<1", "a<1"), arguments("a>0", "a>0"),
				arguments("a<007", "a<007"),
				// whitespace (space, tab, CR, LF) around every token, or none at all
				arguments(" a = b ", "a=b"), arguments("\ta\t==\tb\t", "a==b"), arguments("a\r\n!=\r\nb", "a!=b"),
				arguments("! a", "!a"), arguments("a  in  (  b  ,  c  )  ", "a in (b,c)"), arguments("a in(b)", "a in (b)"),
				arguments("a notin(b,c)", "a notin (b,c)"), arguments(" a , b ", "a,b"), arguments("a>  5", "a>5"),
				// requirements are sorted by key; values are sorted and de-duplicated
				arguments("z=1,a=2,m", "a=2,m,z=1"), arguments("a in (c,b,a)", "a in (a,b,c)"),
				arguments("a notin (b,b)", "a notin (b)"), arguments("b,a,b=1", "a,b,b=1"),
				// empty values
				arguments("a=", "a="), arguments("a==", "a=="), arguments("a!=", "a!="), arguments("a=,b", "a=,b"),
				arguments("a in ()", "a in ()"), arguments("a in (,)", "a in ()"), arguments("a in (,b)", "a in (,b)"),
				arguments("a in (b,)", "a in (,b)"), arguments("a in (b,,c)", "a in (,b,c)"),
				arguments("a notin (,,,)", "a notin ()"),
				// keywords are ordinary identifiers where a key or value is expected
				arguments("in in (in,notin)", "in in (in,notin)"), arguments("notin=in", "notin=in"),
				arguments("!in", "!in"), arguments("a!=notin", "a!=notin"),
				// qualified keys and longest-allowed names and values
				arguments("example.com/app=web", "example.com/app=web"),
				arguments("app.kubernetes.io/name in (x)", "app.kubernetes.io/name in (x)"),
				arguments("A_b.c-D=E_f.g-H", "A_b.c-D=E_f.g-H"),
				arguments("k" + "x".repeat(62) + "=" + "v".repeat(63), "k" + "x".repeat(62) + "=" + "v".repeat(63)),
				// sorted by key, not by text
				arguments("!c,a=b", "a=b,!c"));
	}

	@Test
	void nullEmptyAndWhitespaceSelectEverything() {
		for (String text : new String[] { null, "", " ", "\t\r\n " }) {
			LabelSelector selector = LabelSelector.parse(text);
			assertThat(selector.isEmpty()).as("%s", text).isTrue();
			assertThat(selector).isSameAs(LabelSelector.everything()).hasToString("");
			assertThat(selector.matches(null)).isTrue();
			assertThat(selector.matches(Map.of("a", "b"))).isTrue();
		}
		assertThat(LabelSelector.parse("a").isEmpty()).isFalse();
	}

	@Test
	void nulCharacterEndsTheInputWhereATokenWouldStart() {
		// Go's lexer reads byte 0 as "no more input".
		assertThat(LabelSelector.parse("\u0000a$$$").isEmpty()).isTrue();
		assertThat(LabelSelector.parse("a=b \u0000 junk")).hasToString("a=b");
		// ...but after a token it is just skipped, so what follows is still read.
		assertThatThrownBy(() -> LabelSelector.parse("a\u0000b")).isInstanceOf(SelectorException.class)
			.hasMessage("unable to parse requirement: found 'b', expected: " + OPERATORS);
	}

	@Test
	void exposesRequirements() {
		LabelSelector selector = LabelSelector.parse("x in (2,1), !y, a");
		assertThat(selector.requirements()).containsExactly(new Requirement("a", Operator.EXISTS, List.of()),
				new Requirement("x", Operator.IN, List.of("1", "2")),
				new Requirement("y", Operator.DOES_NOT_EXIST, List.of()));
		assertThat(LabelSelector.parse("a<3").requirements())
			.containsExactly(new Requirement("a", Operator.LESS_THAN, List.of("3")));
		assertThat(LabelSelector.parse("a==").requirements())
			.containsExactly(new Requirement("a", Operator.DOUBLE_EQUALS, List.of("")));
		assertThat(Operator.GREATER_THAN.operatorName()).isEqualTo("gt");
	}

	@Test
	void requiredValue() {
		assertThat(LabelSelector.parse("a=1,b=2").requiredValue("b")).isEqualTo("2");
		assertThat(LabelSelector.parse("a==1").requiredValue("a")).isEqualTo("1");
		assertThat(LabelSelector.parse("a in (1)").requiredValue("a")).isEqualTo("1");
		assertThat(LabelSelector.parse("a=").requiredValue("a")).isEmpty();
		assertThat(LabelSelector.parse("a in (1,2)").requiredValue("a")).isNull();
		assertThat(LabelSelector.parse("a!=1").requiredValue("a")).isNull();
		assertThat(LabelSelector.parse("a").requiredValue("a")).isNull();
		assertThat(LabelSelector.parse("a=1").requiredValue("b")).isNull();
		// only the first requirement on the key counts
		assertThat(LabelSelector.parse("a,a=1").requiredValue("a")).isNull();
		assertThat(LabelSelector.everything().requiredValue("a")).isNull();
	}

	// ---- matching ----

	@ParameterizedTest(name = "[{index}] \"{0}\" on {1} -> {2}")
	@MethodSource
	void matches(String text, Map<String, String> labels, boolean expected) {
		assertThat(LabelSelector.parse(text).matches(labels)).isEqualTo(expected);
	}

	static Stream<Arguments> matches() {
		Map<String, String> none = Map.of();
		Map<String, String> ab = Map.of("a", "b");
		Map<String, String> aEmpty = Map.of("a", "");
		return Stream.of(
				// exists / does not exist
				arguments("a", ab, true), arguments("a", aEmpty, true), arguments("a", none, false),
				arguments("!a", ab, false), arguments("!a", none, true), arguments("!a", Map.of("c", "d"), true),
				// equality
				arguments("a=b", ab, true), arguments("a==b", ab, true), arguments("a=c", ab, false),
				arguments("a=b", none, false), arguments("a=", aEmpty, true), arguments("a=", none, false),
				arguments("a=", ab, false), arguments("A=b", ab, false),
				// != also matches objects without the key
				arguments("a!=b", ab, false), arguments("a!=c", ab, true), arguments("a!=b", none, true),
				arguments("a!=", aEmpty, false), arguments("a!=", none, true), arguments("a!=", ab, true),
				// set membership; notin also matches objects without the key
				arguments("a in (b,c)", ab, true), arguments("a in (c,d)", ab, false),
				arguments("a in (b)", none, false), arguments("a in ()", aEmpty, true), arguments("a in (,b)", aEmpty, true),
				arguments("a notin (b,c)", ab, false), arguments("a notin (c,d)", ab, true),
				arguments("a notin (b)", none, true), arguments("a notin ()", aEmpty, false),
				// numeric comparisons need an integer label; a missing label never matches
				arguments("a>1", Map.of("a", "2"), true), arguments("a>2", Map.of("a", "2"), false),
				arguments("a<3", Map.of("a", "2"), true), arguments("a<2", Map.of("a", "2"), false),
				arguments("a>1", Map.of("a", "010"), true), arguments("a<0", Map.of("a", "-5"), true),
				arguments("a>1", Map.of("a", "x"), false), arguments("a<1", Map.of("a", ""), false),
				arguments("a>1", none, false), arguments("a<1", none, false),
				arguments("a>1", Map.of("a", "99999999999999999999"), false),
				arguments("a<1", Map.of("a", "\u0661"), false), // Arabic-Indic digit one: not an ASCII integer
				arguments("a>9223372036854775806", Map.of("a", "9223372036854775807"), true),
				// AND of all requirements
				arguments("a=b,c", Map.of("a", "b", "c", "d"), true), arguments("a=b,c", ab, false),
				arguments("a=b,!c", ab, true), arguments("a,a!=b", ab, false));
	}

	@Test
	void matchesNullOrEmptyLabelsAsNoLabels() {
		assertThat(LabelSelector.parse("!a,b!=c,d notin (e)").matches(null)).isTrue();
		assertThat(LabelSelector.parse("a").matches(null)).isFalse();
		Map<String, String> withNullValue = new HashMap<>();
		withNullValue.put("a", null);
		assertThat(LabelSelector.parse("a").matches(withNullValue)).isTrue();
	}

	@Test
	void equality() {
		assertThat(LabelSelector.parse("b, a=1")).isEqualTo(LabelSelector.parse("a=1,b"))
			.hasSameHashCodeAs(LabelSelector.parse("a=1,b"));
		assertThat(LabelSelector.parse("a=1")).isNotEqualTo(LabelSelector.parse("a==1"));
	}

	// ---- syntax errors ----

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void rejectsSyntaxErrors(String text, String message) {
		assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(SelectorException.class)
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage(message);
	}

	static Stream<Arguments> rejectsSyntaxErrors() {
		return Stream.of(
				// where a requirement must start
				arguments(",", "found ',', expected: !, identifier, or 'end of string'"),
				arguments("=a", "found '=', expected: !, identifier, or 'end of string'"),
				arguments("(a)", "found '(', expected: !, identifier, or 'end of string'"),
				arguments("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
				// after a requirement
				arguments("a,", "found '', expected: identifier after ','"),
				arguments("a, ", "found '', expected: identifier after ','"),
				arguments("a,,b", "found ',', expected: identifier after ','"),
				arguments("a,=b", "found '=', expected: identifier after ','"),
				arguments("a=b)", "found ')', expected: ',' or 'end of string'"),
				arguments("a=b=c", "found '=', expected: ',' or 'end of string'"),
				arguments("a=b c", "found 'c', expected: ',' or 'end of string'"),
				arguments("a in (b) c", "found 'c', expected: ',' or 'end of string'"),
				// "!key" takes no operator: the requirement is "!a", then the '=' is unexpected
				arguments("!a=b", "found '=', expected: ',' or 'end of string'"),
				arguments("!a in (b)", "found 'in', expected: ',' or 'end of string'"),
				// the key
				arguments("!", "unable to parse requirement: found '', expected: identifier"),
				arguments("!,a", "unable to parse requirement: found ',', expected: identifier"),
				arguments("!!a", "unable to parse requirement: found '!', expected: identifier"),
				// the operator
				arguments("a b", "unable to parse requirement: found 'b', expected: " + OPERATORS),
				arguments("a (b)", "unable to parse requirement: found '(', expected: " + OPERATORS),
				arguments("a !b", "unable to parse requirement: found '!', expected: " + OPERATORS),
				arguments("a ! =b", "unable to parse requirement: found '!', expected: " + OPERATORS),
				arguments("a )", "unable to parse requirement: found ')', expected: " + OPERATORS),
				arguments("a =< 1", "unable to parse requirement: found '<', expected: identifier"),
				arguments("a >= 1", "unable to parse requirement: found '=', expected: identifier"),
				arguments("a===b", "unable to parse requirement: found '=', expected: identifier"),
				// set values
				arguments("a in b", "unable to parse requirement: found 'b' expected: '('"),
				arguments("a in", "unable to parse requirement: found '' expected: '('"),
				arguments("a notin ,", "unable to parse requirement: found ',' expected: '('"),
				arguments("a in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
				arguments("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
				arguments("a in ((b))", "unable to parse requirement: found '(', expected: ',', ')' or identifier"),
				arguments("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
				arguments("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
				arguments("a in (b=c)", "unable to parse requirement: found '=', expected: ',' or ')'"),
				arguments("a in (b,", "unable to parse requirement: found '', expected: ',', or identifier"),
				arguments("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
				arguments("a in (,(", "unable to parse requirement: found '(', expected: ',', or identifier"),
				// exact values
				arguments("a=(b)", "unable to parse requirement: found '(', expected: identifier"),
				arguments("a!=!", "unable to parse requirement: found '!', expected: identifier"),
				arguments("a== )", "unable to parse requirement: found ')', expected: identifier"));
	}

	// ---- invalid keys and values ----

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void rejectsInvalidKeys(String text, String message) {
		assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(SelectorException.class)
			.hasMessage(message);
	}

	static Stream<Arguments> rejectsInvalidKeys() {
		String prefix = "unable to parse requirement: <nil>: Invalid value: ";
		return Stream.of(
				arguments("a$=b", "unable to parse requirement: <nil>: Invalid value: \"a$\": name part must consist of "
						+ "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
						+ "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
						+ "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
				arguments("-a", prefix + "\"-a\": name part " + NAME_REGEX_ERROR),
				arguments("a_", prefix + "\"a_\": name part " + NAME_REGEX_ERROR),
				arguments("!.a", prefix + "\".a\": name part " + NAME_REGEX_ERROR),
				arguments("a:b in (c)", prefix + "\"a:b\": name part " + NAME_REGEX_ERROR),
				arguments("k" + "x".repeat(63),
						prefix + "\"k" + "x".repeat(63) + "\": name part must be no more than 63 characters"),
				arguments("/a", prefix + "\"/a\": prefix part must be non-empty"),
				arguments("a/", prefix + "\"a/\": name part must be non-empty; name part " + NAME_REGEX_ERROR),
				arguments("/", prefix + "\"/\": prefix part must be non-empty; name part must be non-empty; name part "
						+ NAME_REGEX_ERROR),
				arguments("Example.com/a", prefix + "\"Example.com/a\": prefix part " + SUBDOMAIN_REGEX_ERROR),
				arguments("a..b/c", prefix + "\"a..b/c\": prefix part " + SUBDOMAIN_REGEX_ERROR),
				arguments("a_b/c=d", prefix + "\"a_b/c\": prefix part " + SUBDOMAIN_REGEX_ERROR),
				arguments("-a.com/-c", prefix + "\"-a.com/-c\": prefix part " + SUBDOMAIN_REGEX_ERROR + "; name part "
						+ NAME_REGEX_ERROR),
				arguments("a".repeat(254) + "/c", prefix + "\"" + "a".repeat(254)
						+ "/c\": prefix part must be no more than 253 characters"),
				arguments("a/b/c", prefix + "\"a/b/c\": a qualified name " + NAME_REGEX_ERROR
						+ " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
				// the key is printed with Go's %q: quotes and backslashes escaped, control characters in hex,
				// printable non-ASCII as is; lengths count UTF-8 bytes
				arguments("a\"b", prefix + "\"a\\\"b\": name part " + NAME_REGEX_ERROR),
				arguments("a\\b", prefix + "\"a\\\\b\": name part " + NAME_REGEX_ERROR),
				arguments("a\u0001", prefix + "\"a\\x01\": name part " + NAME_REGEX_ERROR),
				arguments("a\u000b", prefix + "\"a\\v\": name part " + NAME_REGEX_ERROR),
				arguments("a\u00a0", prefix + "\"a\\u00a0\": name part " + NAME_REGEX_ERROR),
				arguments("\u00fc", prefix + "\"\u00fc\": name part " + NAME_REGEX_ERROR),
				arguments("\u00fc".repeat(32), prefix + "\"" + "\u00fc".repeat(32)
						+ "\": name part must be no more than 63 characters; name part " + NAME_REGEX_ERROR));
	}

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void rejectsInvalidValues(String text, String message) {
		assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(SelectorException.class)
			.hasMessage(message);
	}

	static Stream<Arguments> rejectsInvalidValues() {
		String prefix = "unable to parse requirement: ";
		String notInteger = ": for 'Gt', 'Lt' operators, the value must be an integer";
		return Stream.of(
				arguments("a=b$", "unable to parse requirement: values[0][a]: Invalid value: \"b$\": a valid label must "
						+ "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
						+ "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
						+ "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
				arguments("a!=-b", prefix + "values[0][a]: Invalid value: \"-b\": " + VALUE_REGEX_ERROR),
				arguments("x/y==b_", prefix + "values[0][x/y]: Invalid value: \"b_\": " + VALUE_REGEX_ERROR),
				arguments("a=" + "v".repeat(64),
						prefix + "values[0][a]: Invalid value: \"" + "v".repeat(64) + "\": must be no more than 63 characters"),
				arguments("a=" + "v".repeat(63) + "-", prefix + "values[0][a]: Invalid value: \"" + "v".repeat(63)
						+ "-\": must be no more than 63 characters; " + VALUE_REGEX_ERROR),
				// set values are checked in sorted order, indexed by their sorted position; several errors aggregate
				arguments("a in (z$,b)", prefix + "values[1][a]: Invalid value: \"z$\": " + VALUE_REGEX_ERROR),
				arguments("a notin (y$,x$)", prefix + "[values[0][a]: Invalid value: \"x$\": " + VALUE_REGEX_ERROR
						+ ", values[1][a]: Invalid value: \"y$\": " + VALUE_REGEX_ERROR + "]"),
				// '>' and '<' need a 64-bit integer that is also a valid label value
				arguments("a>b", prefix + "values[0]: Invalid value: \"b\"" + notInteger),
				arguments("a<", prefix + "values[0]: Invalid value: \"\"" + notInteger),
				arguments("a<1.5", prefix + "values[0]: Invalid value: \"1.5\"" + notInteger),
				arguments("a>0x10", prefix + "values[0]: Invalid value: \"0x10\"" + notInteger),
				arguments("a>9223372036854775808", prefix + "values[0]: Invalid value: \"9223372036854775808\""
						+ notInteger),
				arguments("a>-1", prefix + "values[0][a]: Invalid value: \"-1\": " + VALUE_REGEX_ERROR),
				arguments("a<+1", prefix + "values[0][a]: Invalid value: \"+1\": " + VALUE_REGEX_ERROR),
				arguments("a>b_", prefix + "[values[0]: Invalid value: \"b_\"" + notInteger
						+ ", values[0][a]: Invalid value: \"b_\": " + VALUE_REGEX_ERROR + "]"),
				// the first failing requirement is reported
				arguments("a=ok,b=no$,c=$", prefix + "values[0][b]: Invalid value: \"no$\": " + VALUE_REGEX_ERROR));
	}

}
