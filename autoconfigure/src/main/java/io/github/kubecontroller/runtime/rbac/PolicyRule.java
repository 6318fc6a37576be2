package io.github.kubecontroller.runtime.rbac;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One RBAC policy rule: every verb on every resource of every API group listed, as a Role or ClusterRole holds it.
 *
 * @param apiGroups the API groups, {@code ""} for the core group
 * @param resources the resources, by plural; a subresource as {@code widgets/status}
 * @param verbs the verbs, such as {@code list} or {@code patch}
 */
public record PolicyRule(List<String> apiGroups, List<String> resources, List<String> verbs) {

	public PolicyRule {
		apiGroups = nonEmpty(apiGroups, "apiGroups");
		resources = nonEmpty(resources, "resources");
		verbs = nonEmpty(verbs, "verbs");
	}

	/** A rule on resources of one API group. */
	public static PolicyRule of(String apiGroup, Collection<String> resources, Collection<String> verbs) {
		return new PolicyRule(List.of(apiGroup), List.copyOf(resources), List.copyOf(verbs));
	}

	private static List<String> nonEmpty(List<String> values, String name) {
		Objects.requireNonNull(values, name);
		if (values.isEmpty()) {
			throw new IllegalArgumentException("a policy rule needs " + name);
		}
		return List.copyOf(values);
	}
}
