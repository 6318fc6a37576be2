package io.github.kubecontroller.runtime.rbac;

import io.github.kubecontroller.runtime.client.ApiFailure;
import io.github.kubecontroller.runtime.client.ApiFailureException;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which kinds serve a {@code status} subresource, read from API discovery: a status write needs a rule on
 * {@code <plural>/status}, and a kind without the subresource (a ConfigMap) never gets one.
 */
final class StatusSubresources {

	private final ApiClient client;

	/** The resource names (with subresources, {@code widgets/status}) of each group version. */
	private final Map<String, Set<String>> served = new HashMap<>();

	StatusSubresources(ApiClient client) {
		this.client = client;
	}

	boolean served(ResourceType type) {
		return served.computeIfAbsent(type.apiVersion(), (apiVersion) -> fetch(type))
			.contains(type.plural() + "/status");
	}

	private Set<String> fetch(ResourceType type) {
		String path = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.group() + "/" + type.version();
		try {
			V1APIResourceList list = type.group().isEmpty() ? new CoreV1Api(client).getAPIResources().execute()
					: new CustomObjectsApi(client).getAPIResources(type.group(), type.version()).execute();
			List<V1APIResource> resources = (list.getResources() != null) ? list.getResources() : List.of();
			return resources.stream().map(V1APIResource::getName).collect(Collectors.toSet());
		}
		catch (ApiException ex) {
			ApiFailure failure = ApiFailure.of(ex, client.getBasePath());
			throw new ApiFailureException("API discovery failed: " + failure.describe("GET " + path), failure, ex);
		}
	}
}
