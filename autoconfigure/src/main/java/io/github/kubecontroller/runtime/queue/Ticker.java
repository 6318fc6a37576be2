package io.github.kubecontroller.runtime.queue;

/**
 * A monotonic nanosecond time source, so that delays and rate limits can be tested with a fake clock.
 * Values are only meaningful relative to each other, like {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

	/** Returns the current value of this time source in nanoseconds; only differences are meaningful. */
	long nanoTime();

	/** Returns the ticker backed by {@link System#nanoTime()}. */
	static Ticker system() {
		return System::nanoTime;
	}
}
