package io.github.kubecontroller.benchmarks.peers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.kubecontroller.benchmarks.peers.PeersReport.Better;

/**
 * S2, S3 and the steady-state parts of S6 and S7, in one contender process on one emulator: M Bench objects are
 * created and reconciled once (warm-up); then S2 sends M × K spec updates at full speed and waits until every status
 * shows the last generation; then S3 sends updates at a steady rate and reads the contender's latency percentiles,
 * API requests and CPU over the measured window.
 */
final class WorkloadRun {

	private final PeersContext context;

	WorkloadRun(PeersContext context) {
		this.context = context;
	}

	void run(Contender contender) throws Exception {
		PeersOptions options = this.context.options;
		int objects = options.backlogObjects();
		try (BenchCluster cluster = BenchCluster.start()) {
			cluster.createBenches(objects);
			try (ContenderProcess process = this.context.start(cluster, contender, "bench", 0, "s2-s3-" + contender.id())) {
				try (StatusWatch watch = StatusWatch.open(cluster, cluster.emulator.resourceVersion(), 1)) {
					process.awaitReady(120);
					if (watch.await(objects, 300, 60) < 0) {
						throw new IllegalStateException(contender.label() + " did not reconcile the " + objects
								+ " objects of the warm-up (" + watch.done() + " done)");
					}
				}
				BenchCluster.sleep(Duration.ofSeconds(2));
				if (options.runs("S2") || options.runs("S7")) {
					backlog(cluster, process, contender);
					BenchCluster.sleep(Duration.ofSeconds(2));
				}
				if (options.runs("S3") || options.runs("S6") || options.runs("S7")) {
					for (int rate : options.latencyRates()) {
						steadyRate(cluster, process, contender, rate);
						BenchCluster.sleep(Duration.ofSeconds(3));
					}
				}
			}
		}
	}

	private void backlog(BenchCluster cluster, ContenderProcess process, Contender contender) throws Exception {
		PeersOptions options = this.context.options;
		int objects = options.backlogObjects();
		int rounds = options.backlogUpdates();
		int updates = objects * rounds;
		MachineLoad loadStart = MachineLoad.now(process);
		long cpuBefore = loadStart.contenderNanos();
		ContenderProcess.Answer statsBefore = process.stats();
		ApiLoad loadBefore = cluster.contenderLoad();
		long timeout = 120 + updates / 50;
		try (StatusWatch watch = StatusWatch.open(cluster, cluster.emulator.resourceVersion(), 1 + rounds)) {
			long start = System.nanoTime();
			cluster.updateBenches(objects, rounds, 2);
			long sent = System.nanoTime();
			long doneAt = watch.await(objects, timeout, 30);
			MachineLoad loadEnd = MachineLoad.now(process);
			long cpuAfter = loadEnd.contenderNanos();
			ContenderProcess.Answer statsAfter = process.stats();
			ApiLoad load = cluster.contenderLoad().minus(loadBefore);
			double seconds = (doneAt < 0) ? Double.NaN : (doneAt - start) / 1e9;
			long reconciles = statsAfter.number("reconciles") - statsBefore.number("reconciles");
			PeersReport report = this.context.report;
			String what = String.format(Locale.ROOT, " (%,d objects × %d updates)", objects, rounds);
			report.put("S2", "backlog drained: first update to every status at the last generation" + what, "s",
					Better.LOWER, contender, seconds);
			report.put("S2", "the benchmark's sending of the updates (the floor)", "s", Better.INFO, contender,
					(sent - start) / 1e9);
			report.put("S2", "tail: last update acknowledged to every status at the last generation", "s", Better.LOWER,
					contender, (doneAt < 0) ? Double.NaN : (doneAt - sent) / 1e9);
			report.put("S2", "objects left behind (never reconciled at their last generation)", "count", Better.LOWER,
					contender, objects - watch.done());
			report.put("S2", "reconciles during the backlog", "count", Better.INFO, contender, reconciles);
			report.put("S2", "status writes during the backlog (API server audit)", "count", Better.LOWER, contender,
					load.writes());
			report.put("S2", "other processes on the machine meanwhile", "cores", Better.INFO, contender,
					loadEnd.otherCoresSince(loadStart));
			report.put("S7", "contender CPU per 10,000 events, backlog (S2)", "s", Better.LOWER, contender,
					(cpuAfter - cpuBefore) / 1e9 * 10_000 / updates);
			if (doneAt < 0) {
				StringBuilder behind = new StringBuilder();
				for (String stuck : watch.behind(5).keySet()) {
					behind.append(' ').append(stuck).append(" (").append(cluster.describeBench(stuck)).append(')');
				}
				report.note("S2", contender.label() + String.format(Locale.ROOT,
						" did not converge: %,d of %,d objects reached their last generation, the last of them %.2f s after "
								+ "the first update, then none for 30 s; left behind (as stored):%s",
						watch.done(), objects, (watch.lastDoneNanos() - start) / 1e9, behind));
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("scenario", "S2");
			details.put("contender", contender.id());
			details.put("objects", objects);
			details.put("updatesPerObject", rounds);
			details.put("seconds", seconds);
			details.put("sendSeconds", (sent - start) / 1e9);
			details.put("cpuSeconds", (cpuAfter - cpuBefore) / 1e9);
			details.put("otherProcessesCores", loadEnd.otherCoresSince(loadStart));
			details.put("benchmarkJvmCores", loadEnd.benchmarkCoresSince(loadStart));
			details.put("reconciles", reconciles);
			details.put("apiLoad", load.toString());
			details.put("statsAfter", statsAfter.values());
			report.runs.add(details);
			this.context.log("S2 %s: drained in %.2f s (sent in %.2f s), %,d reconciles, CPU %.1f s, %s", contender.id(),
					seconds, (sent - start) / 1e9, reconciles, (cpuAfter - cpuBefore) / 1e9, load);
		}
	}

	private void steadyRate(BenchCluster cluster, ContenderProcess process, Contender contender, int rate)
			throws Exception {
		PeersOptions options = this.context.options;
		Duration warmup = Duration.ofSeconds(options.latencyWarmupSeconds());
		Duration measured = Duration.ofSeconds(options.latencySeconds() - options.latencyWarmupSeconds());
		try (PacedUpdates updates = new PacedUpdates(cluster, options.backlogObjects(), rate)) {
			updates.start();
			BenchCluster.sleep(warmup);
			process.request("reset-latency");
			MachineLoad loadStart = MachineLoad.now(process);
			long cpuBefore = loadStart.contenderNanos();
			ContenderProcess.Answer statsBefore = process.stats();
			ApiLoad loadBefore = cluster.contenderLoad();
			long sentBefore = updates.acknowledged();
			long start = System.nanoTime();
			BenchCluster.sleep(measured);
			ContenderProcess.Answer latency = process.request("latency");
			MachineLoad loadEnd = MachineLoad.now(process);
			long cpuAfter = loadEnd.contenderNanos();
			ContenderProcess.Answer statsAfter = process.stats();
			ApiLoad load = cluster.contenderLoad().minus(loadBefore);
			long events = updates.acknowledged() - sentBefore;
			double seconds = (System.nanoTime() - start) / 1e9;
			long reconciles = statsAfter.number("reconciles") - statsBefore.number("reconciles");
			PeersReport report = this.context.report;
			String at = String.format(Locale.ROOT, " at %,d events/s", rate);
			report.put("S3", "updates acknowledged per second (achieved rate)" + at, "events/s", Better.INFO, contender,
					events / seconds);
			Map<String, Double> percentiles = new LinkedHashMap<>();
			for (String[] p : new String[][] { { "p50", "p50" }, { "p90", "p90" }, { "p99", "p99" },
					{ "p999", "p99.9" }, { "max", "max" } }) {
				double ms = latency.number(p[0]) / 1000.0;
				percentiles.put(p[1], ms);
				report.put("S3", "event → reconcile start, " + p[1] + at, "ms", Better.LOWER, contender, ms);
			}
			report.latency.put(report.columns.get(contender.id()) + at, percentiles);
			report.put("S3", "latency samples (reconciles that carried a send time)" + at, "count", Better.INFO, contender,
					latency.number("count"));
			report.put("S6", "API requests (not watches) per reconcile, steady state" + at + " (S3)", "count/reconcile",
					Better.LOWER, contender, (double) load.requests() / reconciles);
			report.put("S6", "of which writes per reconcile" + at, "count/reconcile", Better.LOWER, contender,
					(double) load.writes() / reconciles);
			report.put("S6", "reconciles per update, steady state" + at + " (S3)", "count/event", Better.INFO, contender,
					(double) reconciles / events);
			report.put("S3", "other processes on the machine meanwhile" + at, "cores", Better.INFO, contender,
					loadEnd.otherCoresSince(loadStart));
			report.put("S3", "benchmark JVM (emulator, writers) + contender meanwhile" + at, "cores", Better.INFO,
					contender, loadEnd.benchmarkCoresSince(loadStart) + loadEnd.contenderCoresSince(loadStart));
			report.put("S7", "contender CPU per 10,000 events, steady" + at + " (S3)", "s", Better.LOWER, contender,
					(cpuAfter - cpuBefore) / 1e9 * 10_000 / events);
			if (updates.failed() > 0) {
				report.note("S3", contender.label() + ": " + updates.failed() + " updates failed");
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("scenario", "S3");
			details.put("contender", contender.id());
			details.put("rate", rate);
			details.put("measuredSeconds", seconds);
			details.put("events", events);
			details.put("latencyMicros", latency.values());
			details.put("reconciles", reconciles);
			details.put("cpuSeconds", (cpuAfter - cpuBefore) / 1e9);
			details.put("otherProcessesCores", loadEnd.otherCoresSince(loadStart));
			details.put("benchmarkJvmCores", loadEnd.benchmarkCoresSince(loadStart));
			details.put("contenderCores", loadEnd.contenderCoresSince(loadStart));
			details.put("apiLoad", load.toString());
			report.runs.add(details);
			this.context.log("S3 %s: %.0f events/s, latency %s µs, %,d reconciles, CPU %.1f s, %s", contender.id(),
					events / seconds, latency.values(), reconciles, (cpuAfter - cpuBefore) / 1e9, load);
		}
	}
}
