package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request again when the API server answers 429 Too Many Requests, 503 Service Unavailable or 504 Gateway
 * Timeout, after the {@code Retry-After} it asks for (or a short backoff), a bounded number of times, as client-go
 * does. Only requests that are safe to replay are retried: reads, updates, patches and deletes, never a create
 * (POST), whose first attempt may have created the object behind a 504, and never a watch, which its informer
 * resumes itself.
 *
 * <p>An answer that is retried is still reported to every interceptor installed after this one (metrics see each
 * 429), and the final answer is the caller's.
 */
public final class RequestRetries implements Interceptor {

	private static final Logger log = LoggerFactory.getLogger(RequestRetries.class);

	private static final Set<Integer> RETRIED_CODES = Set.of(429, 503, 504);

	private static final Set<String> REPLAYABLE_METHODS = Set.of("GET", "HEAD", "PUT", "PATCH", "DELETE");

	/** The longest single wait, whatever Retry-After says: a reconcile should not sleep for minutes. */
	static final Duration MAX_WAIT = Duration.ofSeconds(10);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

	private final int maxRetries;

	private RequestRetries(int maxRetries) {
		this.maxRetries = maxRetries;
	}

	/**
	 * Makes the client retry as described, at most {@code maxRetries} times per request; 0 installs nothing. Install
	 * it before anything that should see every attempt.
	 */
	public static void install(ApiClient client, int maxRetries) {
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
		}
		OkHttpClient current = client.getHttpClient();
		if (maxRetries == 0 || current.interceptors().stream().anyMatch(RequestRetries.class::isInstance)) {
			return;
		}
		OkHttpClient.Builder builder = current.newBuilder();
		builder.interceptors().add(0, new RequestRetries(maxRetries));
		client.setHttpClient(builder.build());
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		if (!replayable(request)) {
			return chain.proceed(request);
		}
		Response response = chain.proceed(request);
		for (int retry = 1; retry <= maxRetries && RETRIED_CODES.contains(response.code()); retry++) {
			Duration wait = wait(response.header("Retry-After"), retry);
			log.debug("{} {} answered {}; retry {} of {} in {} ms", request.method(), request.url().encodedPath(),
					response.code(), retry, maxRetries, wait.toMillis());
			response.close();
			sleep(wait);
			response = chain.proceed(request);
		}
		return response;
	}

	private static boolean replayable(Request request) {
		if (!REPLAYABLE_METHODS.contains(request.method())) {
			return false;
		}
		if ("true".equals(request.url().queryParameter("watch"))) {
			return false;
		}
		return request.body() == null || !request.body().isOneShot();
	}

	/** Retry-After in seconds when given (capped), else 200 ms doubling per retry. */
	static Duration wait(String retryAfter, int retry) {
		Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(retry - 1, 10));
		if (retryAfter != null) {
			try {
				backoff = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
			} catch (NumberFormatException e) {
				// An HTTP date, which the API server never sends: keep the backoff.
			}
		}
		return (backoff.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : backoff;
	}

	private static void sleep(Duration wait) throws InterruptedIOException {
		try {
			Thread.sleep(wait.toMillis());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting to retry");
		}
	}
}
