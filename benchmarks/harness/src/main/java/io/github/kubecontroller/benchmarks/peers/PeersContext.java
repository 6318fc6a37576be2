package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What every run shares: the options, the report, the log directory, and how a contender is started. */
final class PeersContext {

	final PeersOptions options;

	final PeersReport report = new PeersReport();

	final Path logs;

	private final long started = System.nanoTime();

	PeersContext(PeersOptions options) {
		this.options = options;
		this.logs = options.output().resolve("peers-logs");
	}

	/**
	 * Forks {@code contender} against {@code cluster}'s emulator, running the {@code kind} controller ({@code bench}
	 * or {@code configmap}), with the resync period asked for ({@code 0}: the runtime's default).
	 */
	ContenderProcess start(BenchCluster cluster, Contender contender, String kind, int resyncSeconds, String name)
			throws IOException {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("bench.masterUrl", cluster.baseUrl());
		settings.put("bench.token", BenchCluster.CONTENDER_TOKEN);
		settings.put("bench.kind", kind);
		settings.put("bench.concurrency", Integer.toString(this.options.concurrency()));
		settings.put("bench.resyncSeconds", Integer.toString(resyncSeconds));
		return ContenderProcess.start(contender, this.options.benchmarksDirectory(), this.options.contenderJvmArgs(),
				settings, this.logs, name.replace('+', '_'));
	}

	double elapsedSeconds() {
		return (System.nanoTime() - this.started) / 1e9;
	}

	void log(String message) {
		System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", elapsedSeconds(), message);
	}

	void log(String format, Object... args) {
		log(String.format(Locale.ROOT, format, args));
	}
}
