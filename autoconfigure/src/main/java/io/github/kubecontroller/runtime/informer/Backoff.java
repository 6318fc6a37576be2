package io.github.kubecontroller.runtime.informer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The waits between failed list or watch attempts, as client-go's reflector spaces them: exponential from an
 * initial delay (doubling) up to a maximum, with up to a quarter of random jitter added, and back to the initial
 * delay once no failure has happened for a while. Not thread-safe: one informer thread uses it.
 */
final class Backoff {

	/** The largest share of a delay added at random. */
	static final double JITTER = 0.25;

	private final long initialNanos;
	private final long maxNanos;
	private final long resetAfterNanos;
	private final LongSupplier nanoClock;
	private final DoubleSupplier random;

	private int failures;
	private long lastFailureNanos;

	Backoff(Duration initial, Duration max, Duration resetAfter) {
		this(initial, max, resetAfter, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
	}

	/** With an explicit clock (nanoseconds) and random source in [0, 1), for tests. */
	Backoff(Duration initial, Duration max, Duration resetAfter, LongSupplier nanoClock, DoubleSupplier random) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = max.toNanos();
		this.resetAfterNanos = resetAfter.toNanos();
		this.nanoClock = nanoClock;
		this.random = random;
	}

	/** Records a failure and returns how long to wait before the next attempt. */
	Duration next() {
		long now = nanoClock.getAsLong();
		if (failures > 0 && now - lastFailureNanos >= resetAfterNanos) {
			failures = 0; // healthy long enough: a new problem starts from the initial delay again
		}
		lastFailureNanos = now;
		long base = initialNanos;
		for (int i = 0; i < failures && base < maxNanos; i++) {
			base *= 2;
		}
		base = Math.min(base, maxNanos);
		failures++;
		return Duration.ofNanos(base + (long) (base * JITTER * random.getAsDouble()));
	}
}
