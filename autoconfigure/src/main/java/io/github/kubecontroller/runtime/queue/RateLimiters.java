package io.github.kubecontroller.runtime.queue;

import java.time.Duration;

/** Factories for the rate limiters a controller normally uses. */
public final class RateLimiters {

	/**
	 * The default cap of the per-key backoff. client-go uses 1000 s; we cap at 5 minutes so that a key
	 * which failed for a while is retried reasonably soon once the cause is fixed.
	 */
	public static final Duration DEFAULT_CAP = Duration.ofMinutes(5);

	/** The default first delay of the per-key backoff, as in client-go. */
	public static final Duration DEFAULT_BASE = Duration.ofMillis(5);
	static final double BUCKET_QPS = 10;
	static final int BUCKET_BURST = 100;

	private RateLimiters() {
	}

	/** client-go's default controller rate limiter with {@link #DEFAULT_CAP}; see {@link #controllerDefault(Duration)}. */
	public static <K> RateLimiter<K> controllerDefault() {
		return controllerDefault(DEFAULT_CAP);
	}

	/**
	 * client-go's default controller rate limiter: the maximum of a per-key exponential backoff from 5 ms up
	 * to {@code cap} and a token bucket of 10 retries per second with a burst of 100 shared by all keys.
	 */
	public static <K> RateLimiter<K> controllerDefault(Duration cap) {
		return controllerDefault(DEFAULT_BASE, cap);
	}

	/**
	 * As {@link #controllerDefault(Duration)}, with the per-key backoff starting at {@code base} instead of 5 ms.
	 */
	public static <K> RateLimiter<K> controllerDefault(Duration base, Duration cap) {
		return controllerDefault(base, cap, Ticker.system());
	}

	static <K> RateLimiter<K> controllerDefault(Duration cap, Ticker ticker) {
		return controllerDefault(DEFAULT_BASE, cap, ticker);
	}

	static <K> RateLimiter<K> controllerDefault(Duration base, Duration cap, Ticker ticker) {
		return new MaxOfRateLimiter<K>(
				new ItemExponentialRateLimiter<K>(base, cap),
				new BucketRateLimiter<K>(BUCKET_QPS, BUCKET_BURST, ticker));
	}
}
