package io.github.kubecontroller.emulator.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests a fault applies to. Every criterion left unset matches everything:
 * {@code RequestMatch.any().verbs("create", "update").resource("", "configmaps").namespace("default")}. Requests
 * that name no resource (discovery, {@code /version}, OpenAPI) are matched by their path:
 * {@code RequestMatch.any().path("/apis/*")}.
 *
 * @param verbs verbs, empty for all
 * @param apiGroup API group, {@code null} for all
 * @param resource resource (with {@code /subresource} to match a subresource only), {@code null} for all
 * @param namespace namespace, {@code null} for all
 * @param name object name, {@code null} for all
 * @param path the request path, or a prefix ending in {@code *}; {@code null} for all
 * @param queryParameters query parameters the request must carry, each with the value it must have ({@code null}
 *        for any value)
 */
public record RequestMatch(Set<String> verbs, String apiGroup, String resource, String namespace, String name,
		String path, Map<String, String> queryParameters) implements Predicate<RequestAttributes> {

	public RequestMatch {
		verbs = Set.copyOf(verbs);
		// Not Map.copyOf: a null value (any value) is allowed.
		queryParameters = Collections.unmodifiableMap(new LinkedHashMap<>(queryParameters));
	}

	/** Matches every request. */
	public static RequestMatch any() {
		return new RequestMatch(Set.of(), null, null, null, null, null, Map.of());
	}

	public RequestMatch verbs(String... verbs) {
		return new RequestMatch(Set.of(verbs), this.apiGroup, this.resource, this.namespace, this.name, this.path,
				this.queryParameters);
	}

	/** Requests of the writing verbs: create, update, patch, delete, deletecollection. */
	public RequestMatch writes() {
		return verbs("create", "update", "patch", "delete", "deletecollection");
	}

	public RequestMatch resource(String apiGroup, String resource) {
		return new RequestMatch(this.verbs, apiGroup, resource, this.namespace, this.name, this.path,
				this.queryParameters);
	}

	public RequestMatch namespace(String namespace) {
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, namespace, this.name, this.path,
				this.queryParameters);
	}

	public RequestMatch name(String name) {
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, this.namespace, name, this.path,
				this.queryParameters);
	}

	/**
	 * Only requests to this path (as sent, still percent-encoded), such as {@code /apis} or
	 * {@code /apis/example.com/v1}. A final {@code *} matches any rest, as RBAC's non-resource URLs do:
	 * {@code /apis/*} matches every group's discovery document but not {@code /apis} itself.
	 */
	public RequestMatch path(String path) {
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, this.namespace, this.name, path,
				this.queryParameters);
	}

	/**
	 * Only requests whose query has parameter {@code name} with {@code value} among its values, compared decoded:
	 * {@code queryParameter("allowWatchBookmarks", "true")}.
	 */
	public RequestMatch queryParameter(String name, String value) {
		Map<String, String> parameters = new LinkedHashMap<>(this.queryParameters);
		parameters.put(name, value);
		return new RequestMatch(this.verbs, this.apiGroup, this.resource, this.namespace, this.name, this.path,
				parameters);
	}

	/** Only requests whose query has parameter {@code name}, whatever its value, e.g. {@code "continue"}. */
	public RequestMatch queryParameter(String name) {
		return queryParameter(name, null);
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
		if (this.name != null && !this.name.equals(request.name())) {
			return false;
		}
		if (this.path != null && !pathMatches(request.path())) {
			return false;
		}
		return this.queryParameters.isEmpty() || queryMatches(request.queryParameters());
	}

	private boolean pathMatches(String requestPath) {
		if (this.path.endsWith("*")) {
			return requestPath.startsWith(this.path.substring(0, this.path.length() - 1));
		}
		return this.path.equals(requestPath);
	}

	private boolean queryMatches(Map<String, List<String>> sent) {
		for (Map.Entry<String, String> required : this.queryParameters.entrySet()) {
			List<String> values = sent.get(required.getKey());
			if (values == null || (required.getValue() != null && !values.contains(required.getValue()))) {
				return false;
			}
		}
		return true;
	}
}
