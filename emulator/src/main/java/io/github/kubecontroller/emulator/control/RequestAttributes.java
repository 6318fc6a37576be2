package io.github.kubecontroller.emulator.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a request asks for, resolved from its method and path as kube-apiserver's request-info resolver does: the
 * verb ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code patch}, {@code delete},
 * {@code deletecollection}) and, for resource requests, group, version, resource, subresource, namespace and name.
 * The query string is kept as sent, so that tests can check what a client asked for ({@code limit},
 * {@code continue}, {@code allowWatchBookmarks}, ...).
 *
 * @param resourceRequest whether the path names an API resource
 * @param verb the verb
 * @param path the request path
 * @param apiGroup API group ({@code ""} for core and for non-resource paths)
 * @param apiVersion API version, or {@code ""}
 * @param resource resource, e.g. {@code configmaps}, or {@code ""}
 * @param subresource subresource, e.g. {@code status}, or {@code ""}
 * @param namespace namespace, or {@code ""}
 * @param name object name, or {@code ""}
 * @param query the raw (still percent-encoded) query string, without {@code ?}; {@code ""} when there is none
 */
public record RequestAttributes(boolean resourceRequest, String verb, String path, String apiGroup,
		String apiVersion, String resource, String subresource, String namespace, String name, String query) {

	public RequestAttributes {
		query = (query != null) ? query : "";
	}

	/**
	 * Resolves a request.
	 * @param method the HTTP method
	 * @param path the raw request path
	 * @param query the raw query string, or {@code null}
	 */
	public static RequestAttributes resolve(String method, String path, String query) {
		String watchParameter = firstValue(parseQuery(query), "watch");
		return resolve(method, path, query, "true".equals(watchParameter) || "1".equals(watchParameter));
	}

	private static RequestAttributes resolve(String method, String path, String query, boolean watchParameter) {
		List<String> parts = List.of(path.split("/")).stream().filter((p) -> !p.isEmpty()).toList();
		String group;
		String version;
		List<String> rest;
		if (parts.size() >= 2 && parts.get(0).equals("api")) {
			group = "";
			version = parts.get(1);
			rest = parts.subList(2, parts.size());
		}
		else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
			group = parts.get(1);
			version = parts.get(2);
			rest = parts.subList(3, parts.size());
		}
		else {
			return new RequestAttributes(false, method.toLowerCase(Locale.ROOT), path, "", "", "", "", "", "", query);
		}
		if (rest.isEmpty()) {
			return new RequestAttributes(false, method.toLowerCase(Locale.ROOT), path, "", "", "", "", "", "", query);
		}
		boolean watch = watchParameter;
		if (rest.get(0).equals("watch")) {
			watch = true;
			rest = rest.subList(1, rest.size());
		}
		String namespace = "";
		if (!rest.isEmpty() && rest.get(0).equals("namespaces") && rest.size() > 1) {
			namespace = rest.get(1);
			if (rest.size() > 2 && !rest.get(2).equals("status") && !rest.get(2).equals("finalize")) {
				rest = rest.subList(2, rest.size());
			}
		}
		String resource = rest.isEmpty() ? "" : rest.get(0);
		String name = (rest.size() > 1) ? rest.get(1) : "";
		String subresource = (rest.size() > 2) ? rest.get(2) : "";
		String verb = switch (method) {
			case "GET", "HEAD" -> watch ? "watch" : (name.isEmpty() ? "list" : "get");
			case "POST" -> "create";
			case "PUT" -> "update";
			case "PATCH" -> "patch";
			case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
			default -> method.toLowerCase(Locale.ROOT);
		};
		return new RequestAttributes(true, verb, path, group, version, resource, subresource, namespace, name,
				query);
	}

	/** {@code resource/subresource}, as RBAC names it. */
	public String resourceWithSubresource() {
		return this.subresource.isEmpty() ? this.resource : this.resource + "/" + this.subresource;
	}

	/**
	 * The query parameters, decoded as Go's {@code url.ParseQuery} does ({@code +} is a space): each name with its
	 * values in the order sent.
	 */
	public Map<String, List<String>> queryParameters() {
		return parseQuery(this.query);
	}

	/** The first value of query parameter {@code name}, or {@code null} when it was not sent. */
	public String queryParameter(String name) {
		return firstValue(queryParameters(), name);
	}

	private static Map<String, List<String>> parseQuery(String query) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (query == null || query.isEmpty()) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decode((eq >= 0) ? pair.substring(0, eq) : pair);
			String value = (eq >= 0) ? decode(pair.substring(eq + 1)) : "";
			parameters.computeIfAbsent(name, (n) -> new ArrayList<>()).add(value);
		}
		parameters.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(parameters);
	}

	private static String firstValue(Map<String, List<String>> parameters, String name) {
		List<String> values = parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private static String decode(String component) {
		try {
			return URLDecoder.decode(component, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape: keep the text as sent rather than failing the request's bookkeeping.
			return component;
		}
	}
}
