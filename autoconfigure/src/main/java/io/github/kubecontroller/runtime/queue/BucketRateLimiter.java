package io.github.kubecontroller.runtime.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket shared by all keys: {@code burst} retries pass at once, after that one every {@code 1/qps}
 * seconds. Every call reserves a token, so a burst of failures is spread out rather than refused.
 *
 * @param <K> the key type (ignored; the bucket is global)
 */
public final class BucketRateLimiter<K> implements RateLimiter<K> {

	private static final double NANOS_PER_SECOND = 1_000_000_000d;

	private final double qps;
	private final int burst;
	private final Ticker ticker;

	// Guarded by this. tokens goes negative when callers reserve ahead, as in golang.org/x/time/rate
	// Limiter.Reserve: each later caller waits behind all earlier reservations (the overdraft accumulates).
	private double tokens;
	private long last;

	/** A bucket of {@code burst} tokens refilled at {@code qps} tokens per second, on the system clock. */
	public BucketRateLimiter(double qps, int burst) {
		this(qps, burst, Ticker.system());
	}

	/** Like {@link #BucketRateLimiter(double, int)} with an explicit time source. */
	public BucketRateLimiter(double qps, int burst, Ticker ticker) {
		if (!(qps > 0) || Double.isInfinite(qps)) {
			throw new IllegalArgumentException("qps must be positive and finite: " + qps);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1: " + burst);
		}
		this.qps = qps;
		this.burst = burst;
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.tokens = burst;
		this.last = ticker.nanoTime();
	}

	@Override
	public synchronized Duration when(K key) {
		long now = ticker.nanoTime();
		long elapsed = now - last; // subtraction, not comparison: nanoTime values may wrap
		if (elapsed > 0) {
			tokens = Math.min(burst, tokens + elapsed * qps / NANOS_PER_SECOND);
			last = now;
		}
		tokens -= 1;
		if (tokens >= 0) {
			return Duration.ZERO;
		}
		return Duration.ofNanos(Math.round(-tokens * NANOS_PER_SECOND / qps));
	}

	@Override
	public void forget(K key) {
		// Global bucket: nothing is tracked per key.
	}

	@Override
	public int numRequeues(K key) {
		return 0;
	}
}
