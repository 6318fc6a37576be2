package io.github.kubecontroller.emulator.control;

import java.util.List;
import java.util.Locale;

/**
 * What a request asks for, resolved from its method and path as kube-apiserver's request-info resolver does: the
 * verb ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code patch}, {@code delete},
 * {@code deletecollection}) and, for resource requests, group, version, resource, subresource, namespace and name.
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
 */
public record RequestAttributes(boolean resourceRequest, String verb, String path, String apiGroup,
		String apiVersion, String resource, String subresource, String namespace, String name) {

	/** Resolves a request. {@code watchParameter} is whether the query says {@code watch=true} (or 1). */
	public static RequestAttributes resolve(String method, String path, boolean watchParameter) {
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
			return new RequestAttributes(false, method.toLowerCase(Locale.ROOT), path, "", "", "", "", "", "");
		}
		if (rest.isEmpty()) {
			return new RequestAttributes(false, method.toLowerCase(Locale.ROOT), path, "", "", "", "", "", "");
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
		return new RequestAttributes(true, verb, path, group, version, resource, subresource, namespace, name);
	}

	/** {@code resource/subresource}, as RBAC names it. */
	public String resourceWithSubresource() {
		return this.subresource.isEmpty() ? this.resource : this.resource + "/" + this.subresource;
	}
}
