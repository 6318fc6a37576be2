package io.github.kubecontroller.benchmarks.contender;

import java.util.concurrent.atomic.LongAdder;

/**
 * What each contender's reconciler reports: reconciles started, status writes, failures, and the latency from the
 * update that triggered a reconcile to its start. The benchmark reads these over the {@link ControlChannel}.
 */
public final class Probe {

	/** Prefix of a {@code spec.message} that carries its send time: {@code t=<epoch microseconds>}. */
	public static final String SENT_PREFIX = "t=";

	private static final LongAdder RECONCILES = new LongAdder();

	private static final LongAdder STATUS_WRITES = new LongAdder();

	private static final LongAdder FAILURES = new LongAdder();

	private static final LatencySamples LATENCY = new LatencySamples();

	private Probe() {
	}

	/**
	 * Called first thing in a reconcile, with the object's {@code spec.message} (null for objects without one): when
	 * the message carries a send time, now minus that time is recorded as the event-to-reconcile latency.
	 */
	public static void reconcileStarted(String message) {
		RECONCILES.increment();
		if (message != null && message.startsWith(SENT_PREFIX)) {
			long sent = Long.parseLong(message, SENT_PREFIX.length(), message.length(), 10);
			LATENCY.add(EpochMicros.now() - sent);
		}
	}

	/** Called after the reconcile wrote the status. */
	public static void statusWritten() {
		STATUS_WRITES.increment();
	}

	/** Called when a reconcile failed. */
	public static void failed(Throwable error) {
		if (FAILURES.sum() < 5) {
			System.err.println("reconcile failed: " + error);
		}
		FAILURES.increment();
	}

	static long reconciles() {
		return RECONCILES.sum();
	}

	static long statusWrites() {
		return STATUS_WRITES.sum();
	}

	static long failures() {
		return FAILURES.sum();
	}

	static LatencySamples latency() {
		return LATENCY;
	}
}
