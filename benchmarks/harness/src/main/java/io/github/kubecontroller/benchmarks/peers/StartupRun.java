package io.github.kubecontroller.benchmarks.peers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.kubecontroller.benchmarks.peers.PeersReport.Better;

/**
 * S1, startup: N Bench objects exist, none reconciled; the contender is forked. Measured from the fork: until it
 * says it is ready (caches synced, workers started), and until the benchmark's own watch has seen every object's
 * status written.
 */
final class StartupRun {

	private final PeersContext context;

	StartupRun(PeersContext context) {
		this.context = context;
	}

	void run(Contender contender, int n) throws Exception {
		String name = "s1-" + contender.id() + "-" + n;
		long timeout = 60 + n / 200;
		try (BenchCluster cluster = BenchCluster.start()) {
			cluster.createBenches(n);
			this.context.log("S1 %s: %,d Bench objects created; starting the contender", contender.id(), n);
			MachineLoad atFork = MachineLoad.beforeFork();
			try (StatusWatch watch = StatusWatch.open(cluster, cluster.emulator.resourceVersion(), 1);
					ContenderProcess process = this.context.start(cluster, contender, "bench", 0, name)) {
				ContenderProcess.Answer ready = process.awaitReady(timeout);
				double readySeconds = (ready.receivedNanos() - process.startedNanos) / 1e9;
				long doneAt = watch.await(n, timeout, 60);
				double allSeconds = (doneAt < 0) ? Double.NaN : (doneAt - process.startedNanos) / 1e9;
				MachineLoad end = MachineLoad.now(process);
				long cpu = end.contenderNanos();
				ContenderProcess.Answer stats = process.stats();
				ApiLoad load = cluster.contenderLoad();
				String suffix = String.format(Locale.ROOT, ", N=%,d", n);
				PeersReport report = this.context.report;
				report.put("S1", "ready (caches synced, workers started), from fork" + suffix, "s", Better.LOWER,
						contender, readySeconds);
				report.put("S1", "every object reconciled once, from fork" + suffix, "s", Better.LOWER, contender,
						allSeconds);
				report.put("S1", "of which after ready" + suffix, "s", Better.LOWER, contender, allSeconds - readySeconds);
				report.put("S1", "contender CPU until every object was reconciled" + suffix, "s", Better.LOWER, contender,
						cpu / 1e9);
				report.put("S1", "API requests (not watches) until then, per object" + suffix, "count/object",
						Better.LOWER, contender, (double) load.requests() / n);
				report.put("S1", "other processes on the machine meanwhile" + suffix, "cores", Better.INFO, contender,
						end.otherCoresSince(atFork));
				if (doneAt < 0) {
					report.note("S1", contender.label() + String.format(Locale.ROOT,
							" did not reconcile every object (N=%,d): %,d done, then no progress for 60 s", n, watch.done()));
				}
				else {
					report.startupByN.computeIfAbsent(contender.id(), (id) -> new java.util.TreeMap<>()).put(n, allSeconds);
				}
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("scenario", "S1");
				details.put("contender", contender.id());
				details.put("n", n);
				details.put("readySeconds", readySeconds);
				details.put("contenderUptimeAtReadyMillis", ready.number("uptimeMillis"));
				details.put("allReconciledSeconds", allSeconds);
				details.put("cpuSeconds", cpu / 1e9);
				details.put("otherProcessesCores", end.otherCoresSince(atFork));
				details.put("benchmarkJvmCores", end.benchmarkCoresSince(atFork));
				details.put("stats", stats.values());
				details.put("apiLoad", load.toString());
				report.runs.add(details);
				this.context.log("S1 %s N=%,d: ready %.2f s, all reconciled %.2f s, CPU %.1f s, %s, %s", contender.id(), n,
						readySeconds, allSeconds, cpu / 1e9, stats.values(), load);
			}
		}
	}
}
