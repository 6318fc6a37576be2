package io.github.kubecontroller.benchmarks.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One replica of the operator: a JVM running the peers benchmark's contender (a), this runtime's Spring Boot
 * application, with its own identity and bearer token. Its output goes to a log file, which also tells when it has
 * synced: the contender prints its ready line once its controllers stand by or run.
 */
final class Instance {

	final String identity;

	final String user;

	private final Process process;

	private final Path log;

	private Instance(String identity, String user, Process process, Path log) {
		this.identity = identity;
		this.user = user;
		this.process = process;
		this.log = log;
	}

	/** Starts {@code java <jvmArgs> -D<properties> -cp <contender (a)'s class path> <its main>}. */
	static Instance start(String identity, String user, Path benchmarksDirectory, List<String> jvmArgs,
			Map<String, String> properties, Path logs) throws IOException {
		Path target = benchmarksDirectory.resolve("contender-runtime").resolve("target");
		Path classPathFile = target.resolve("contender.classpath");
		if (!Files.isRegularFile(classPathFile)) {
			throw new IllegalStateException(classPathFile + " is missing: build the benchmarks with 'package' first "
					+ "(see benchmarks/README.md)");
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
		command.add("-cp");
		command.add(target.resolve("classes") + java.io.File.pathSeparator
				+ Files.readString(classPathFile, StandardCharsets.UTF_8).trim());
		command.add("io.github.kubecontroller.benchmarks.contender.runtime.RuntimeContender");
		Files.createDirectories(logs);
		Path log = logs.resolve(identity + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new Instance(identity, user, process, log);
	}

	/** Whether its caches have synced: the contender's ready line is in its log. */
	boolean ready() throws IOException {
		return Files.isRegularFile(this.log) && Files.readString(this.log, StandardCharsets.UTF_8).contains("@bench ready");
	}

	/** {@link #ready()}, false when the log cannot be read (yet). */
	boolean readyQuietly() {
		try {
			return ready();
		}
		catch (IOException ex) {
			return false;
		}
	}

	boolean alive() {
		return this.process.isAlive();
	}

	/** Ends the JVM at once (SIGKILL): no shutdown hook runs, nothing is released. */
	void kill() {
		this.process.destroyForcibly();
	}

	/** Asks the JVM to end (SIGTERM): Spring's shutdown hook stops the controllers and releases what they hold. */
	void terminate() {
		this.process.destroy();
	}

	void awaitEnd() throws InterruptedException {
		this.process.waitFor();
	}
}
