package io.github.kubecontroller.benchmarks.contender;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Heap readings of this process: the heap in use after forced full collections (what the live objects hold), and
 * the largest such reading while something runs.
 */
final class HeapGauge {

	private volatile Thread sampler;

	private volatile long peak;

	private volatile int samples;

	/** Used bytes of all heap pools after {@code System.gc()}, the smallest of four readings. */
	static long usedAfterGc() throws InterruptedException {
		long best = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(100);
			best = Math.min(best, used());
		}
		return best;
	}

	/** Used bytes of all heap pools now (eden, survivor and old generation for G1). */
	static long used() {
		long used = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				used += pool.getUsage().getUsed();
			}
		}
		return used;
	}

	/**
	 * Starts forcing a full collection every {@code intervalMillis} and keeping the largest heap in use right after
	 * one: the peak of the live heap while something runs, within one interval.
	 */
	synchronized void startSampling(long intervalMillis) {
		stopSampling();
		this.peak = 0;
		this.samples = 0;
		Thread thread = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				System.gc();
				this.peak = Math.max(this.peak, used());
				this.samples++;
				try {
					Thread.sleep(intervalMillis);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-heap-sampler");
		thread.setDaemon(true);
		thread.start();
		this.sampler = thread;
	}

	/** Stops sampling; answers the peak and the number of samples. */
	synchronized long[] stopSampling() {
		Thread thread = this.sampler;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.sampler = null;
		}
		return new long[] { this.peak, this.samples };
	}
}
