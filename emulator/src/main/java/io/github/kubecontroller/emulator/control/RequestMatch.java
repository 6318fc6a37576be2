package io.github.kubecontroller.emulator.control;

import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests a fault applies to. Every criterion left unset matches everything:
 * {@code RequestMatch.any().verbs("create", "update").resource("", "configmaps").namespace("default")}.
 *
 * @param verbs verbs, empty for all
 * @param apiGroup API group, {@code null} for all
 * @param resource resource (with {@code /subresource} to match a subresource only), {@code null} for all
 * @param namespace namespace, {@code null} for all
 * @param name object name, {@code null} for all
 */
public record RequestMatch(Set<String> verbs, String apiGroup, String resource, String namespace, String name)
		implements Predicate<RequestAttributes> {

	public RequestMatch {
		verbs = Set.copyOf(verbs);
	}

	/** Matches every request. */
	public static RequestMatch any() {
		return new RequestMatch(Set.of(), null, null, null, null);
	}

	public RequestMatch verbs(String... verbs) {
		return new RequestMatch(Set.of(verbs), this.apiGroup, this.resource, this.namespace, this.name);
	}

	/** Requests of the writing verbs: create, update, patch, delete, deletecollection. */
	public RequestMatch writes() {
		return verbs("create", "update", "patch", "delete", "deletecollection");
	}

	public RequestMatch resource(String apiGroup, String resource) {
		return new RequestMatch(this.verbs, apiGroup, resource, this.namespace, this.name);
	}

	public RequestMatch namespace(String namespace) {
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, namespace, this.name);
	}

	public RequestMatch name(String name) {
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, this.namespace, name);
	}

	@Override
	public boolean test(RequestAttributes request) {
		if (!this.verbs.isEmpty() && !this.verbs.contains(request.verb())) {
			return false;
		}
		if (this.apiGroup != null && !this.apiGroup.equals(request.apiGroup())) {
			return false;
		}
		if (this.resource != null && !this.resource.equals(request.resource())
				&& !this.resource.equals(request.resourceWithSubresource())) {
			return false;
		}
		if (this.namespace != null && !this.namespace.equals(request.namespace())) {
			return false;
		}
		return this.name == null || this.name.equals(request.name());
	}
}
