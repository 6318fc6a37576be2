package io.github.kubecontroller.runtime.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Reads the resource a Kubernetes API path addresses, such as {@code configmaps} or {@code deployments.apps/scale},
 * leaving out namespaces and object names so that the result has few distinct values.
 */
final class RequestResources {

	static final String DISCOVERY = "discovery";

	static final String OTHER = "other";

	// Subresources of a namespace itself: /api/v1/namespaces/{name}/status reads like a collection named "status".
	private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

	private RequestResources() {
	}

	static String of(HttpUrl url) {
		List<String> segments = new ArrayList<>();
		for (String segment : url.pathSegments()) {
			if (!segment.isEmpty()) {
				segments.add(segment);
			}
		}
		String group;
		List<String> rest;
		if (!segments.isEmpty() && segments.get(0).equals("api")) {
			group = "";
			rest = segments.subList(Math.min(2, segments.size()), segments.size());
		}
		else if (!segments.isEmpty() && segments.get(0).equals("apis")) {
			if (segments.size() < 3) {
				return DISCOVERY;
			}
			group = segments.get(1);
			rest = segments.subList(3, segments.size());
		}
		else {
			return OTHER;
		}
		if (!rest.isEmpty() && rest.get(0).equals("watch")) {
			rest = rest.subList(1, rest.size()); // the old /watch/ prefix of watch paths
		}
		if (rest.isEmpty()) {
			return DISCOVERY;
		}
		String plural;
		String subresource;
		boolean inNamespace = rest.get(0).equals("namespaces") && rest.size() >= 3
				&& !(group.isEmpty() && rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2)));
		if (inNamespace) {
			plural = rest.get(2);
			subresource = (rest.size() >= 5) ? rest.get(4) : null;
		}
		else {
			plural = rest.get(0);
			subresource = (rest.size() >= 3) ? rest.get(2) : null;
		}
		StringBuilder resource = new StringBuilder(plural);
		if (!group.isEmpty()) {
			resource.append('.').append(group);
		}
		if (subresource != null) {
			resource.append('/').append(subresource);
		}
		return resource.toString();
	}
}
