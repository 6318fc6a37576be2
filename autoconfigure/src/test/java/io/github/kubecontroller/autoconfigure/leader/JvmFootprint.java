package io.github.kubecontroller.autoconfigure.leader;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The live threads and the heap in use after a full collection: what instances give back when they are closed.
 *
 * @param threads live threads
 * @param heapBytes heap in use after {@link System#gc()}
 * @param threadNames the names of the live threads, sorted, to say which ones are left over
 */
record JvmFootprint(int threads, long heapBytes, List<String> threadNames) {

	static JvmFootprint measure() {
		// More than one collection: objects only reachable from finalizers and cleaners (sockets, for one) need a
		// second cycle to go.
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		List<String> names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
				.map(Thread::getName).sorted().toList();
		return new JvmFootprint(ManagementFactory.getThreadMXBean().getThreadCount(), heap, names);
	}

	/** The threads of this footprint whose names the baseline does not have (as many times). */
	List<String> threadsBeyond(JvmFootprint baseline) {
		List<String> extra = new ArrayList<>(threadNames);
		baseline.threadNames.forEach(extra::remove);
		return extra;
	}

	static String megabytes(long bytes) {
		return String.format("%.1f MB", bytes / 1024.0 / 1024.0);
	}
}
