package io.github.kubecontroller.benchmarks.peers;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.kubecontroller.benchmarks.contender.ControlChannel;

/**
 * A running contender JVM and the benchmark's end of its control channel: commands go to its standard input, answers
 * come back as {@code @bench} lines on its standard output. Its other output goes to log files.
 */
final class ContenderProcess implements AutoCloseable {

	/** One answer line: the command it answers, its values, and when it arrived. */
	record Answer(String command, Map<String, String> values, long receivedNanos) {

		long number(String key) {
			String value = this.values.get(key);
			if (value == null) {
				throw new IllegalStateException("answer to '" + this.command + "' has no " + key + ": " + this.values);
			}
			return Long.parseLong(value);
		}
	}

	private final Process process;

	private final PrintWriter commands;

	private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();

	private final Path log;

	final long startedNanos;

	private ContenderProcess(Process process, Path log, long startedNanos) {
		this.process = process;
		this.log = log;
		this.startedNanos = startedNanos;
		this.commands = new PrintWriter(new BufferedWriter(
				new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)), true);
		Thread reader = new Thread(this::readAnswers, "bench-contender-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Forks the contender: {@code java <jvmArgs> -D<settings> -cp <its class path> <main>}, logging to
	 * {@code <logs>/<name>.stdout.log} and {@code .stderr.log}.
	 */
	static ContenderProcess start(Contender contender, Path benchmarksDirectory, List<String> jvmArgs,
			Map<String, String> settings, Path logs, String name) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
		contender.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
		command.add("-cp");
		command.add(contender.classPath(benchmarksDirectory));
		command.add(contender.mainClass());
		Files.createDirectories(logs);
		Path log = logs.resolve(name + ".stdout.log");
		ProcessBuilder builder = new ProcessBuilder(command)
			.redirectError(logs.resolve(name + ".stderr.log").toFile());
		long started = System.nanoTime();
		return new ContenderProcess(builder.start(), log, started);
	}

	private void readAnswers() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter file = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith(ControlChannel.PREFIX)) {
					this.answers.add(parse(line.substring(ControlChannel.PREFIX.length()), System.nanoTime()));
				}
				else {
					file.write(line);
					file.newLine();
					file.flush();
				}
			}
		}
		catch (IOException ex) {
			// The process ended; waiting callers time out with the log's tail.
		}
	}

	private static Answer parse(String text, long receivedNanos) {
		String[] parts = text.trim().split(" ");
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			int equals = parts[i].indexOf('=');
			if (equals > 0) {
				values.put(parts[i].substring(0, equals), parts[i].substring(equals + 1));
			}
		}
		return new Answer(parts[0], values, receivedNanos);
	}

	/** Waits for the contender's ready line. */
	Answer awaitReady(long timeoutSeconds) throws InterruptedException {
		return awaitAnswer("ready", timeoutSeconds);
	}

	/** Sends a command and waits for its answer. */
	Answer request(String command, long timeoutSeconds) throws InterruptedException {
		this.commands.println(command);
		return awaitAnswer(command, timeoutSeconds);
	}

	Answer request(String command) throws InterruptedException {
		return request(command, 120);
	}

	private Answer awaitAnswer(String command, long timeoutSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		while (true) {
			long left = deadline - System.nanoTime();
			Answer answer = (left > 0) ? this.answers.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)
					: null;
			if (answer != null && answer.command().equals(command)) {
				if (answer.values().containsKey("error")) {
					throw new IllegalStateException("contender answered " + command + " with " + answer.values());
				}
				return answer;
			}
			if (answer == null && (!this.process.isAlive() || left <= 0)) {
				throw new IllegalStateException("no answer to '" + command + "' from the contender ("
						+ (this.process.isAlive() ? "timed out after " + timeoutSeconds + " s" : "it exited with "
								+ this.process.exitValue())
						+ "); see " + this.log + " and its .stderr.log");
			}
		}
	}

	/** CPU time the contender process has used so far, in nanoseconds. */
	long cpuNanos() throws InterruptedException {
		return request("cpu").number("nanos");
	}

	/** The contender's reconcile counters. */
	Answer stats() throws InterruptedException {
		return request("stats");
	}

	/** Stops the contender gracefully, forcibly after 30 s. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.commands.println("exit");
			try {
				if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}
}
