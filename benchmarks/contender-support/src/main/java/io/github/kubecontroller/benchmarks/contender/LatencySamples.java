package io.github.kubecontroller.benchmarks.contender;

import java.util.Arrays;

/**
 * Every latency recorded since the last reset, in microseconds, so that percentiles are exact. At the benchmark's
 * rates (a few tens of thousands of samples per window) keeping them costs less than a histogram's error.
 */
final class LatencySamples {

	private long[] samples = new long[1 << 14];

	private int size;

	synchronized void add(long micros) {
		if (this.size == this.samples.length) {
			this.samples = Arrays.copyOf(this.samples, this.size * 2);
		}
		this.samples[this.size++] = micros;
	}

	synchronized void reset() {
		this.samples = new long[1 << 14];
		this.size = 0;
	}

	/** count, p50, p90, p99, p99.9 and max, nearest-rank. */
	String summary() {
		long[] sorted;
		synchronized (this) {
			sorted = Arrays.copyOf(this.samples, this.size);
		}
		Arrays.sort(sorted);
		return "count=" + sorted.length + " p50=" + rank(sorted, 0.50) + " p90=" + rank(sorted, 0.90) + " p99="
				+ rank(sorted, 0.99) + " p999=" + rank(sorted, 0.999) + " max="
				+ ((sorted.length == 0) ? -1 : sorted[sorted.length - 1]);
	}

	private static long rank(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return -1;
		}
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}
}
