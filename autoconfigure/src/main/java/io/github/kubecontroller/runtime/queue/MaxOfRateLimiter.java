package io.github.kubecontroller.runtime.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Combines rate limiters: the delay is the longest of their delays, and {@code forget} is passed to all of
 * them.
 *
 * @param <K> the key type
 */
public final class MaxOfRateLimiter<K> implements RateLimiter<K> {

	private final List<RateLimiter<? super K>> limiters;

	/** Combines the given limiters; at least one is required. */
	@SafeVarargs
	public MaxOfRateLimiter(RateLimiter<? super K>... limiters) {
		// Copied element by element: passing the generic array itself on is what javac flags as heap pollution.
		List<RateLimiter<? super K>> list = new ArrayList<>(limiters.length);
		for (RateLimiter<? super K> limiter : limiters) {
			list.add(Objects.requireNonNull(limiter, "limiter"));
		}
		this.limiters = checked(list);
	}

	/** Combines the given limiters; at least one is required. */
	public MaxOfRateLimiter(List<? extends RateLimiter<? super K>> limiters) {
		this.limiters = checked(List.copyOf(limiters));
	}

	private static <L> List<L> checked(List<L> limiters) {
		if (limiters.isEmpty()) {
			throw new IllegalArgumentException("at least one rate limiter is required");
		}
		return List.copyOf(limiters);
	}

	@Override
	public Duration when(K key) {
		// Every limiter is asked, so each one records the failure (and the bucket reserves its token).
		Duration max = Duration.ZERO;
		for (RateLimiter<? super K> limiter : limiters) {
			Duration d = limiter.when(key);
			if (d.compareTo(max) > 0) {
				max = d;
			}
		}
		return max;
	}

	@Override
	public void forget(K key) {
		for (RateLimiter<? super K> limiter : limiters) {
			limiter.forget(key);
		}
	}

	@Override
	public int numRequeues(K key) {
		int max = 0;
		for (RateLimiter<? super K> limiter : limiters) {
			max = Math.max(max, limiter.numRequeues(key));
		}
		return max;
	}
}
