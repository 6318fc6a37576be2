package io.github.kubecontroller.benchmarks.emulator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

/**
 * CPU and heap readings of this JVM, without a profiler: process CPU time, per-thread CPU time of the emulator's
 * threads, heap in use after forced full collections, and the class histogram of the heap.
 */
final class Meter {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	private Meter() {
	}

	/** CPU used so far: by the whole process, and by the emulator's threads (HTTP dispatcher and handlers). */
	record Cpu(long wallNanos, long processNanos, long emulatorNanos, long machineBusyNanos,
			long emulatorAllocatedBytes) {

		static Cpu now() {
			long[] emulator = emulatorThreads();
			return new Cpu(System.nanoTime(), processCpuNanos(), emulator[0], readMachineBusyNanos(), emulator[1]);
		}

		/** Cores used since {@code start}: [process, emulator threads, other processes on the machine]. */
		double[] coresSince(Cpu start) {
			double wall = this.wallNanos - start.wallNanos;
			double process = (this.processNanos - start.processNanos) / wall;
			double others = (start.machineBusyNanos < 0) ? Double.NaN
					: Math.max(0, (this.machineBusyNanos - start.machineBusyNanos) / wall - process);
			return new double[] { process, (this.emulatorNanos - start.emulatorNanos) / wall, others };
		}

		/** Since {@code start}: [process CPU ns, emulator threads CPU ns, bytes allocated by emulator threads]. */
		long[] cpuSince(Cpu start) {
			return new long[] { this.processNanos - start.processNanos, this.emulatorNanos - start.emulatorNanos,
					this.emulatorAllocatedBytes - start.emulatorAllocatedBytes };
		}
	}

	/** Kernel (system) CPU time of this process from {@code /proc/self/stat}, in nanoseconds; -1 if unknown. */
	static long processKernelNanos() {
		try {
			String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
			// Fields after the command name, which is in parentheses: state is field 3, stime field 15.
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(f[12]) * 10_000_000L;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	/**
	 * Busy CPU time of the whole machine (all processes) from {@code /proc/stat}, in nanoseconds; -1 where there is
	 * no such file. Assumes the usual USER_HZ of 100.
	 */
	static long readMachineBusyNanos() {
		try {
			String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
			String[] f = cpu.trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal ...
			long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
					+ Long.parseLong(f[7]) + ((f.length > 8) ? Long.parseLong(f[8]) : 0);
			return busy * 10_000_000L;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	static long processCpuNanos() {
		java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
			return sun.getProcessCpuTime();
		}
		return -1;
	}

	/**
	 * CPU of the threads that serve the emulator: the JDK server's dispatcher ({@code HTTP-Dispatcher}) and the
	 * handler threads ({@code kube-api-emulator-http-*}). Handler threads live 60 s after their last request, so
	 * within one scenario none is lost.
	 */
	static long[] emulatorThreads() {
		long total = 0;
		long allocated = 0;
		long[] ids = THREADS.getAllThreadIds();
		ThreadInfo[] infos = THREADS.getThreadInfo(ids);
		for (int i = 0; i < ids.length; i++) {
			ThreadInfo info = infos[i];
			if (info == null) {
				continue;
			}
			String name = info.getThreadName();
			if (name.startsWith("kube-api-emulator-http-") || name.equals("HTTP-Dispatcher")) {
				long cpu = THREADS.getThreadCpuTime(ids[i]);
				if (cpu > 0) {
					total += cpu;
				}
				if (THREADS instanceof com.sun.management.ThreadMXBean sun) {
					allocated += Math.max(0, sun.getThreadAllocatedBytes(ids[i]));
				}
			}
		}
		return new long[] { total, allocated };
	}

	/**
	 * CPU per thread group so far, in nanoseconds; "JVM internal" (GC and JIT threads, which are not Java threads)
	 * is the process CPU minus every Java thread's.
	 */
	static Map<String, Long> cpuByGroup() {
		Map<String, Long> groups = new LinkedHashMap<>();
		long javaThreads = 0;
		long[] ids = THREADS.getAllThreadIds();
		ThreadInfo[] infos = THREADS.getThreadInfo(ids);
		for (int i = 0; i < ids.length; i++) {
			if (infos[i] == null) {
				continue;
			}
			long cpu = THREADS.getThreadCpuTime(ids[i]);
			if (cpu <= 0) {
				continue;
			}
			javaThreads += cpu;
			groups.merge(group(infos[i].getThreadName()), cpu, Long::sum);
		}
		long endedWriters = Load.ENDED_WRITERS_CPU.get();
		groups.merge("load threads (bench-writer-*)", endedWriters, Long::sum);
		javaThreads += endedWriters;
		groups.put("JVM internal (GC, JIT; process minus Java threads)", processCpuNanos() - javaThreads);
		long kernel = processKernelNanos();
		if (kernel >= 0) {
			groups.put("(of the process: kernel time)", kernel);
		}
		long gcMillis = 0;
		for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			gcMillis += Math.max(0, gc.getCollectionTime());
		}
		groups.put("(GC collection time, wall)", gcMillis * 1_000_000);
		return groups;
	}

	/** Cores used per thread group between two {@link #cpuByGroup()} readings over {@code wallNanos}. */
	static Map<String, Double> coresByGroup(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
		Map<String, Double> cores = new LinkedHashMap<>();
		after.forEach((group, cpu) -> {
			double used = (cpu - before.getOrDefault(group, 0L)) / (double) wallNanos;
			if (used >= 0.005) {
				cores.put(group, used);
			}
		});
		return cores;
	}

	private static String group(String thread) {
		if (thread.startsWith("kube-api-emulator-http-")) {
			return "emulator handler threads (kube-api-emulator-http-*)";
		}
		if (thread.equals("HTTP-Dispatcher")) {
			return "emulator dispatcher (HTTP-Dispatcher)";
		}
		if (thread.startsWith("HttpClient-") && thread.contains("SelectorManager")) {
			return "JDK HttpClient selector";
		}
		if (thread.startsWith("HttpClient-")) {
			return "JDK HttpClient workers";
		}
		if (thread.startsWith("bench-writer-")) {
			return "load threads (bench-writer-*)";
		}
		if (thread.startsWith("bench-raw-watch")) {
			return "raw watcher";
		}
		if (thread.startsWith("OkHttp")) {
			return "OkHttp";
		}
		return "other Java threads";
	}

	/** Heap in use after several full collections (the smallest reading). */
	static long usedHeapAfterGc() throws InterruptedException {
		long best = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(150);
			best = Math.min(best, MEMORY.getHeapMemoryUsage().getUsed());
		}
		return best;
	}

	/** Instances and bytes per class, from the {@code GC.class_histogram} diagnostic command (forces a full GC). */
	static Map<String, long[]> classHistogram() {
		Map<String, long[]> histogram = new HashMap<>();
		try {
			Object text = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
			for (String line : String.valueOf(text).split("\n")) {
				Matcher m = row.matcher(line);
				if (m.find()) {
					histogram.merge(m.group(3), new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) },
							(a, b) -> new long[] { a[0] + b[0], a[1] + b[1] });
				}
			}
		}
		catch (Exception ex) {
			System.err.println("class histogram unavailable: " + ex);
		}
		return histogram;
	}

	/** The classes that grew most between two histograms: name to {instances, bytes}, largest first. */
	static Map<String, long[]> growth(Map<String, long[]> before, Map<String, long[]> after, int top) {
		List<Map.Entry<String, long[]>> rows = new ArrayList<>();
		after.forEach((name, counts) -> {
			long[] old = before.getOrDefault(name, new long[2]);
			rows.add(Map.entry(name, new long[] { counts[0] - old[0], counts[1] - old[1] }));
		});
		rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
		Map<String, long[]> result = new LinkedHashMap<>();
		for (Map.Entry<String, long[]> row : rows.subList(0, Math.min(top, rows.size()))) {
			result.put(row.getKey(), row.getValue());
		}
		return result;
	}
}
