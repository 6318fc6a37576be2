package io.github.kubecontroller.benchmarks.contender;

import java.time.Instant;

/**
 * The wall clock in microseconds since the epoch, the unit in which the benchmark stamps its updates. Contender and
 * benchmark run on one machine, so they read the same clock.
 */
public final class EpochMicros {

	private EpochMicros() {
	}

	/** Now, in microseconds since the epoch. */
	public static long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}
}
