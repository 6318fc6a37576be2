package io.github.kubecontroller.autoconfigure;

import io.kubernetes.client.openapi.ApiClient;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.DisposableBean;

/**
 * Releases the HTTP resources of the {@link ApiClient} this auto-configuration made when the application context
 * closes: calls still running are cancelled (the controllers and the leader election have stopped by then, as
 * lifecycle beans stop before beans are destroyed), the dispatcher's threads end and idle connections close. OkHttp keeps idle connections for five minutes, and the clients derived from it for watches share its pool:
 * without this, a closed context (a test's, or an application restarted in the same JVM) would leave connections to
 * the API server open, and OkHttp's threads alive, for minutes after. An application's own client is not touched.
 */
final class ApiClientConnections implements DisposableBean {

	private final ApiClient client;

	ApiClientConnections(ApiClient client) {
		this.client = client;
	}

	@Override
	public void destroy() {
		OkHttpClient http = client.getHttpClient();
		http.dispatcher().cancelAll();
		http.dispatcher().executorService().shutdown();
		http.connectionPool().evictAll();
	}
}
