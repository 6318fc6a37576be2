package io.github.kubecontroller.emulator.control;

import java.util.Set;

/**
 * One allow rule, like an RBAC policy rule: verbs × API groups × resources, optionally limited to namespaces.
 * {@code *} matches anything. Subresources are named {@code resource/subresource}.
 *
 * <pre>{@code
 * AccessRule.verbs("get", "list", "watch").resources("", "configmaps").inNamespaces("default")
 * }</pre>
 *
 * @param verbs verbs
 * @param apiGroups API groups
 * @param resources resources
 * @param namespaces namespaces; empty for every namespace and cluster-scoped resources
 */
public record AccessRule(Set<String> verbs, Set<String> apiGroups, Set<String> resources, Set<String> namespaces) {

	public AccessRule {
		verbs = Set.copyOf(verbs);
		apiGroups = Set.copyOf(apiGroups);
		resources = Set.copyOf(resources);
		namespaces = Set.copyOf(namespaces);
	}

	/** Starts a rule for these verbs, any group, any resource, anywhere. */
	public static AccessRule verbs(String... verbs) {
		return new AccessRule(Set.of(verbs), Set.of("*"), Set.of("*"), Set.of());
	}

	/** Everything. */
	public static AccessRule all() {
		return verbs("*");
	}

	public AccessRule resources(String apiGroup, String... resources) {
		return new AccessRule(this.verbs, Set.of(apiGroup), Set.of(resources), this.namespaces);
	}

	public AccessRule inNamespaces(String... namespaces) {
		return new AccessRule(this.verbs, this.apiGroups, this.resources, Set.of(namespaces));
	}

	boolean allows(RequestAttributes request) {
		return matches(this.verbs, request.verb()) && matches(this.apiGroups, request.apiGroup())
				&& (matches(this.resources, request.resourceWithSubresource()))
				&& (this.namespaces.isEmpty() || this.namespaces.contains(request.namespace()));
	}

	private static boolean matches(Set<String> allowed, String value) {
		return allowed.contains("*") || allowed.contains(value);
	}
}
