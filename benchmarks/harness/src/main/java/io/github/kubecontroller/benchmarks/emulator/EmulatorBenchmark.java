package io.github.kubecontroller.benchmarks.emulator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;

/**
 * Speed harness of the emulator against its speed targets:
 * <ol>
 * <li>one watcher receives at least 20,000 events/s;</li>
 * <li>at least 3,000 creates/s from one client with 8 concurrent requests;</li>
 * <li>a paged list (limit=500) of 100,000 ConfigMaps in under 5 s (and the unpaged and resourceVersion=0 lists);</li>
 * <li>retained heap at most twice the JSON size of what is stored.</li>
 * </ol>
 * Everything runs in this JVM: the emulator, the load generators and the watcher. Each scenario is warmed up in a
 * throw-away emulator first, then measured a few times. Results go to stdout and to
 * {@code <bench.output>/emulator-benchmark.{md,json}}.
 *
 * <p>
 * System properties: {@code bench.objects} (100000), {@code bench.runs} (3), {@code bench.seconds} (3, the length of
 * a timed write run), {@code bench.concurrency} (8), {@code bench.output} (target), {@code bench.scenarios}
 * (creates,live,big), {@code bench.verbose} (false: true logs the CPU per thread group of every run),
 * {@code bench.failOnMiss} (false: true exits with 1 when a target is missed).
 */
public final class EmulatorBenchmark {

	private static final int OBJECTS = Integer.getInteger("bench.objects", 100_000);

	private static final int RUNS = Integer.getInteger("bench.runs", 3);

	private static final Duration RUN_TIME = Duration.ofSeconds(Integer.getInteger("bench.seconds", 3));

	private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);

	private static final int PAGE = 500;

	private static final java.util.Set<String> SCENARIOS = java.util.Set
		.of(System.getProperty("bench.scenarios", "creates,live,big").split(","));

	private final Report report = new Report();

	private final HttpClient jdk = Load.jdkClient();

	private final long started = System.nanoTime();

	public static void main(String[] args) throws Exception {
		EmulatorBenchmark benchmark = new EmulatorBenchmark();
		benchmark.run();
		System.exit(0);
	}

	private void run() throws Exception {
		environment();
		log("warm-up");
		warmUp();
		// The big store first: its population is also the long warm-up the timed write runs need.
		if (SCENARIOS.contains("big")) {
			log(String.format(Locale.ROOT, "%,d objects: population, memory, watch replay, lists", OBJECTS));
			bigStore();
		}
		log("writes and live watch");
		writesAndLiveWatch();
		this.report.environment.put("total run time", String.format(Locale.ROOT, "%.0f s", elapsedSeconds()));
		if (Load.RETRIES.get() > 0) {
			this.report.environment.put("writes retried after a connection failure",
					Load.RETRIES.get() + " (first: " + Load.FIRST_RETRY_CAUSE.get() + ")");
		}
		System.out.println();
		System.out.println(this.report.markdown());
		Path output = Path.of(System.getProperty("bench.output", "target"));
		this.report.write(output);
		log("wrote " + output.resolve("emulator-benchmark.md") + " and .json");
		if (Boolean.getBoolean("bench.failOnMiss")
				&& this.report.rows.stream().anyMatch((row) -> row.verdict().equals("MISS"))) {
			System.exit(1);
		}
	}

	// ---------------------------------------------------------------- warm-up

	/** Runs every code path on a throw-away emulator so that the measured runs meet compiled code. */
	private void warmUp() throws Exception {
		KubeApiEmulator emulator = KubeApiEmulator.builder().watchCapacity(1_000_000).build().start();
		try {
			String base = emulator.baseUrl();
			Load.createNamespace(this.jdk, base, "warm");
			long before = emulator.resourceVersion();
			try (RawWatch watch = watch(emulator, "warm", "&resourceVersion=" + before)) {
				Load.Outcome jdkWrites = Load.jdkCreates(this.jdk, base, "warm", "jdk", CONCURRENCY, Long.MAX_VALUE,
						Duration.ofSeconds(4));
				watch.await(jdkWrites.succeeded(), 20, TimeUnit.SECONDS);
			}
			ApiClient client = emulator.apiClient();
			Load.clientJavaCreates(client, "warm", "cj", CONCURRENCY, Long.MAX_VALUE, Duration.ofSeconds(2));
			long stored = emulator.resourceVersion() - before;
			try (RawWatch replay = watch(emulator, "warm", "&resourceVersion=" + before)) {
				replay.await(stored, 20, TimeUnit.SECONDS);
			}
			try (RawWatch initial = watch(emulator, "warm", "")) {
				initial.await(stored, 20, TimeUnit.SECONDS);
			}
			emulator.closeAllWatches();
			for (int i = 0; i < 3; i++) {
				Lists.paged(this.jdk, base, "warm", PAGE);
				Lists.single(this.jdk, base, "warm", "");
				Lists.single(this.jdk, base, "warm", "?resourceVersion=0");
			}
			Lists.clientJavaPaged(client, "warm", PAGE);
		}
		finally {
			emulator.stop();
		}
	}

	// ---------------------------------------------------------------- target 2 and target 1 (live)

	private void writesAndLiveWatch() throws Exception {
		KubeApiEmulator emulator = KubeApiEmulator.builder().watchCapacity(1_000_000).build().start();
		try {
			String base = emulator.baseUrl();
			Load.createNamespace(this.jdk, base, "creates");
			Load.createNamespace(this.jdk, base, "live");
			ApiClient client = emulator.apiClient();
			// Untimed: opens the connections and starts the handler threads of this emulator.
			Load.jdkCreates(this.jdk, base, "creates", "pre", CONCURRENCY, Long.MAX_VALUE, Duration.ofSeconds(2));
			Load.clientJavaCreates(client, "creates", "precj", CONCURRENCY, Long.MAX_VALUE, Duration.ofSeconds(2));

			Report.Row jdkCreates = this.report.row("2a", "create ConfigMap, " + CONCURRENCY + " concurrent, "
					+ RUN_TIME.toSeconds() + " s runs", "JDK HttpClient (HTTP/1.1, pooled)", "creates/s",
					Report.Target.atLeast(3_000, "≥ 3,000/s")).per("create");
			Report.Row cjCreates = this.report.row("2b", "create ConfigMap, " + CONCURRENCY + " concurrent, "
					+ RUN_TIME.toSeconds() + " s runs", "client-java CoreV1Api (OkHttp)", "creates/s",
					Report.Target.atLeast(3_000, "≥ 3,000/s")).per("create");
			for (int run = 0; SCENARIOS.contains("creates") && run < RUNS; run++) {
				Meter.Cpu start = Meter.Cpu.now();
				Map<String, Long> groups = Meter.cpuByGroup();
				Load.Outcome jdk = Load.jdkCreates(this.jdk, base, "creates", "jdk" + run, CONCURRENCY,
						Long.MAX_VALUE, RUN_TIME);
				jdkCreates.run(jdk.perSecond(), start, Meter.Cpu.now(), jdk.succeeded());
				breakdown("2a", groups, start);
				check(jdk, "2a");
				start = Meter.Cpu.now();
				groups = Meter.cpuByGroup();
				Load.Outcome cj = Load.clientJavaCreates(client, "creates", "cj" + run, CONCURRENCY, Long.MAX_VALUE,
						RUN_TIME);
				cjCreates.run(cj.perSecond(), start, Meter.Cpu.now(), cj.succeeded());
				breakdown("2b", groups, start);
				check(cj, "2b");
				log(String.format(Locale.ROOT, "creates run %d: JDK %.0f/s, client-java %.0f/s", run + 1,
						jdk.perSecond(), cj.perSecond()));
			}

			Report.Row live = this.report.row("1a", "watch, live: " + CONCURRENCY
					+ " concurrent creates as fast as possible, one watcher", "raw socket watcher + JDK HttpClient writers",
					"events/s", Report.Target.atLeast(20_000, "≥ 20,000/s")).per("event");
			for (int run = 0; SCENARIOS.contains("live") && run < RUNS; run++) {
				long from = emulator.resourceVersion();
				Meter.Cpu start = Meter.Cpu.now();
				Map<String, Long> groups = Meter.cpuByGroup();
				try (RawWatch watch = watch(emulator, "live", "&resourceVersion=" + from)) {
					long writeStart = System.nanoTime();
					Load.Outcome writes = Load.jdkCreates(this.jdk, base, "live", "live" + run, CONCURRENCY,
							Long.MAX_VALUE, RUN_TIME);
					check(writes, "1a");
					boolean all = watch.await(writes.succeeded(), 30, TimeUnit.SECONDS);
					Meter.Cpu end = Meter.Cpu.now();
					double seconds = (watch.lastEventNanos() - writeStart) / 1e9;
					double rate = watch.events() / seconds;
					double lagMs = Math.max(0, (watch.lastEventNanos() - (writeStart + writes.nanos())) / 1e6);
					live.run(rate, start, end, watch.events());
					breakdown("1a", groups, start);
					if (!all) {
						live.note("run " + (run + 1) + " received " + watch.events() + " of " + writes.succeeded()
								+ " events");
					}
					log(String.format(Locale.ROOT,
							"live watch run %d: %d events in %.2f s = %.0f events/s (writes %.0f/s, last event %.0f ms after the last write)",
							run + 1, watch.events(), seconds, rate, writes.perSecond(), lagMs));
				}
				emulator.closeAllWatches();
			}
			live.note("bounded by the write rate: every event is one HTTP create; see 1b/1c for the delivery capacity");
		}
		finally {
			emulator.stop();
		}
	}

	// ---------------------------------------------------------------- the 100k store: targets 4, 1 (replay), 3

	private void bigStore() throws Exception {
		// Default history (100,000 events), unless more objects are asked for.
		KubeApiEmulator emulator = KubeApiEmulator.builder()
			.historyMaxEvents(Math.max(100_000, OBJECTS + 10))
			.watchCapacity(Math.max(1_000_000, OBJECTS * 2))
			.build()
			.start();
		try {
			String base = emulator.baseUrl();
			Load.createNamespace(this.jdk, base, "bench");
			Lists.single(this.jdk, base, "bench", "");

			long heapEmpty = Meter.usedHeapAfterGc();
			Map<String, long[]> histogramEmpty = Meter.classHistogram();

			long from = emulator.resourceVersion();
			Meter.Cpu start = Meter.Cpu.now();
			Load.Outcome population = Load.jdkCreates(this.jdk, base, "bench", "cm", CONCURRENCY, OBJECTS,
					Duration.ofMinutes(5));
			check(population, "2c");
			this.report.row("2c", "create " + String.format(Locale.ROOT, "%,d", OBJECTS) + " ConfigMaps, "
					+ CONCURRENCY + " concurrent (one run, store growing)", "JDK HttpClient (HTTP/1.1, pooled)",
					"creates/s", Report.Target.atLeast(3_000, "≥ 3,000/s"))
				.per("create").run(population.perSecond(), start, Meter.Cpu.now(), population.succeeded());
			log(String.format(Locale.ROOT, "populated %d ConfigMaps at %.0f/s", population.succeeded(),
					population.perSecond()));
			long to = emulator.resourceVersion();

			// Heap first: the JDK HttpClient keeps large response bodies reachable for a while, so the full list that
			// measures the JSON comes after the heap readings.
			long heapFull = Meter.usedHeapAfterGc();
			Map<String, long[]> histogramFull = Meter.classHistogram();

			// Target 1, delivery capacity: the history replayed to a watch from an old resourceVersion, and the
			// current state sent as initial events.
			long replayFrom = from + Math.min(1_000, OBJECTS / 10);
			long replayCount = to - replayFrom;
			Report.Row replay = this.report.row("1b", "watch, replay of " + String.format(Locale.ROOT, "%,d", replayCount)
					+ " history events (resourceVersion=N)", "raw socket", "events/s",
					Report.Target.atLeast(20_000, "≥ 20,000/s")).per("event");
			Report.Row initial = this.report.row("1c", "watch, " + String.format(Locale.ROOT, "%,d", OBJECTS)
					+ " initial events (no resourceVersion)", "raw socket", "events/s",
					Report.Target.atLeast(20_000, "≥ 20,000/s")).per("event");
			for (int run = 0; run < RUNS; run++) {
				watchBacklog(emulator, replay, "&resourceVersion=" + replayFrom, replayCount);
				watchBacklog(emulator, initial, "", OBJECTS);
			}

			emulator.compactHistory();
			long heapCompacted = Meter.usedHeapAfterGc();
			Map<String, long[]> histogramCompacted = Meter.classHistogram();

			Lists.Read all = Lists.single(this.jdk, base, "bench", "");
			if (all.items() != OBJECTS) {
				throw new IllegalStateException("listed " + all.items() + " of " + OBJECTS + " objects");
			}
			long storedJson = all.itemBytes() + all.items() * Lists.TYPE_META_BYTES;
			memory("4a", "with the default change history (" + String.format(Locale.ROOT, "%,d", OBJECTS)
					+ " ADDED events kept)", heapEmpty, heapFull, storedJson, all.items(), histogramEmpty,
					histogramFull);
			memory("4b", "after compactHistory() (objects only)", heapEmpty, heapCompacted, storedJson, all.items(),
					histogramEmpty, histogramCompacted);

			Report.Row paged = this.report.row("3a", "paged list, limit=" + PAGE + ", "
					+ String.format(Locale.ROOT, "%,d", OBJECTS) + " ConfigMaps", "JDK HttpClient + Jackson streaming",
					"s", Report.Target.atMost(5, "< 5 s")).per("item");
			Report.Row unpaged = this.report.row("3b", "unpaged list, " + String.format(Locale.ROOT, "%,d", OBJECTS)
					+ " ConfigMaps", "JDK HttpClient + Jackson streaming", "s", Report.Target.atMost(5, "< 5 s")).per("item");
			Report.Row rv0 = this.report.row("3c", "list resourceVersion=0, "
					+ String.format(Locale.ROOT, "%,d", OBJECTS) + " ConfigMaps", "JDK HttpClient + Jackson streaming",
					"s", Report.Target.atMost(5, "< 5 s")).per("item");
			Report.Row cjPaged = this.report.row("3d", "paged list, limit=" + PAGE + ", "
					+ String.format(Locale.ROOT, "%,d", OBJECTS) + " ConfigMaps", "client-java (OkHttp + Gson models)",
					"s", Report.Target.atMost(5, "< 5 s")).per("item");
			ApiClient client = emulator.apiClient();
			Lists.Read[] pagedRead = new Lists.Read[1];
			for (int run = 0; run < RUNS; run++) {
				timedList(paged, () -> pagedRead[0] = Lists.paged(this.jdk, base, "bench", PAGE));
				timedList(unpaged, () -> Lists.single(this.jdk, base, "bench", ""));
				timedList(rv0, () -> Lists.single(this.jdk, base, "bench", "?resourceVersion=0"));
				if (run < 2) {
					timedList(cjPaged, () -> Lists.clientJavaPaged(client, "bench", PAGE));
				}
			}
			pagedWhileWriting(emulator);
			liveDeleteBurst(emulator);
			paged.note(String.format(Locale.ROOT, "%d requests, %.1f MB of responses", pagedRead[0].pages(),
					pagedRead[0].responseBytes() / 1e6));
			unpaged.note(String.format(Locale.ROOT, "one %.1f MB response", all.responseBytes() / 1e6));

		}
		finally {
			emulator.stop();
		}
	}

	/**
	 * Target 1 with live writes that are not one HTTP request per event: a single DELETE of the whole collection
	 * produces one DELETED event per object while the watch is open. Runs last, as it empties the store.
	 */
	private void liveDeleteBurst(KubeApiEmulator emulator) throws Exception {
		Report.Row row = this.report.row("1d", "watch, live: one deletecollection of "
				+ String.format(Locale.ROOT, "%,d", OBJECTS) + " ConfigMaps, one watcher",
				"raw socket watcher + JDK HttpClient", "events/s", Report.Target.atLeast(20_000, "≥ 20,000/s"))
			.per("event");
		Meter.Cpu start = Meter.Cpu.now();
		Map<String, Long> groups = Meter.cpuByGroup();
		try (RawWatch watch = watch(emulator, "bench", "&resourceVersion=" + emulator.resourceVersion())) {
			long sent = System.nanoTime();
			HttpResponse<Void> response = this.jdk.send(
					HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/api/v1/namespaces/bench/configmaps"))
						.DELETE()
						.build(),
					HttpResponse.BodyHandlers.discarding());
			boolean all = watch.await(OBJECTS, 120, TimeUnit.SECONDS);
			Meter.Cpu end = Meter.Cpu.now();
			breakdown(row.id, groups, start);
			double seconds = (watch.lastEventNanos() - sent) / 1e9;
			double rate = watch.events() / seconds;
			row.run(rate, start, end, watch.events());
			row.note("one DELETE request (HTTP " + response.statusCode() + "); events are streamed while it runs");
			if (!all) {
				row.note("received " + watch.events() + " of " + OBJECTS + " events");
			}
			log(String.format(Locale.ROOT, "1d: %d DELETED events in %.2f s = %.0f events/s", watch.events(), seconds,
					rate));
		}
		emulator.closeAllWatches();
	}

	/**
	 * A paged list while one client keeps creating ConfigMaps in another namespace, as an informer relisting on a
	 * busy cluster: every page after the first is then read at a revision older than the latest.
	 */
	private void pagedWhileWriting(KubeApiEmulator emulator) throws Exception {
		String base = emulator.baseUrl();
		Load.createNamespace(this.jdk, base, "other");
		Report.Row row = this.report.row("3e", "paged list, limit=" + PAGE + ", " + String.format(Locale.ROOT, "%,d", OBJECTS)
				+ " ConfigMaps, while 1 client creates ConfigMaps in another namespace", "JDK HttpClient + Jackson streaming",
				"s", Report.Target.atMost(5, "< 5 s")).per("item");
		HttpClient writerClient = Load.jdkClient();
		Load.Outcome alone = Load.jdkCreates(writerClient, base, "other", "alone", 1, Long.MAX_VALUE, Duration.ofSeconds(2));
		row.note(String.format(Locale.ROOT, "the same single writer alone: %.0f creates/s", alone.perSecond()));
		for (int run = 0; run < 2; run++) {
			java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
			String prefix = "bg" + run;
			java.util.concurrent.CompletableFuture<Load.Outcome> writer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try {
					return Load.jdkCreates(writerClient, base, "other", prefix, 1, Long.MAX_VALUE, Duration.ofSeconds(60), stop);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Thread.sleep(300);
			Meter.Cpu start = Meter.Cpu.now();
			Map<String, Long> groups = Meter.cpuByGroup();
			Lists.Read read = Lists.paged(this.jdk, base, "bench", PAGE);
			Meter.Cpu end = Meter.Cpu.now();
			stop.set(true);
			Load.Outcome writes = writer.get();
			breakdown(row.id, groups, start);
			if (read.items() != OBJECTS) {
				throw new IllegalStateException("3e listed " + read.items() + " of " + OBJECTS);
			}
			row.run(read.nanos() / 1e9, start, end, read.items());
			row.note(String.format(Locale.ROOT, "run %d: the writer made %d creates meanwhile (%.0f/s)", run + 1,
					writes.succeeded(), writes.perSecond()));
			log(String.format(Locale.ROOT, "3e: %d items in %d requests, %.2f s, %d writes meanwhile", read.items(),
					read.pages(), read.nanos() / 1e9, writes.succeeded()));
		}
	}

	private void watchBacklog(KubeApiEmulator emulator, Report.Row row, String query, long expected)
			throws Exception {
		Meter.Cpu start = Meter.Cpu.now();
		Map<String, Long> groups = Meter.cpuByGroup();
		try (RawWatch watch = watch(emulator, "bench", query)) {
			boolean all = watch.await(expected, 60, TimeUnit.SECONDS);
			Meter.Cpu end = Meter.Cpu.now();
			breakdown(row.id, groups, start);
			double seconds = (watch.lastEventNanos() - watch.openedNanos()) / 1e9;
			double rate = watch.events() / seconds;
			row.run(rate, start, end, watch.events());
			if (!all) {
				row.note("received " + watch.events() + " of " + expected + " events"
						+ ((watch.failure() != null) ? " (" + watch.failure() + ")" : ""));
			}
			log(String.format(Locale.ROOT, "%s: %d events, %.1f MB in %.2f s = %.0f events/s (first event after %.0f ms)",
					row.id, watch.events(), watch.bytes() / 1e6, seconds, rate,
					(watch.firstEventNanos() - watch.openedNanos()) / 1e6));
		}
		emulator.closeAllWatches();
	}

	interface ListCall {

		Lists.Read call() throws Exception;
	}

	private void timedList(Report.Row row, ListCall call) throws Exception {
		Meter.Cpu start = Meter.Cpu.now();
		Map<String, Long> groups = Meter.cpuByGroup();
		Lists.Read read = call.call();
		Meter.Cpu end = Meter.Cpu.now();
		breakdown(row.id, groups, start);
		if (read.items() != OBJECTS) {
			throw new IllegalStateException(row.id + " listed " + read.items() + " of " + OBJECTS);
		}
		row.run(read.nanos() / 1e9, start, end, read.items());
		log(String.format(Locale.ROOT, "%s: %d items in %d requests, %.2f s", row.id, read.items(), read.pages(),
				read.nanos() / 1e9));
	}

	private void memory(String id, String what, long heapEmpty, long heapFull, long storedJson, long objects,
			Map<String, long[]> histogramEmpty, Map<String, long[]> histogramFull) {
		long retained = heapFull - heapEmpty;
		double ratio = (double) retained / storedJson;
		double perObject = (double) retained / objects;
		double jsonPerObject = (double) storedJson / objects;
		this.report.row(id, "retained heap / stored JSON, " + what, "—", "×", Report.Target.atMost(2.0, "≤ 2.0×"))
			.run(ratio, null, null)
			.note(String.format(Locale.ROOT, "%s: retained %.1f MB = %.0f B/object for %.0f B/object of JSON (%.1f MB)",
					what, retained / 1e6, perObject, jsonPerObject, storedJson / 1e6));
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("what", what);
		entry.put("objects", objects);
		entry.put("heapEmptyBytes", heapEmpty);
		entry.put("heapFullBytes", heapFull);
		entry.put("retainedBytes", retained);
		entry.put("storedJsonBytes", storedJson);
		entry.put("retainedBytesPerObject", perObject);
		entry.put("jsonBytesPerObject", jsonPerObject);
		entry.put("ratio", ratio);
		Map<String, long[]> growth = Meter.growth(histogramEmpty, histogramFull, 15);
		Map<String, Object> top = new LinkedHashMap<>();
		StringBuilder section = new StringBuilder();
		section.append("### Heap growth by class, ").append(what).append(" (").append(id).append(")\n\n");
		section.append("| class | instances | bytes | bytes/object stored |\n|---|---|---|---|\n");
		growth.forEach((name, counts) -> {
			top.put(name, Map.of("instances", counts[0], "bytes", counts[1]));
			section.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d | %.1f |%n", name, counts[0], counts[1],
					(double) counts[1] / objects));
		});
		entry.put("histogramGrowthTop", top);
		this.report.memory.put(id, entry);
		this.report.sections.add(section.toString());
		log(String.format(Locale.ROOT, "%s: retained %.1f MB, JSON %.1f MB, ratio %.2f, %.0f B/object", id,
				retained / 1e6, storedJson / 1e6, ratio, perObject));
	}

	// ---------------------------------------------------------------- helpers

	private void breakdown(String id, Map<String, Long> before, Meter.Cpu start) {
		Map<String, Double> cores = Meter.coresByGroup(before, Meter.cpuByGroup(), System.nanoTime() - start.wallNanos());
		this.report.cpuBreakdown.put(id, cores);
		if (Boolean.getBoolean("bench.verbose")) {
			StringBuilder line = new StringBuilder(id + " cores:");
			cores.forEach((group, used) -> line.append(String.format(Locale.ROOT, " %s=%.2f", group.replaceAll(" \\(.*", ""), used)));
			log(line.toString());
		}
	}

	private static RawWatch watch(KubeApiEmulator emulator, String namespace, String query) throws IOException {
		URI uri = URI.create(emulator.baseUrl());
		return RawWatch.open(uri.getHost(), uri.getPort(),
				"/api/v1/namespaces/" + namespace + "/configmaps?watch=true" + query);
	}

	private static void check(Load.Outcome outcome, String id) {
		if (outcome.failed() > 0) {
			throw new IllegalStateException(id + ": " + outcome.failed() + " writes failed, first: " + outcome.firstError());
		}
	}

	private void environment() {
		Runtime runtime = Runtime.getRuntime();
		Map<String, Object> env = this.report.environment;
		env.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		env.put("benchmark process", ProcessHandle.current().pid());
		env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		env.put("cpus", runtime.availableProcessors());
		env.put("max heap", (runtime.maxMemory() >> 20) + " MiB");
		env.put("jvm args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		env.put("source", git());
		env.put("load average at start", String.format(Locale.ROOT, "%.2f",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		env.put("objects", OBJECTS);
		env.put("runs", RUNS);
		env.put("write concurrency", CONCURRENCY);
		env.put("timed run length", RUN_TIME.toSeconds() + " s");
	}

	/** The commit and whether the emulator sources differ from it (read-only git commands). */
	private static String git() {
		try {
			String commit = command("git", "rev-parse", "--short", "HEAD");
			String changed = command("git", "status", "--porcelain", "--", "../../emulator/src/main");
			long files = changed.lines().filter((l) -> !l.isBlank()).count();
			return "commit " + commit + ((files > 0) ? " + " + files + " uncommitted change(s) in emulator/src/main" : "");
		}
		catch (Exception ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private static String command(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
		process.waitFor(10, TimeUnit.SECONDS);
		return out;
	}

	private double elapsedSeconds() {
		return (System.nanoTime() - this.started) / 1e9;
	}

	private void log(String message) {
		System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", elapsedSeconds(), message);
	}
}
