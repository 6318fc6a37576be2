package io.github.kubecontroller.runtime.queue;

import java.time.Duration;

/**
 * Decides how long a key must wait before it is retried. Implementations must be thread-safe.
 *
 * @param <K> the key type
 */
public interface RateLimiter<K> {

	/** Records one more failure of {@code key} and returns how long to wait before retrying it. */
	Duration when(K key);

	/** Forgets the failures of {@code key}, typically after it was processed successfully. */
	void forget(K key);

	/** Returns how many times {@code key} has been rate limited since the last {@link #forget}. */
	int numRequeues(K key);
}
