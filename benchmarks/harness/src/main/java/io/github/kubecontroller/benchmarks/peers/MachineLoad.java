package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was during a measurement, so that a run disturbed by other work shows: the CPU of the whole
 * machine from {@code /proc/stat}, minus the benchmark's JVM (emulator included) and the contender.
 *
 * @param wallNanos when it was read
 * @param machineBusyNanos busy CPU time of every process on the machine, -1 where {@code /proc/stat} is missing
 * @param benchmarkNanos CPU time of this JVM
 * @param contenderNanos CPU time of the contender
 */
record MachineLoad(long wallNanos, long machineBusyNanos, long benchmarkNanos, long contenderNanos) {

	static MachineLoad now(ContenderProcess contender) throws InterruptedException {
		long contenderCpu = contender.cpuNanos();
		return new MachineLoad(System.nanoTime(), readMachineBusyNanos(), readBenchmarkCpuNanos(), contenderCpu);
	}

	/** The reading just before a contender is forked (it has used no CPU yet). */
	static MachineLoad beforeFork() {
		return new MachineLoad(System.nanoTime(), readMachineBusyNanos(), readBenchmarkCpuNanos(), 0);
	}

	/** Cores used since {@code start} by everything but the benchmark and the contender (NaN if unknown). */
	double otherCoresSince(MachineLoad start) {
		if (this.machineBusyNanos < 0 || start.machineBusyNanos < 0) {
			return Double.NaN;
		}
		double wall = this.wallNanos - start.wallNanos;
		long others = (this.machineBusyNanos - start.machineBusyNanos) - (this.benchmarkNanos - start.benchmarkNanos)
				- (this.contenderNanos - start.contenderNanos);
		return Math.max(0, others / wall);
	}

	/** Cores used since {@code start} by the contender. */
	double contenderCoresSince(MachineLoad start) {
		return (this.contenderNanos - start.contenderNanos) / (double) (this.wallNanos - start.wallNanos);
	}

	/** Cores used since {@code start} by the benchmark's JVM: the emulator, the writers, the status watch. */
	double benchmarkCoresSince(MachineLoad start) {
		return (this.benchmarkNanos - start.benchmarkNanos) / (double) (this.wallNanos - start.wallNanos);
	}

	private static long readBenchmarkCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/** Busy CPU time of the machine from the first line of {@code /proc/stat}, assuming USER_HZ = 100. */
	private static long readMachineBusyNanos() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal ...
			long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
					+ Long.parseLong(f[7]) + ((f.length > 8) ? Long.parseLong(f[8]) : 0);
			return busy * 10_000_000L;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}
}
