package io.github.kubecontroller.runtime.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.kubecontroller.runtime.predicate.LabelSelector.Operator;
import io.github.kubecontroller.runtime.predicate.LabelSelector.Requirement;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

	private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "replicas", "3",
			"example.com/team", "a", "empty", "");

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''                                  | true
			app=web                             | true
			app==web                            | true
			app = web                           | true
			app=db                              | false
			app!=db                             | true
			app!=web                            | false
			missing!=x                          | true
			app in (web,db)                     | true
			app in (db)                         | false
			missing in (web)                    | false
			app notin (db,cache)                | true
			app notin (web)                     | false
			missing notin (web)                 | true
			app                                 | true
			missing                             | false
			!missing                            | true
			!app                                | false
			app=web,tier=front                  | true
			app=web,tier=back                   | false
			app=web, tier in (front, back), !x  | true
			example.com/team=a                  | true
			replicas>2                          | true
			replicas<3                          | false
			app>1                               | false
			missing<5                           | false
			empty=                              | true
			empty in ()                         | true
			app in (web,)                       | true
			empty in (x,)                       | true
			tier in(front)                      | true
			""")
	void matchesLikeTheApiServer(String selector, boolean expected) {
		assertThat(LabelSelector.parse(selector).matches(WEB)).as(selector).isEqualTo(expected);
	}

	@Test
	void parsesIntoRequirements() {
		assertThat(LabelSelector.parse("a=1,b!=2,c in (x,y),d notin (z),e,!f,g>5,h<6").requirements())
			.containsExactly(new Requirement("a", Operator.EQUALS, Set.of("1")),
					new Requirement("b", Operator.NOT_EQUALS, Set.of("2")),
					new Requirement("c", Operator.IN, Set.of("x", "y")),
					new Requirement("d", Operator.NOT_IN, Set.of("z")), new Requirement("e", Operator.EXISTS, Set.of()),
					new Requirement("f", Operator.DOES_NOT_EXIST, Set.of()),
					new Requirement("g", Operator.GREATER_THAN, Set.of("5")),
					new Requirement("h", Operator.LESS_THAN, Set.of("6")));
	}

	@Test
	void keywordsAreOrdinaryValues() {
		assertThat(LabelSelector.parse("mode=in").matches(Map.of("mode", "in"))).isTrue();
		assertThat(LabelSelector.parse("mode in (notin,in)").matches(Map.of("mode", "notin"))).isTrue();
	}

	@Test
	void nullLabelsAreNoLabels() {
		assertThat(LabelSelector.parse("!app").matches(null)).isTrue();
		assertThat(LabelSelector.parse("app").matches(null)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "app=web,", ",app", "app=web,,tier", "!app=web", "app in web", "app in (web",
			"app in (a b)", "app === b", "app > x", "app >", "=web", "app web", "a/b/c=1", "Bad_Prefix.com/a=1",
			"-app=1", "app=-web", "app=" + "x" + "0123456789012345678901234567890123456789012345678901234567890123",
			"app notin", "(", "app ! x" })
	void rejectsInvalidSelectors(String selector) {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSelector.parse(selector))
			.withMessageContaining("invalid label selector \"" + selector + "\"");
	}

	@Test
	void errorMessageSaysWhereAndWhat() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSelector.parse("app=web tier=x"))
			.withMessage("invalid label selector \"app=web tier=x\": found 'tier' at position 8, "
					+ "expected ',' or end of string");
	}

	@Test
	void labelsMatchFilterUsesTheNewObjectAndValidatesEagerly() {
		EventFilter<V1ConfigMap> filter = EventFilter.labelsMatch("app=web");
		V1ConfigMap web = new V1ConfigMap().metadata(new V1ObjectMeta().name("a").putLabelsItem("app", "web"));
		V1ConfigMap db = new V1ConfigMap().metadata(new V1ObjectMeta().name("a").putLabelsItem("app", "db"));

		assertThat(filter.accept(null, web)).isTrue();
		assertThat(filter.accept(db, web)).isTrue();
		assertThat(filter.accept(web, db)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> EventFilter.labelsMatch("app in"));
	}
}
