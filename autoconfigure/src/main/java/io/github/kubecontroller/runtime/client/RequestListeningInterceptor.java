package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp interceptor that tells a {@link RequestListener} about every request of an {@link ApiClient}: method,
 * host, resource, status code and time to the response headers.
 */
public final class RequestListeningInterceptor implements Interceptor {

	private static final Logger log = LoggerFactory.getLogger(RequestListeningInterceptor.class);

	private final RequestListener listener;

	public RequestListeningInterceptor(RequestListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
	}

	/**
	 * Replaces the client's OkHttp client with one that also runs this interceptor. Install it before the client
	 * is used: informers derive their watch clients from {@link ApiClient#getHttpClient()} when they send a
	 * request, but calls already in progress keep the client they started with.
	 */
	public static void install(ApiClient client, RequestListener listener) {
		OkHttpClient current = client.getHttpClient();
		for (Interceptor interceptor : current.interceptors()) {
			if (interceptor instanceof RequestListeningInterceptor installed && installed.listener == listener) {
				return; // installing twice would count every request twice
			}
		}
		client.setHttpClient(current.newBuilder().addInterceptor(new RequestListeningInterceptor(listener)).build());
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		long started = System.nanoTime();
		int code = 0;
		try {
			Response response = chain.proceed(request);
			code = response.code();
			return response;
		}
		finally {
			report(request, code, Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private void report(Request request, int code, Duration duration) {
		try {
			HttpUrl url = request.url();
			listener.requestEnded(new RequestOutcome(request.method(), host(url), RequestResources.of(url), code,
					duration));
		}
		catch (RuntimeException ex) {
			// Metrics must never fail a request.
			log.debug("A request listener failed", ex);
		}
	}

	private static String host(HttpUrl url) {
		return (url.port() == HttpUrl.defaultPort(url.scheme())) ? url.host() : url.host() + ":" + url.port();
	}
}
