package io.github.kubecontroller.benchmarks.peers;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.kubecontroller.benchmarks.contender.EpochMicros;
import io.github.kubecontroller.benchmarks.contender.Probe;

/**
 * Spec updates at a steady rate, round-robin over the Bench objects, each carrying its send time in
 * {@code spec.message} ({@code t=<epoch microseconds>}, read just before the request is sent) so that the contender
 * can measure event-to-reconcile latency on the same clock.
 */
final class PacedUpdates implements AutoCloseable {

	/** Updates in flight at most; past it the sender waits and the achieved rate drops (and is reported). */
	private static final int MAX_IN_FLIGHT = 64;

	private final BenchCluster cluster;

	private final int objects;

	private final int rate;

	private final Thread sender;

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile boolean stopped;

	PacedUpdates(BenchCluster cluster, int objects, int rate) {
		this.cluster = cluster;
		this.objects = objects;
		this.rate = rate;
		this.sender = new Thread(this::send, "bench-paced-updates");
		this.sender.setDaemon(true);
	}

	void start() {
		this.sender.start();
	}

	private void send() {
		Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
		long start = System.nanoTime();
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / this.rate;
		for (long sequence = 0; !this.stopped; sequence++) {
			long due = start + sequence * periodNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			try {
				inFlight.acquire();
			}
			catch (InterruptedException ex) {
				return;
			}
			int index = (int) (sequence % this.objects);
			this.cluster
				.sendWithRetry(this.cluster.specPatch(index, (int) (sequence % 1_000_000),
						Probe.SENT_PREFIX + EpochMicros.now()), 1)
				.whenComplete((response, error) -> {
					if (error == null && response.statusCode() == 200) {
						this.acknowledged.incrementAndGet();
					}
					else {
						this.failed.incrementAndGet();
					}
					inFlight.release();
				});
		}
	}

	/** Updates the API server has acknowledged so far. */
	long acknowledged() {
		return this.acknowledged.get();
	}

	long failed() {
		return this.failed.get();
	}

	@Override
	public void close() {
		this.stopped = true;
		try {
			this.sender.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
