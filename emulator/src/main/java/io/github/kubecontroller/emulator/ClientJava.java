package io.github.kubecontroller.emulator;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;

/**
 * Builds client-java clients; kept apart so that the emulator loads without client-java unless one is asked for.
 */
final class ClientJava {

	private ClientJava() {
	}

	static ApiClient apiClient(String baseUrl) {
		ApiClient client = new ClientBuilder().setBasePath(baseUrl).setVerifyingSsl(false).build();
		client.setReadTimeout(0);
		return client;
	}
}
