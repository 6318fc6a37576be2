package io.github.kubecontroller.runtime.predicate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed label selector in the API's string syntax: requirements joined by commas, all of which must hold.
 * {@code notin} and {@code !=} also match objects that do not have the key, as on the API server.
 */
final class LabelSelector {

	/** What a requirement asks of one label. */
	enum Operator {
		EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN
	}

	/**
	 * One requirement on one label key.
	 *
	 * @param key the label key
	 * @param operator what is asked of it
	 * @param values the values it is compared with: one for equality and the numeric operators, any number for the
	 * set operators, none for the existence operators
	 */
	record Requirement(String key, Operator operator, Set<String> values) {

		Requirement {
			values = Set.copyOf(values);
		}

		boolean matches(Map<String, String> labels) {
			String value = labels.get(this.key);
			return switch (this.operator) {
				case EQUALS, IN -> value != null && this.values.contains(value);
				case NOT_EQUALS, NOT_IN -> value == null || !this.values.contains(value);
				case EXISTS -> value != null;
				case DOES_NOT_EXIST -> value == null;
				case GREATER_THAN -> compare(value) > 0;
				case LESS_THAN -> compare(value) < 0;
			};
		}

		// The label must hold an integer to be compared; a missing or non-numeric label matches neither > nor <.
		private int compare(String value) {
			if (value == null) {
				return 0;
			}
			try {
				return Long.compare(Long.parseLong(value), Long.parseLong(this.values.iterator().next()));
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
	}

	private final String text;

	private final List<Requirement> requirements;

	LabelSelector(String text, List<Requirement> requirements) {
		this.text = text;
		this.requirements = List.copyOf(requirements);
	}

	/**
	 * Parses a selector such as {@code app=web,tier in (front,back),!legacy}. The empty selector matches every
	 * object.
	 *
	 * @throws IllegalArgumentException when the text is not a valid selector
	 */
	static LabelSelector parse(String text) {
		return new LabelSelector(text, new LabelSelectorParser(text).parse());
	}

	List<Requirement> requirements() {
		return this.requirements;
	}

	/** Whether labels (null for none) satisfy every requirement. */
	boolean matches(Map<String, String> labels) {
		Map<String, String> present = (labels != null) ? labels : Map.of();
		for (Requirement requirement : this.requirements) {
			if (!requirement.matches(present)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return this.text;
	}
}
