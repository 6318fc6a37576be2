package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * A client-side limit on the request rate, as client-go's QPS and burst: a token bucket holding {@code burst}
 * tokens, refilled at {@code qps} per second; a request without a token waits for one. Off by default: the API
 * server's own priority and fairness is the better judge, as controller-runtime decided, but a shared or small
 * API server may want a cap. The time requests spent waiting is counted, so that a limit set too low shows.
 */
public final class ClientRateLimit implements Interceptor {

	private final double qps;
	private final int burst;
	private final LongAdder waits = new LongAdder();
	private final LongAdder waitedNanos = new LongAdder();

	// Guarded by this.
	private double tokens;
	private long refilledAt;

	private ClientRateLimit(double qps, int burst) {
		this.qps = qps;
		this.burst = burst;
		this.tokens = burst;
		this.refilledAt = System.nanoTime();
	}

	/**
	 * Limits the client to {@code qps} requests per second with bursts of {@code burst}; returns the limit, to
	 * read its waits.
	 */
	public static ClientRateLimit install(ApiClient client, double qps, int burst) {
		if (!(qps > 0) || burst < 1) {
			throw new IllegalArgumentException("qps must be positive and burst at least 1, were " + qps + " and "
					+ burst);
		}
		ClientRateLimit limit = new ClientRateLimit(qps, burst);
		client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(limit).build());
		return limit;
	}

	/** The limit installed on this client, if any. */
	public static Optional<ClientRateLimit> of(ApiClient client) {
		return client.getHttpClient().interceptors().stream().filter(ClientRateLimit.class::isInstance)
				.map(ClientRateLimit.class::cast).findFirst();
	}

	/** How many requests had to wait for a token. */
	public long waits() {
		return waits.sum();
	}

	/** The time requests spent waiting for tokens, in all. */
	public Duration waited() {
		return Duration.ofNanos(waitedNanos.sum());
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		long wait = reserve();
		if (wait > 0) {
			waits.increment();
			waitedNanos.add(wait);
			try {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("interrupted while waiting for the client-side rate limit");
			}
		}
		return chain.proceed(chain.request());
	}

	/** Takes a token, going into debt when there is none; returns the nanoseconds until the debt is paid. */
	private synchronized long reserve() {
		long now = System.nanoTime();
		tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * qps);
		refilledAt = now;
		tokens -= 1;
		return (tokens >= 0) ? 0 : (long) (-tokens / qps * 1e9);
	}
}
