package io.github.kubecontroller.emulator.selector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed Kubernetes label selector ({@code ?labelSelector=}), with the grammar, matching rules, canonical form and
 * error messages of apimachinery's {@code pkg/labels} as served by kube-apiserver 1.32.
 * <p>
 * A selector is the AND of its requirements: {@code key}, {@code !key}, {@code key=v}, {@code key==v},
 * {@code key!=v}, {@code key in (v1,v2)}, {@code key notin (v1,v2)}, {@code key>N}, {@code key<N}. Requirements are
 * kept sorted by key, as the API server keeps them. Instances are immutable.
 */
public final class LabelSelector {

	private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

	private final List<Requirement> requirements;

	private LabelSelector(List<Requirement> requirements) {
		this.requirements = List.copyOf(requirements);
	}

	/**
	 * Parses a selector exactly as the API server does ({@code labels.Parse}).
	 * @param text the selector; {@code null}, empty or only whitespace (space, tab, CR, LF) selects everything
	 * @return the selector
	 * @throws SelectorException with the API server's message if the server would reject {@code text}
	 */
	public static LabelSelector parse(String text) {
		if (text == null) {
			return EVERYTHING;
		}
		List<Requirement> parsed = LabelSelectorParser.parse(text);
		return parsed.isEmpty() ? EVERYTHING : new LabelSelector(parsed);
	}

	/** The selector that matches every object. */
	public static LabelSelector everything() {
		return EVERYTHING;
	}

	/**
	 * Whether an object with these labels is selected.
	 * @param labels the object's labels; {@code null} means none
	 */
	public boolean matches(Map<String, String> labels) {
		Map<String, String> actual = (labels != null) ? labels : Collections.emptyMap();
		for (Requirement requirement : this.requirements) {
			if (!requirement.matches(actual)) {
				return false;
			}
		}
		return true;
	}

	/** Whether this selector places no restriction (it matches everything). */
	public boolean isEmpty() {
		return this.requirements.isEmpty();
	}

	/** The requirements, sorted by key. */
	public List<Requirement> requirements() {
		return this.requirements;
	}

	/**
	 * The single value this selector requires for {@code key} ({@code RequiresExactMatch}): the value of the first
	 * requirement on that key if it is {@code =}, {@code ==} or a one-value {@code in}; otherwise {@code null}.
	 */
	public String requiredValue(String key) {
		for (Requirement requirement : this.requirements) {
			if (requirement.key().equals(key)) {
				boolean exact = switch (requirement.op()) {
					case EQUALS, DOUBLE_EQUALS, IN -> true;
					default -> false;
				};
				return (exact && requirement.values().size() == 1) ? requirement.values().get(0) : null;
			}
		}
		return null;
	}

	/** The canonical form the API server prints: requirements sorted by key, joined by {@code ,}. */
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
		return (other instanceof LabelSelector that) && this.requirements.equals(that.requirements);
	}

	@Override
	public int hashCode() {
		return this.requirements.hashCode();
	}

	/** A label selector operator ({@code selection.Operator}). */
	public enum Operator {

		/** {@code key}: the label is present. */
		EXISTS("exists"),
		/** {@code !key}: the label is absent. */
		DOES_NOT_EXIST("!"),
		/** {@code key=v}. */
		EQUALS("="),
		/** {@code key==v}, same meaning as {@code =}. */
		DOUBLE_EQUALS("=="),
		/** {@code key!=v}: also true when the label is absent. */
		NOT_EQUALS("!="),
		/** {@code key in (v1,v2)}. */
		IN("in"),
		/** {@code key notin (v1,v2)}: also true when the label is absent. */
		NOT_IN("notin"),
		/** {@code key>N}: the label is an integer greater than N. */
		GREATER_THAN("gt"),
		/** {@code key<N}: the label is an integer less than N. */
		LESS_THAN("lt");

		private final String name;

		Operator(String name) {
			this.name = name;
		}

		/** The operator's name in apimachinery ({@code "in"}, {@code "gt"}, {@code "!"}, ...). */
		public String operatorName() {
			return this.name;
		}

	}

	/**
	 * One requirement of a label selector. Built by {@link LabelSelector#parse}, which validates it; the constructor
	 * itself does not validate.
	 *
	 * @param key the label key
	 * @param op the operator
	 * @param values the values: none for {@code EXISTS}/{@code DOES_NOT_EXIST}, one for the exact and numeric
	 * operators, one or more (sorted, distinct) for {@code IN}/{@code NOT_IN}
	 */
	public record Requirement(String key, Operator op, List<String> values) {

		public Requirement {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(op, "op");
			values = List.copyOf(values);
		}

		/** Whether labels satisfy this requirement ({@code Requirement.Matches}). */
		public boolean matches(Map<String, String> labels) {
			String value = labels.get(this.key);
			boolean present = value != null || labels.containsKey(this.key);
			if (value == null) {
				value = "";
			}
			return switch (this.op) {
				case IN, EQUALS, DOUBLE_EQUALS -> present && this.values.contains(value);
				case NOT_IN, NOT_EQUALS -> !present || !this.values.contains(value);
				case EXISTS -> present;
				case DOES_NOT_EXIST -> !present;
				case GREATER_THAN, LESS_THAN -> present && compareNumerically(value);
			};
		}

		/** Both sides must parse as 64-bit integers; anything else does not match. */
		private boolean compareNumerically(String labelValue) {
			Long actual = GoText.parseInt64(labelValue);
			Long bound = (this.values.size() == 1) ? GoText.parseInt64(this.values.get(0)) : null;
			if (actual == null || bound == null) {
				return false;
			}
			return (this.op == Operator.GREATER_THAN) ? actual > bound : actual < bound;
		}

		/** The canonical form ({@code Requirement.String}), e.g. {@code !a}, {@code a==b}, {@code a in (x,y)}. */
		@Override
		public String toString() {
			StringBuilder out = new StringBuilder();
			if (this.op == Operator.DOES_NOT_EXIST) {
				out.append('!');
			}
			out.append(this.key);
			switch (this.op) {
				case EXISTS, DOES_NOT_EXIST -> {
					return out.toString();
				}
				case EQUALS -> out.append('=');
				case DOUBLE_EQUALS -> out.append("==");
				case NOT_EQUALS -> out.append("!=");
				case IN -> out.append(" in (");
				case NOT_IN -> out.append(" notin (");
				case GREATER_THAN -> out.append('>');
				case LESS_THAN -> out.append('<');
			}
			List<String> sorted = new ArrayList<>(this.values);
			sorted.sort(GoText::compare);
			out.append(String.join(",", sorted));
			if (this.op == Operator.IN || this.op == Operator.NOT_IN) {
				out.append(')');
			}
			return out.toString();
		}

	}

}
