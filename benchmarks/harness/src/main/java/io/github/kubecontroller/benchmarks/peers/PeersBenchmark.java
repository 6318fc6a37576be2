package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.kubecontroller.benchmarks.peers.PeersReport.TargetResult;

/**
 * This runtime measured against its peers in one run: (a) this runtime, (b) client-java's informer with
 * client-java-extended's DefaultController, (c) Java Operator SDK 5 on fabric8. Each contender runs in its own JVM
 * (same heap and collector), one after the other, each on a fresh in-process emulator; the figures are reported as
 * ratios to (a), since absolute times on a shared machine are noise.
 *
 * <ul>
 * <li>S1 startup: N objects exist; fork to ready, and to every object reconciled once.</li>
 * <li>S2 backlog: M × K spec updates at full speed; time until every status shows the last generation.</li>
 * <li>S3 latency: event to reconcile start at a steady rate, p50 to max.</li>
 * <li>S4 memory: retained heap per cached small ConfigMap.</li>
 * <li>S5 relist: peak live heap during a forced relist, against the steady heap.</li>
 * <li>S6 API load: requests per reconcile in steady state; writes during a resync of unchanged objects.</li>
 * <li>S7 CPU: contender CPU per 10,000 events (in S2 and S3).</li>
 * </ul>
 * Options are system properties, see {@link PeersOptions}; the report goes to {@code <bench.output>/peers-benchmark.md},
 * {@code .json} and {@code peers-*.png}, the contenders' logs to {@code peers-logs/}.
 */
public final class PeersBenchmark {

	private final PeersContext context;

	private final List<String> failures = new ArrayList<>();

	private PeersBenchmark(PeersOptions options) {
		this.context = new PeersContext(options);
	}

	/**
	 * The JDK HTTP server under the emulator closes a connection as it goes idle once 200 others are idle (its
	 * {@code sun.net.httpserver.maxIdleConnections}); a client that reuses it then fails its request. OkHttp retries
	 * such a request, Vert.x (under fabric8, so JOSDK) does not, and JOSDK gives up after 5 retries: objects were left
	 * unreconciled. No real API server closes idle connections that eagerly, so the benchmark raises the limit.
	 */
	static final String MAX_IDLE_CONNECTIONS = "10000";

	public static void main(String[] args) throws Exception {
		if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
			System.setProperty("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
		}
		PeersBenchmark benchmark = new PeersBenchmark(PeersOptions.fromSystemProperties());
		int status = benchmark.run();
		System.exit(status);
	}

	private int run() throws Exception {
		PeersOptions options = this.context.options;
		PeersReport report = this.context.report;
		environment();
		this.context.log("peers benchmark: scenarios %s, contenders %s, N %s%s", options.scenarios(),
				options.contenders().stream().map(Contender::id).toList(), options.n(), options.smoke() ? " (smoke)" : "");
		options.contenders().forEach(report::column);
		options.variants().forEach(report::column);
		if (options.runs("S1")) {
			StartupRun startup = new StartupRun(this.context);
			for (int n : options.n()) {
				for (Contender contender : options.contenders()) {
					attempt("S1 " + contender.id() + " N=" + n, () -> startup.run(contender, n));
				}
			}
		}
		if (options.runs("S2") || options.runs("S3") || options.runs("S6") || options.runs("S7")) {
			WorkloadRun workload = new WorkloadRun(this.context);
			for (Contender contender : options.contenders()) {
				attempt("S2/S3 " + contender.id(), () -> workload.run(contender));
			}
		}
		if (options.runs("S6")) {
			ResyncRun resync = new ResyncRun(this.context);
			for (Contender contender : options.contenders()) {
				attempt("S6 resync " + contender.id(), () -> resync.run(contender));
			}
		}
		if (options.runs("S4") || options.runs("S5")) {
			MemoryRun memory = new MemoryRun(this.context);
			List<Contender> all = new ArrayList<>(options.contenders());
			all.addAll(options.variants());
			for (Contender contender : all) {
				attempt("S4/S5 " + contender.id(), () -> memory.run(contender));
			}
		}
		targets();
		notes();
		report.environment.put("total run time", String.format(Locale.ROOT, "%.0f s", this.context.elapsedSeconds()));
		if (!this.failures.isEmpty()) {
			report.environment.put("failed runs", this.failures);
		}
		report.write(options.output());
		List<Path> charts = List.of();
		try {
			charts = Charts.write(report, options.output());
		}
		catch (RuntimeException ex) {
			// A plot that cannot be drawn must not cost the run its report.
			this.context.log("plots not written: %s", ex);
		}
		System.out.println();
		System.out.println(report.markdown());
		this.context.log("wrote %s, .json and %s", options.output().resolve("peers-benchmark.md"),
				charts.stream().map((p) -> p.getFileName().toString()).toList());
		return this.failures.isEmpty() ? 0 : 1;
	}

	interface Step {

		void run() throws Exception;
	}

	/** Runs one contender's run; a failure is reported and the benchmark goes on with the next. */
	private void attempt(String what, Step step) {
		try {
			step.run();
		}
		catch (Exception ex) {
			this.failures.add(what + ": " + ex.getMessage());
			this.context.report.note("failures", what + ": " + ex);
			this.context.log("%s FAILED: %s", what, ex);
			ex.printStackTrace(System.out);
		}
	}

	// ---------------------------------------------------------------- targets

	/** The variant of (a) that caches the ConfigMaps metadata-only, when it runs. */
	static final String METADATA_ONLY = "a+metadata-only";

	private void targets() {
		PeersOptions options = this.context.options;
		PeersReport report = this.context.report;
		String memory = String.format(Locale.ROOT, "retained heap per cached small ConfigMap, N=%,d", options.largestN());
		// The default settings, then each memory option of (a) (its variants but keep-managed-fields, which only
		// costs memory).
		List<String> ours = new java.util.ArrayList<>(List.of("a"));
		options.variants().stream()
			.map(Contender::id)
			.filter((id) -> !id.equals("a+keep-managed-fields") && !id.equals(METADATA_ONLY))
			.forEach(ours::add);
		for (String id : ours) {
			for (String peer : List.of("b", "c")) {
				Double a = report.get("S4", memory, id);
				Double other = report.get("S4", memory, peer);
				if (a != null && other != null) {
					String which = id.equals("a") ? "" : " (" + id + ")";
					report.targets.add(atMost("S4: bytes per cached small ConfigMap" + which + " ≤ 0.5× (" + peer + ")",
							String.format(Locale.ROOT, "%.0f B vs %.0f B = %.2f×", a, other, a / other), a / other,
							0.5));
				}
			}
		}
		Double full = report.get("S4", memory, "a");
		Double metadataOnly = report.get("S4", memory, METADATA_ONLY);
		if (full != null && metadataOnly != null) {
			report.targets.add(atMost("S4: bytes per cached small ConfigMap metadata-only ≤ 0.25× of (a) full",
					String.format(Locale.ROOT, "%.0f B vs %.0f B = %.2f×", metadataOnly, full, metadataOnly / full),
					metadataOnly / full, 0.25));
		}
		String backlog = report.figures.stream()
			.filter((f) -> f.scenario.equals("S2") && f.metric.startsWith("backlog drained"))
			.map((f) -> f.metric)
			.findFirst()
			.orElse(null);
		for (String[] peer : new String[][] { { "c", "2" }, { "b", "1.2" } }) {
			Double a = (backlog == null) ? null : report.get("S2", backlog, "a");
			Double other = (backlog == null) ? null : report.get("S2", backlog, peer[0]);
			if (a != null && other != null) {
				double bound = Double.parseDouble(peer[1]);
				report.targets.add(atLeast("S2: backlog drained ≥ " + peer[1] + "× faster than (" + peer[0] + ")",
						String.format(Locale.ROOT, "%.2f s vs %.2f s = %.2f× faster", a, other, other / a), other / a,
						bound));
			}
		}
		int targetRate = options.latencyRates().get(0);
		String p99 = String.format(Locale.ROOT, "event → reconcile start, p99 at %,d events/s", targetRate);
		Double latency = report.get("S3", p99, "a");
		if (latency != null) {
			report.targets.add(atMost(String.format(Locale.ROOT, "S3: p99 ≤ 50 ms at %,d events/s", targetRate),
					String.format(Locale.ROOT, "%.1f ms", latency), latency, 50));
		}
		report.figures.stream()
			.filter((f) -> f.scenario.equals("S6") && f.metric.startsWith("writes during the resync window"))
			.findFirst()
			.map((f) -> f.value("a"))
			.ifPresent((writes) -> report.targets.add(new TargetResult("S6: zero writes during a resync of unchanged objects",
					String.format(Locale.ROOT, "%.0f writes", writes), (writes == 0) ? "met" : "MISSED",
					(writes == 0) ? "—" : String.format(Locale.ROOT, "%.0f writes too many", writes))));
		Double relist = report.get("S5", "relist peak ÷ steady heap", "a");
		if (relist != null) {
			report.targets.add(atMost("S5: relist peak ≤ 1.5× the steady-state heap",
					String.format(Locale.ROOT, "%.2f×", relist), relist, 1.5));
		}
	}

	private static TargetResult atMost(String target, String measured, double value, double bound) {
		boolean met = value <= bound;
		String margin = met ? String.format(Locale.ROOT, "%.0f %% below the bound", (bound - value) / bound * 100)
				: String.format(Locale.ROOT, "%.0f %% above the bound", (value - bound) / bound * 100);
		return new TargetResult(target, measured, met ? "met" : "MISSED", margin);
	}

	private static TargetResult atLeast(String target, String measured, double value, double bound) {
		boolean met = value >= bound;
		String margin = met ? String.format(Locale.ROOT, "%.0f %% above the bound", (value - bound) / bound * 100)
				: String.format(Locale.ROOT, "%.0f %% short of the bound", (bound - value) / bound * 100);
		return new TargetResult(target, measured, met ? "met" : "MISSED", margin);
	}

	// ---------------------------------------------------------------- environment and method notes

	private void notes() {
		PeersOptions options = this.context.options;
		PeersReport report = this.context.report;
		report.note("method", "each contender runs alone in its own JVM (" + String.join(" ", options.contenderJvmArgs())
				+ "), on a fresh in-process emulator; the emulator, the benchmark's writers and its status watch share "
				+ "the benchmark's JVM; all on the same machine");
		report.note("method", "workers: " + options.concurrency() + " for every contender; the runtimes' own defaults: "
				+ String.join("; ", Contender.ALL.stream().map((c) -> c.label() + " " + c.defaultWorkers()).toList()));
		report.note("method", "heap = used bytes of all heap pools after System.gc() (the smallest of 4 readings, "
				+ "100 ms apart); S5's peak = the largest such reading while the contender forces a full GC every 50 ms "
				+ "during the relist, until the contender watches again (at least max(8 s, N/4,000 s)), or the heap read "
				+ "right after if larger (the relist slows down; the peak of live data is what is measured)");
		report.note("method", "API requests are the emulator's audit counters of the contender's user (its own bearer "
				+ "token); watches are counted apart and left out of 'requests'");
		report.note("method", "the emulator's JDK HTTP server runs with sun.net.httpserver.maxIdleConnections="
				+ System.getProperty("sun.net.httpserver.maxIdleConnections") + " (JDK default 200, under which it closed "
				+ "connections fabric8's Vert.x client then reused: 'Connection was closed' on status patches, retried by "
				+ "JOSDK at most 5 times, leaving objects unreconciled)");
		report.note("S1", "time from the fork of the JVM: JVM start, class loading and (a)'s Spring context are "
				+ "included, as a restart would include them");
		report.note("S3", "latency = the contender's clock at reconcile start − the send time the benchmark wrote into "
				+ "spec.message just before sending the update; it includes the API server's write and watch delivery "
				+ "(the same emulator for all); a reconcile that coalesced several updates of one object records the "
				+ "latest; the first " + options.latencyWarmupSeconds() + " s are not measured");
		report.note("S6", "resync: (a) kube.controller.reconcilers.bench.resync-period (a requeue of every object), "
				+ "(b) the informer's and the watch's resync period (resync events pass its update filter), "
				+ "(c) maxReconciliationInterval (JOSDK has no informer resync setting; a re-reconcile after the interval)");
	}

	private void environment() {
		PeersOptions options = this.context.options;
		Map<String, Object> env = this.context.report.environment;
		env.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		env.put("cpus", Runtime.getRuntime().availableProcessors());
		env.put("load average at start", String.format(Locale.ROOT, "%.2f",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		env.put("benchmark JVM", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		env.put("contender JVM", String.join(" ", options.contenderJvmArgs()));
		env.put("source", git());
		env.put("scenarios", String.join(",", options.scenarios()));
		env.put("N (S1, S4; S5 at the largest)", options.n());
		env.put("workers (every contender)", options.concurrency());
		env.put("S2", String.format(Locale.ROOT, "%,d objects × %d updates", options.backlogObjects(),
				options.backlogUpdates()));
		env.put("S3", String.format(Locale.ROOT, "%s events/s over %,d objects for %d s each (first %d s not measured)",
				options.latencyRates(), options.backlogObjects(), options.latencySeconds(), options.latencyWarmupSeconds()));
		env.put("S6 resync", String.format(Locale.ROOT, "%,d objects, period %d s", options.resyncObjects(),
				options.resyncSeconds()));
		for (Contender contender : Contender.ALL) {
			env.put(contender.label(), libraries(contender));
		}
		if (!options.variants().isEmpty()) {
			env.put("variants of (a) in S4/S5", options.variants().stream()
				.map((v) -> v.label() + " " + v.properties())
				.toList());
		}
	}

	/** The main libraries on a contender's class path, with their versions, read from the jar names. */
	private String libraries(Contender contender) {
		try {
			String classPath = contender.classPath(this.context.options.benchmarksDirectory());
			List<String> found = new ArrayList<>();
			Pattern jar = Pattern.compile("(operator-framework-core|kubernetes-client-api|vertx-core|client-java|"
					+ "client-java-extended|spring-boot|kube-controller-spring-boot-autoconfigure|okhttp-jvm|gson|"
					+ "jackson-databind)-(\\d[^/]*)\\.jar$");
			for (String entry : classPath.split(java.io.File.pathSeparator)) {
				Matcher matcher = jar.matcher(entry);
				if (matcher.find()) {
					found.add(matcher.group(1) + " " + matcher.group(2));
				}
			}
			return String.join(", ", found);
		}
		catch (IOException | RuntimeException ex) {
			return "class path unavailable: " + ex.getMessage();
		}
	}

	/** The commit and whether the runtime's or the benchmarks' sources differ from it (read-only git commands). */
	private static String git() {
		try {
			String commit = command("git", "rev-parse", "--short", "HEAD");
			String changed = command("git", "status", "--porcelain", "--", "../../autoconfigure/src/main", "..");
			long files = changed.lines().filter((line) -> !line.isBlank()).count();
			return "commit " + commit + ((files > 0) ? " + " + files + " uncommitted change(s)" : "");
		}
		catch (Exception ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private static String command(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		process.waitFor(10, TimeUnit.SECONDS);
		return out;
	}
}
