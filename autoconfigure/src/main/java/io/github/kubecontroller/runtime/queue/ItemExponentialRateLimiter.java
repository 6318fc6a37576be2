package io.github.kubecontroller.runtime.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key exponential backoff: the n-th consecutive failure of a key waits {@code base × 2^(n-1)}, capped at
 * {@code cap}. It stays at the cap however many failures there are.
 *
 * @param <K> the key type
 */
public final class ItemExponentialRateLimiter<K> implements RateLimiter<K> {

	private final long baseNanos;
	private final long capNanos;
	private final Duration cap;
	private final ConcurrentHashMap<K, Integer> failures = new ConcurrentHashMap<>();

	/**
	 * @param base delay after the first failure; must be positive
	 * @param cap the maximum delay; must be at least {@code base}
	 */
	public ItemExponentialRateLimiter(Duration base, Duration cap) {
		Objects.requireNonNull(base, "base");
		Objects.requireNonNull(cap, "cap");
		if (base.isZero() || base.isNegative()) {
			throw new IllegalArgumentException("base must be positive: " + base);
		}
		if (cap.compareTo(base) < 0) {
			throw new IllegalArgumentException("cap " + cap + " is below base " + base);
		}
		this.baseNanos = base.toNanos();
		this.capNanos = cap.toNanos();
		this.cap = cap;
	}

	@Override
	public Duration when(K key) {
		// Saturate the counter too, so that numRequeues never turns negative.
		int failuresSoFar = failures.merge(key, 1, (old, one) -> old == Integer.MAX_VALUE ? old : old + 1) - 1;
		return delayFor(failuresSoFar);
	}

	private Duration delayFor(int exponent) {
		// client-java computes "1 << exp" unguarded and wraps back to the base delay after 64 failures.
		// base > cap >> exp is exactly "base * 2^exp > cap", evaluated without ever forming the overflowing product.
		if (exponent >= Long.SIZE - 1 || baseNanos > (capNanos >> exponent)) {
			return cap;
		}
		return Duration.ofNanos(baseNanos << exponent);
	}

	@Override
	public void forget(K key) {
		failures.remove(key);
	}

	@Override
	public int numRequeues(K key) {
		// getOrDefault, not computeIfAbsent: asking must not create an entry for every key ever seen.
		return failures.getOrDefault(key, 0);
	}
}
