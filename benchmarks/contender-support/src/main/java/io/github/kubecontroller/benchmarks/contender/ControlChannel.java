package io.github.kubecontroller.benchmarks.contender;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The contender's side of the line protocol with the peers benchmark. The benchmark writes one command per line on
 * the contender's standard input; the contender answers with one line on standard output that starts with
 * {@value #PREFIX} and the command, followed by {@code key=value} pairs. Everything else the contender prints (its
 * logs) is kept by the benchmark as the run's log.
 *
 * <table>
 * <caption>Commands</caption>
 * <tr><td>{@code stats}</td><td>{@code reconciles= statusWrites= failures=}</td></tr>
 * <tr><td>{@code latency}</td><td>{@code count= p50= p90= p99= p999= max=} in microseconds</td></tr>
 * <tr><td>{@code reset-latency}</td><td>forgets the latencies recorded so far</td></tr>
 * <tr><td>{@code heap}</td><td>{@code used=} bytes after full collections</td></tr>
 * <tr><td>{@code histogram}</td><td>{@code <class>=<instances>:<bytes>} of the 60 classes holding most heap</td></tr>
 * <tr><td>{@code sample-start}</td><td>starts the peak sampler (a full collection every 50 ms)</td></tr>
 * <tr><td>{@code sample-stop}</td><td>{@code peak= samples=}</td></tr>
 * <tr><td>{@code cpu}</td><td>{@code nanos=} CPU time of the process</td></tr>
 * <tr><td>{@code exit}</td><td>stops the controller and the process</td></tr>
 * </table>
 */
public final class ControlChannel {

	/** Start of every line the benchmark reads as an answer. */
	public static final String PREFIX = "@bench ";

	private ControlChannel() {
	}

	/**
	 * Tells the benchmark that the caches have synced and the workers run, with the milliseconds since the JVM
	 * started.
	 */
	public static void ready(String contender) {
		answer("ready", "contender=" + contender + " uptimeMillis="
				+ ManagementFactory.getRuntimeMXBean().getUptime());
	}

	/**
	 * Answers commands from standard input until {@code exit} or the end of the input, then runs {@code stop} and
	 * ends the process. Blocks the calling thread.
	 */
	public static void serve(Runnable stop) {
		HeapGauge heap = new HeapGauge();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		try {
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.trim();
				if (command.equals("exit")) {
					break;
				}
				if (!command.isEmpty()) {
					answer(command, execute(command, heap));
				}
			}
		}
		catch (IOException ex) {
			System.err.println("control channel closed: " + ex);
		}
		try {
			stop.run();
		}
		finally {
			answer("exit", "");
			System.exit(0);
		}
	}

	private static String execute(String command, HeapGauge heap) {
		try {
			return switch (command) {
				case "stats" -> "reconciles=" + Probe.reconciles() + " statusWrites=" + Probe.statusWrites()
						+ " failures=" + Probe.failures();
				case "latency" -> Probe.latency().summary();
				case "reset-latency" -> {
					Probe.latency().reset();
					yield "";
				}
				case "heap" -> "used=" + HeapGauge.usedAfterGc();
				case "histogram" -> HeapGauge.histogram(60);
				case "sample-start" -> {
					heap.startSampling(50);
					yield "";
				}
				case "sample-stop" -> {
					long[] peak = heap.stopSampling();
					yield "peak=" + peak[0] + " samples=" + peak[1];
				}
				case "cpu" -> "nanos=" + processCpuNanos();
				default -> "error=unknown-command";
			};
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "error=interrupted";
		}
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	private static void answer(String command, String values) {
		System.out.println(PREFIX + command + (values.isEmpty() ? "" : " " + values));
		System.out.flush();
	}
}
