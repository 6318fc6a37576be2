package io.github.kubecontroller.benchmarks.peers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.kubecontroller.benchmarks.peers.PeersReport.Better;

/**
 * S4 and S5 in one contender process with a ConfigMap controller that writes nothing. S4: the heap after full
 * collections with no ConfigMap, then after each step of N cached ConfigMaps (created while the contender runs, and
 * counted as cached once each has been reconciled); bytes per object = (heap(N) − heap(0)) / N. S5, at the largest
 * N: the history is compacted and every watch gets 410 Gone, so the contender relists all N objects; meanwhile the
 * contender forces a full collection every 50 ms and keeps the largest heap in use after one: the relist's peak,
 * compared with the steady heap before it.
 */
final class MemoryRun {

	private final PeersContext context;

	MemoryRun(PeersContext context) {
		this.context = context;
	}

	void run(Contender contender) throws Exception {
		PeersOptions options = this.context.options;
		PeersReport report = this.context.report;
		try (BenchCluster cluster = BenchCluster.start();
				ContenderProcess process = this.context.start(cluster, contender, "configmap", 0,
						"s4-s5-" + contender.id())) {
			process.awaitReady(120);
			long heapEmpty = heap(process);
			Map<String, String> histogramEmpty = process.request("histogram").values();
			report.put("S4", "heap after full GC with no ConfigMap cached", "MB", Better.LOWER, contender, heapEmpty / 1e6);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("scenario", "S4/S5");
			details.put("contender", contender.id());
			details.put("properties", contender.properties());
			details.put("heapEmptyBytes", heapEmpty);
			Map<Integer, Long> heaps = new TreeMap<>();
			int cached = 0;
			long heapFull = heapEmpty;
			for (int n : options.n()) {
				cluster.createConfigMaps(cached, n);
				cached = n;
				awaitReconciles(process, n, 60 + n / 250);
				BenchCluster.sleep(Duration.ofSeconds(1));
				heapFull = heap(process);
				heaps.put(n, heapFull);
				double perObject = (double) (heapFull - heapEmpty) / n;
				report.put("S4", String.format(Locale.ROOT, "retained heap per cached small ConfigMap, N=%,d", n), "B",
						Better.LOWER, contender, perObject);
				report.memoryByN.computeIfAbsent(contender.id(), (id) -> new TreeMap<>())
					.put(n, (heapFull - heapEmpty) / 1e6);
				this.context.log("S4 %s: N=%,d heap %.1f MB, %.0f B/object", contender.id(), n, heapFull / 1e6, perObject);
			}
			details.put("heapBytesByN", heaps);
			growth(contender, histogramEmpty, process.request("histogram").values(), options.largestN());
			if (options.runs("S5")) {
				relist(cluster, process, contender, heapEmpty, heapFull, details);
			}
			report.runs.add(details);
		}
	}

	private void relist(BenchCluster cluster, ContenderProcess process, Contender contender, long heapEmpty,
			long steady, Map<String, Object> details) throws Exception {
		PeersReport report = this.context.report;
		int n = this.context.options.largestN();
		ApiLoad before = cluster.contenderLoad();
		process.request("sample-start");
		BenchCluster.sleep(Duration.ofMillis(500));
		cluster.emulator.compactHistory();
		cluster.emulator.expireAllWatches();
		// The relist shows in the audit as a new list (or a new watch, for streaming lists). A relist by list is over
		// when the contender watches again; a streaming one shows no end, so the window gives it time to be decoded
		// and swapped in, slowed down by the sampler's collections.
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		ApiLoad since = cluster.contenderLoad().minus(before);
		while (since.lists() + since.watches() == 0 && System.nanoTime() < deadline) {
			BenchCluster.sleep(Duration.ofMillis(50));
			since = cluster.contenderLoad().minus(before);
		}
		Duration window = Duration.ofSeconds(Math.max(8, n / 4_000));
		long windowEnd = System.nanoTime() + window.toNanos();
		while (System.nanoTime() < deadline
				&& (System.nanoTime() < windowEnd || (since.lists() > 0 && since.watches() == 0))) {
			BenchCluster.sleep(Duration.ofMillis(250));
			since = cluster.contenderLoad().minus(before);
		}
		BenchCluster.sleep(Duration.ofSeconds(2));
		ContenderProcess.Answer sample = process.request("sample-stop");
		since = cluster.contenderLoad().minus(before);
		long after = heap(process);
		// A relist still running when sampling stopped can hold more than any sample did: the reading after counts.
		long peak = Math.max(sample.number("peak"), after);
		report.put("S5", String.format(Locale.ROOT, "steady heap before the relist, N=%,d", n), "MB", Better.LOWER,
				contender, steady / 1e6);
		report.put("S5", "peak live heap during the relist", "MB", Better.LOWER, contender, peak / 1e6);
		report.put("S5", "relist peak ÷ steady heap", "×", Better.LOWER, contender, (double) peak / steady);
		report.put("S5", "relist peak above steady ÷ the cache's share of the steady heap", "×", Better.LOWER, contender,
				(double) (peak - steady) / Math.max(1, steady - heapEmpty));
		report.put("S5", "heap after the relist", "MB", Better.INFO, contender, after / 1e6);
		if (since.lists() + since.watches() == 0) {
			report.note("S5", contender.label() + ": no list or watch request seen after the forced 410: no relist");
		}
		else if (since.lists() > 0 && since.watches() == 0) {
			report.note("S5", contender.label() + ": still relisting after 60 s (no new watch yet)");
		}
		details.put("relistSteadyBytes", steady);
		details.put("relistPeakBytes", peak);
		details.put("relistSamples", sample.number("samples"));
		details.put("relistMinimumWindowSeconds", window.toSeconds());
		details.put("relistAfterBytes", after);
		details.put("relistApiLoad", since.toString());
		this.context.log("S5 %s: steady %.1f MB, peak %.1f MB (%d samples), after %.1f MB, %s", contender.id(),
				steady / 1e6, peak / 1e6, sample.number("samples"), after / 1e6, since);
	}

	/** The classes whose heap grew most from no ConfigMap to N, per cached object: where the bytes go. */
	private void growth(Contender contender, Map<String, String> before, Map<String, String> after, int n) {
		record Growth(String type, long instances, long bytes) {
		}
		java.util.List<Growth> rows = new java.util.ArrayList<>();
		after.forEach((type, counts) -> {
			String[] now = counts.split(":");
			String[] then = before.getOrDefault(type, "0:0").split(":");
			rows.add(new Growth(type, Long.parseLong(now[0]) - Long.parseLong(then[0]),
					Long.parseLong(now[1]) - Long.parseLong(then[1])));
		});
		rows.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
		StringBuilder section = new StringBuilder(String.format(Locale.ROOT,
				"### S4 heap growth by class, %s, 0 → %,d ConfigMaps%n%n", contender.label(), n));
		section.append("| class | instances per object | bytes per object |\n|---|---|---|\n");
		long total = 0;
		for (Growth row : rows.subList(0, Math.min(20, rows.size()))) {
			total += row.bytes();
			section.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.0f |%n", row.type(),
					(double) row.instances() / n, (double) row.bytes() / n));
		}
		section.append(String.format(Locale.ROOT, "| (these classes) | | %.0f |%n", (double) total / n));
		this.context.report.sections.add(section.toString());
	}

	private static long heap(ContenderProcess process) throws InterruptedException {
		return process.request("heap").number("used");
	}

	private static void awaitReconciles(ContenderProcess process, long count, long timeoutSeconds)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
		long reconciles = 0;
		while (System.nanoTime() < deadline) {
			reconciles = process.stats().number("reconciles");
			if (reconciles >= count) {
				return;
			}
			BenchCluster.sleep(Duration.ofMillis(250));
		}
		throw new IllegalStateException("the contender reconciled " + reconciles + " of " + count
				+ " ConfigMaps within " + timeoutSeconds + " s");
	}
}
