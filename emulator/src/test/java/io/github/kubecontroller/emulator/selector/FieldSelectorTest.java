package io.github.kubecontroller.emulator.selector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.kubecontroller.emulator.selector.FieldSelector.Operator;
import io.github.kubecontroller.emulator.selector.FieldSelector.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FieldSelectorTest {

	private static Requirement eq(String field, String value) {
		return new Requirement(field, Operator.EQUALS, value);
	}

	private static Requirement ne(String field, String value) {
		return new Requirement(field, Operator.NOT_EQUALS, value);
	}

	// ---- parsing ----

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void parses(String text, List<Requirement> requirements, String canonical) {
		FieldSelector selector = FieldSelector.parse(text);
		assertThat(selector.requirements()).isEqualTo(requirements);
		assertThat(selector).hasToString(canonical);
		assertThat(FieldSelector.parse(canonical)).isEqualTo(selector);
	}

	static Stream<Arguments> parses() {
		return Stream.of(
				// the three operators; "==" is the same as "="
				arguments("metadata.name=foo", List.of(eq("metadata.name", "foo")), "metadata.name=foo"),
				arguments("metadata.name==foo", List.of(eq("metadata.name", "foo")), "metadata.name=foo"),
				arguments("status.phase!=Running", List.of(ne("status.phase", "Running")), "status.phase!=Running"),
				// terms are kept sorted by their text
				arguments("status.phase=Running,metadata.name=x",
						List.of(eq("metadata.name", "x"), eq("status.phase", "Running")),
						"metadata.name=x,status.phase=Running"),
				arguments("a=2,a!=1", List.of(ne("a", "1"), eq("a", "2")), "a!=1,a=2"),
				// escapes in values
				arguments("a=x\\,y", List.of(eq("a", "x,y")), "a=x\\,y"),
				arguments("a=x\\=y", List.of(eq("a", "x=y")), "a=x\\=y"),
				arguments("a=x\\\\y", List.of(eq("a", "x\\y")), "a=x\\\\y"),
				arguments("a!=\\,\\=\\\\", List.of(ne("a", ",=\\")), "a!=\\,\\=\\\\"),
				arguments("b=1\\,2,a=3", List.of(eq("a", "3"), eq("b", "1,2")), "a=3,b=1\\,2"),
				arguments("a=x\\\\,b=y", List.of(eq("a", "x\\"), eq("b", "y")), "a=x\\\\,b=y"),
				// empty values and fields
				arguments("a=", List.of(eq("a", "")), "a="),
				arguments("a==", List.of(eq("a", "")), "a="),
				arguments("a!=", List.of(ne("a", "")), "a!="),
				arguments("=b", List.of(eq("", "b")), "=b"),
				arguments("!=b", List.of(ne("", "b")), "!=b"),
				// nothing is trimmed
				arguments(" a = b ", List.of(eq(" a ", " b ")), " a = b "),
				// the first operator splits the term; a later '!' is part of the value
				arguments("a=b!", List.of(eq("a", "b!")), "a=b!"),
				// the field is taken literally: no escapes there, "\\" is part of the name
				arguments("a\\=b", List.of(eq("a\\", "b")), "a\\=b"),
				arguments("a.b/c-d_e=x y", List.of(eq("a.b/c-d_e", "x y")), "a.b/c-d_e=x y"),
				// empty terms are skipped, and so are terms with both sides empty
				arguments("a=b,", List.of(eq("a", "b")), "a=b"),
				arguments(",,a=b,,", List.of(eq("a", "b")), "a=b"),
				arguments("a=b,=", List.of(eq("a", "b")), "a=b"),
				arguments("!=,a=b,==", List.of(eq("a", "b")), "a=b"));
	}

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void selectsEverything(String text) {
		FieldSelector selector = FieldSelector.parse(text);
		assertThat(selector.isEmpty()).isTrue();
		assertThat(selector.requirements()).isEmpty();
		assertThat(selector.fields()).isEmpty();
		assertThat(selector).isSameAs(FieldSelector.everything()).hasToString("");
		assertThat(selector.matches((field) -> null)).isTrue();
	}

	static Stream<String> selectsEverything() {
		return Stream.of(null, "", ",", ",,,", "=", "==", "!=", "=,!=");
	}

	@Test
	void notEmptyWithARequirement() {
		assertThat(FieldSelector.parse("a=b").isEmpty()).isFalse();
		assertThat(FieldSelector.parse("a!=").isEmpty()).isFalse();
	}

	@Test
	void fields() {
		assertThat(FieldSelector.parse("b=1,a!=2,b!=3").fields()).containsExactly("a", "b");
		assertThat(FieldSelector.parse("metadata.name=x").fields()).containsExactly("metadata.name");
	}

	@Test
	void requiredValue() {
		assertThat(FieldSelector.parse("metadata.name=x").requiredValue("metadata.name")).isEqualTo("x");
		assertThat(FieldSelector.parse("a==x\\,y").requiredValue("a")).isEqualTo("x,y");
		assertThat(FieldSelector.parse("a=").requiredValue("a")).isEmpty();
		assertThat(FieldSelector.parse("a!=x").requiredValue("a")).isNull();
		assertThat(FieldSelector.parse("a=x").requiredValue("b")).isNull();
		assertThat(FieldSelector.everything().requiredValue("a")).isNull();
		// "!=" terms are passed over; the first "=" term (in sorted order) wins
		assertThat(FieldSelector.parse("a=y,a!=x").requiredValue("a")).isEqualTo("y");
		assertThat(FieldSelector.parse("a=2,a=1").requiredValue("a")).isEqualTo("1");
	}

	@Test
	void escapeValue() {
		assertThat(FieldSelector.escapeValue("a,b=c\\d")).isEqualTo("a\\,b\\=c\\\\d");
		assertThat(FieldSelector.escapeValue("plain")).isEqualTo("plain");
		String value = "x\\,=y";
		assertThat(FieldSelector.parse("f=" + FieldSelector.escapeValue(value)).requiredValue("f")).isEqualTo(value);
	}

	@Test
	void equality() {
		assertThat(FieldSelector.parse("b=1,a==2")).isEqualTo(FieldSelector.parse("a=2,b=1"))
			.hasSameHashCodeAs(FieldSelector.parse("a=2,b=1"));
		assertThat(FieldSelector.parse("a=1")).isNotEqualTo(FieldSelector.parse("a!=1"));
	}

	// ---- matching ----

	@ParameterizedTest(name = "[{index}] \"{0}\" on {1} -> {2}")
	@MethodSource
	void matches(String text, Map<String, String> fields, boolean expected) {
		assertThat(FieldSelector.parse(text).matches(fields::get)).isEqualTo(expected);
	}

	static Stream<Arguments> matches() {
		Map<String, String> pod = Map.of("metadata.name", "web-0", "metadata.namespace", "default", "status.phase",
				"Running", "spec.nodeName", "");
		return Stream.of(arguments("metadata.name=web-0", pod, true), arguments("metadata.name==web-0", pod, true),
				arguments("metadata.name=web-1", pod, false), arguments("metadata.name!=web-1", pod, true),
				arguments("metadata.name!=web-0", pod, false),
				arguments("metadata.name=web-0,status.phase=Running", pod, true),
				arguments("metadata.name=web-0,status.phase!=Running", pod, false),
				// a missing field compares as ""
				arguments("spec.other=", pod, true), arguments("spec.other!=", pod, false),
				arguments("spec.other=x", pod, false), arguments("spec.other!=x", pod, true),
				arguments("spec.nodeName=", pod, true), arguments("spec.nodeName!=", pod, false),
				// values are compared exactly, after unescaping
				arguments("a=x\\,y", Map.of("a", "x,y"), true), arguments("a=x\\,y", Map.of("a", "x\\,y"), false),
				arguments("a=Running", Map.of("a", "running"), false), arguments(" a=b", Map.of("a", "b"), false),
				arguments("a=1,a=2", Map.of("a", "1"), false));
	}

	@Test
	void missingFieldViaNullValue() {
		Map<String, String> fields = new HashMap<>();
		fields.put("a", null);
		assertThat(FieldSelector.parse("a=").matches(fields::get)).isTrue();
		assertThat(FieldSelector.parse("a!=").matches(fields::get)).isFalse();
	}

	// ---- errors ----

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@MethodSource
	void rejects(String text, String message) {
		assertThatThrownBy(() -> FieldSelector.parse(text)).isInstanceOf(SelectorException.class)
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage(message);
	}

	static Stream<Arguments> rejects() {
		return Stream.of(
				// a term without an operator
				arguments("abc", "invalid selector: 'abc'; can't understand 'abc'"),
				arguments("x=1,abc", "invalid selector: 'x=1,abc'; can't understand 'abc'"),
				arguments(" ", "invalid selector: ' '; can't understand ' '"),
				arguments("a<1", "invalid selector: 'a<1'; can't understand 'a<1'"),
				arguments("a>1", "invalid selector: 'a>1'; can't understand 'a>1'"),
				arguments("a in (b)", "invalid selector: 'a in (b)'; can't understand 'a in (b)'"),
				arguments("!a", "invalid selector: '!a'; can't understand '!a'"),
				arguments("a!", "invalid selector: 'a!'; can't understand 'a!'"),
				// terms are sorted before they are checked: the first bad one in sorted order is reported
				arguments("z,a", "invalid selector: 'z,a'; can't understand 'a'"),
				arguments("b,a=\\q", "invalid field selector: invalid escape sequence: \\q"),
				arguments("a=\\q,b", "invalid field selector: invalid escape sequence: \\q"),
				arguments("c=\\q,b", "invalid selector: 'c=\\q,b'; can't understand 'b'"),
				// an unescaped '=' in the value; Go prints the rune as a number
				arguments("a=b=c", "invalid field selector: unescaped character in value: 61"),
				arguments("a===b", "invalid field selector: unescaped character in value: 61"),
				arguments("a!==b", "invalid field selector: unescaped character in value: 61"),
				arguments("a=\\\\=b", "invalid field selector: unescaped character in value: 61"),
				// bad escape sequences
				arguments("a=\\", "invalid field selector: invalid escape sequence: \\"),
				arguments("a=b\\", "invalid field selector: invalid escape sequence: \\"),
				arguments("a=\\\\\\", "invalid field selector: invalid escape sequence: \\"),
				arguments("a=\\a", "invalid field selector: invalid escape sequence: \\a"),
				arguments("a=\\ ", "invalid field selector: invalid escape sequence: \\ "),
				arguments("a=\\\u00e9", "invalid field selector: invalid escape sequence: \\\u00e9"),
				arguments("a=\\\ud83d\ude00", "invalid field selector: invalid escape sequence: \\\ud83d\ude00"));
	}

}
