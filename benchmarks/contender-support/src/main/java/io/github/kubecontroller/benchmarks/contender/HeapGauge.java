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

	/**
	 * The {@code limit} classes holding the most heap, from the {@code GC.class_histogram} diagnostic command (which
	 * forces a full collection), as {@code class=instances:bytes} pairs separated by spaces.
	 */
	static String histogram(int limit) {
		try {
			Object text = ManagementFactory.getPlatformMBeanServer()
				.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			StringBuilder out = new StringBuilder();
			int rows = 0;
			for (String line : String.valueOf(text).split("\n")) {
				String[] fields = line.trim().split("\\s+");
				// "   1:        123456       7890123  java.lang.String (java.base@17)"
				if (fields.length >= 4 && fields[0].endsWith(":") && rows < limit) {
					out.append(rows == 0 ? "" : " ").append(fields[3]).append('=').append(fields[1]).append(':')
						.append(fields[2]);
					rows++;
				}
			}
			return out.toString();
		}
		catch (javax.management.JMException ex) {
			return "error=" + ex.getClass().getSimpleName();
		}
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
