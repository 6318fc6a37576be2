package io.github.kubecontroller.benchmarks.peers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.kubecontroller.benchmarks.peers.PeersReport.Better;

/**
 * The resync part of S6: the contender runs with a short resync period on objects that are all reconciled and do
 * not change; over two and a half periods the benchmark counts the contender's reconciles (did the resync happen?)
 * and its writes (a resync of unchanged objects should write nothing).
 */
final class ResyncRun {

	private final PeersContext context;

	ResyncRun(PeersContext context) {
		this.context = context;
	}

	void run(Contender contender) throws Exception {
		PeersOptions options = this.context.options;
		int objects = options.resyncObjects();
		int period = options.resyncSeconds();
		try (BenchCluster cluster = BenchCluster.start()) {
			cluster.createBenches(objects);
			try (ContenderProcess process = this.context.start(cluster, contender, "bench", period,
					"s6-resync-" + contender.id());
					StatusWatch watch = StatusWatch.open(cluster, cluster.emulator.resourceVersion(), 1)) {
				process.awaitReady(120);
				if (watch.await(objects, 300, 60) < 0) {
					throw new IllegalStateException(contender.label() + " did not reconcile the " + objects + " objects");
				}
				// Let the first period pass, so that the window sees resyncs of objects already reconciled.
				BenchCluster.sleep(Duration.ofSeconds(period + 1));
				ContenderProcess.Answer statsBefore = process.stats();
				ApiLoad loadBefore = cluster.contenderLoad();
				Duration window = Duration.ofMillis(period * 2_500L);
				BenchCluster.sleep(window);
				ContenderProcess.Answer statsAfter = process.stats();
				ApiLoad load = cluster.contenderLoad().minus(loadBefore);
				long reconciles = statsAfter.number("reconciles") - statsBefore.number("reconciles");
				PeersReport report = this.context.report;
				String what = String.format(Locale.ROOT, " (%,d unchanged objects, resync every %d s, %.1f s window)",
						objects, period, window.toMillis() / 1000.0);
				report.put("S6", "writes during the resync window" + what, "count", Better.LOWER, contender, load.writes());
				report.put("S6", "reconciles per object per resync period during the window", "per object", Better.INFO,
						contender, reconciles / (objects * 2.5));
				report.put("S6", "API requests (not watches) during the resync window", "count", Better.LOWER, contender,
						load.requests());
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("scenario", "S6 resync");
				details.put("contender", contender.id());
				details.put("objects", objects);
				details.put("periodSeconds", period);
				details.put("windowSeconds", window.toMillis() / 1000.0);
				details.put("reconciles", reconciles);
				details.put("apiLoad", load.toString());
				report.runs.add(details);
				this.context.log("S6 resync %s: %,d reconciles, %s in %.1f s", contender.id(), reconciles, load,
						window.toMillis() / 1000.0);
			}
		}
	}
}
