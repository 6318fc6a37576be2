package io.github.kubecontroller.emulator.kubectl;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.github.kubecontroller.emulator.KubeApiEmulator;

/**
 * Runs the real kubectl against an emulator, isolated from the machine's own Kubernetes configuration: a fresh
 * {@code HOME}, a kubeconfig written by {@link KubeApiEmulator#writeKubeconfig(Path)} passed with {@code --kubeconfig},
 * a private {@code --cache-dir}, and a minimal environment (only {@code PATH}, {@code HOME} and {@code LC_ALL}).
 *
 * <p>
 * {@link #run(String...)} waits for the command with a hard timeout ({@link #COMMAND_TIMEOUT}); a command that does not
 * end in time is destroyed and the test fails with what it printed. {@link #start(String...)} runs a command in the
 * background (for {@code get -w}, or a {@code delete} that waits for finalizers); its output lines can be awaited.
 *
 * <p>
 * kubectl is taken from the {@code KUBECTL} environment variable (a path, or a name looked up on {@code PATH}), else
 * from {@code PATH}. When none is found, tests fail (they are not skipped) with instructions.
 */
public final class Kubectl implements AutoCloseable {

	/** The longest a single foreground kubectl command may take. */
	public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	/** The longest an awaited condition (output line, exit, server state) may take. */
	public static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final Path executable;

	private final Path workDir;

	private final Path home;

	private final Path kubeconfig;

	private final Path cacheDir;

	private final String namespace;

	private final List<Background> started;

	private final AtomicInteger fileCounter;

	private Kubectl(Path executable, Path workDir, Path home, Path kubeconfig, Path cacheDir, String namespace,
			List<Background> started, AtomicInteger fileCounter) {
		this.executable = executable;
		this.workDir = workDir;
		this.home = home;
		this.kubeconfig = kubeconfig;
		this.cacheDir = cacheDir;
		this.namespace = namespace;
		this.started = started;
		this.fileCounter = fileCounter;
	}

	/**
	 * A kubectl for {@code emulator}, keeping its home, kubeconfig, cache and files under {@code workDir}.
	 * @throws AssertionError when no kubectl can be found
	 */
	public static Kubectl forEmulator(KubeApiEmulator emulator, Path workDir) {
		return forKubeconfig(emulator.writeKubeconfig(workDir.resolve("kubeconfig.yaml")), workDir);
	}

	/**
	 * A kubectl for the cluster of an existing kubeconfig file, keeping its home, cache and files under
	 * {@code workDir}.
	 * @throws AssertionError when no kubectl can be found
	 */
	public static Kubectl forKubeconfig(Path kubeconfig, Path workDir) {
		Path executable = locateExecutable();
		try {
			Path home = Files.createDirectories(workDir.resolve("home"));
			Path cacheDir = Files.createDirectories(workDir.resolve("kube-cache"));
			Files.createDirectories(workDir.resolve("files"));
			Files.createDirectories(workDir.resolve("logs"));
			return new Kubectl(executable, workDir, home, kubeconfig, cacheDir, null, new CopyOnWriteArrayList<>(),
					new AtomicInteger());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot prepare the kubectl work directory " + workDir, ex);
		}
	}

	/** The same kubectl (same home, cache and background processes) with {@code --namespace} set. */
	public Kubectl inNamespace(String namespace) {
		return new Kubectl(this.executable, this.workDir, this.home, this.kubeconfig, this.cacheDir, namespace,
				this.started, this.fileCounter);
	}

	/** The kubectl executable in use. */
	public Path executable() {
		return this.executable;
	}

	/** Writes {@code content} to a new file (for {@code -f}) and returns its path. */
	public Path writeFile(String name, String content) {
		Path file = this.workDir.resolve("files").resolve(this.fileCounter.incrementAndGet() + "-" + name);
		try {
			return Files.writeString(file, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write " + file, ex);
		}
	}

	/** Runs kubectl with {@code args} and waits for it (at most {@link #COMMAND_TIMEOUT}). */
	public Result run(String... args) {
		return runWithInput(null, args);
	}

	/** Runs kubectl with {@code args}, feeding {@code stdin} (may be null) to it, and waits for it. */
	public Result runWithInput(String stdin, String... args) {
		List<String> command = command(args);
		int id = this.fileCounter.incrementAndGet();
		Path out = this.workDir.resolve("logs").resolve(id + ".stdout");
		Path err = this.workDir.resolve("logs").resolve(id + ".stderr");
		ProcessBuilder builder = processBuilder(command);
		builder.redirectOutput(out.toFile());
		builder.redirectError(err.toFile());
		builder.redirectInput(ProcessBuilder.Redirect.PIPE);
		Process process = startProcess(builder, command);
		try {
			try (OutputStream input = process.getOutputStream()) {
				if (stdin != null) {
					input.write(stdin.getBytes(StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				// kubectl may not read its input at all; nothing to do.
			}
			if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				destroyTree(process);
				throw new AssertionError("kubectl did not finish within " + COMMAND_TIMEOUT.toSeconds()
						+ " s and was killed: " + String.join(" ", command) + "\n--- stdout ---\n" + read(out)
						+ "\n--- stderr ---\n" + read(err));
			}
			return new Result(command, process.exitValue(), read(out), read(err));
		}
		catch (InterruptedException ex) {
			destroyTree(process);
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted while running " + String.join(" ", command), ex);
		}
	}

	/**
	 * Starts kubectl with {@code args} in the background. Close the returned handle (or this Kubectl) to stop it.
	 */
	public Background start(String... args) {
		List<String> command = command(args);
		ProcessBuilder builder = processBuilder(command);
		builder.redirectInput(ProcessBuilder.Redirect.PIPE);
		Process process = startProcess(builder, command);
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// ignored: stdin is not used
		}
		Background background = new Background(command, process);
		this.started.add(background);
		return background;
	}

	/** Stops every background kubectl still running. */
	@Override
	public void close() {
		for (Background background : this.started) {
			background.stop();
		}
		this.started.clear();
	}

	private List<String> command(String... args) {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		command.add("--kubeconfig=" + this.kubeconfig);
		command.add("--cache-dir=" + this.cacheDir);
		if (this.namespace != null) {
			command.add("--namespace=" + this.namespace);
		}
		command.addAll(Arrays.asList(args));
		return command;
	}

	private ProcessBuilder processBuilder(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.directory(this.workDir.toFile());
		Map<String, String> environment = builder.environment();
		String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
		environment.clear();
		environment.put("PATH", path);
		environment.put("HOME", this.home.toString());
		environment.put("LC_ALL", "C");
		return builder;
	}

	private static Process startProcess(ProcessBuilder builder, List<String> command) {
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new AssertionError("cannot start " + String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "<cannot read " + file + ": " + ex + ">";
		}
	}

	/** Ends {@code process} and whatever it started: TERM first, KILL after 5 s. */
	static void destroyTree(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		process.destroy();
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				descendants.forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			descendants.forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The kubectl to run: {@code $KUBECTL} if set, else the first {@code kubectl} on {@code PATH}.
	 * @throws AssertionError with installation hints when there is none
	 */
	public static Path locateExecutable() {
		String configured = System.getenv("KUBECTL");
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			if (path.getNameCount() == 1 && !path.isAbsolute()) {
				Path onPath = findOnPath(configured);
				if (onPath != null) {
					return onPath;
				}
			}
			if (Files.isRegularFile(path) && Files.isExecutable(path)) {
				return path.toAbsolutePath();
			}
			throw new AssertionError("The KUBECTL environment variable is set to '" + configured
					+ "', which is not an executable file. Point it at a kubectl 1.32 binary, or unset it to use the"
					+ " kubectl on PATH.");
		}
		Path onPath = findOnPath("kubectl");
		if (onPath != null) {
			return onPath;
		}
		throw new AssertionError("""
				kubectl was not found, so the kubectl conformance tests cannot run.
				Install kubectl 1.32 and put it on PATH, for example:
				  curl -LO https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl && install -m 0755 kubectl /usr/local/bin/kubectl
				  (or: gcloud components install kubectl; or your distribution's kubectl package)
				or set the KUBECTL environment variable to the path of a kubectl binary, e.g. KUBECTL=/opt/k8s/kubectl mvn test.
				""" + "PATH was: " + System.getenv("PATH"));
	}

	private static Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/** The outcome of a finished kubectl command. */
	public record Result(List<String> command, int exitCode, String stdout, String stderr) {

		/** Fails unless kubectl exited 0; returns this. */
		public Result assertSuccess() {
			if (this.exitCode != 0) {
				throw new AssertionError("expected exit 0 but got " + this.exitCode + "\n" + describe());
			}
			return this;
		}

		/** Fails if kubectl exited 0; returns this. */
		public Result assertFailure() {
			if (this.exitCode == 0) {
				throw new AssertionError("expected a non-zero exit code\n" + describe());
			}
			return this;
		}

		/** The lines of stdout, without the line ends. */
		public List<String> stdoutLines() {
			return this.stdout.isEmpty() ? List.of() : List.of(this.stdout.split("\\R"));
		}

		/** The command, exit code and output, for assertion messages. */
		public String describe() {
			return "$ " + String.join(" ", this.command) + "\nexit code: " + this.exitCode + "\n--- stdout ---\n"
					+ this.stdout + "\n--- stderr ---\n" + this.stderr;
		}
	}

	/** A kubectl running in the background; stdout is collected line by line, stderr as a whole. */
	public static final class Background implements AutoCloseable {

		private final List<String> command;

		private final Process process;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private final StringBuffer stderr = new StringBuffer();

		private final Thread stdoutReader;

		private final Thread stderrReader;

		Background(List<String> command, Process process) {
			this.command = command;
			this.process = process;
			this.stdoutReader = reader("stdout", process.getInputStream(), this.lines::add);
			this.stderrReader = reader("stderr", process.getErrorStream(),
					(line) -> this.stderr.append(line).append('\n'));
		}

		private Thread reader(String name, InputStream stream, java.util.function.Consumer<String> sink) {
			Thread thread = new Thread(() -> {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(stream, StandardCharsets.UTF_8))) {
					String line;
					while ((line = reader.readLine()) != null) {
						sink.accept(line);
					}
				}
				catch (IOException ex) {
					// the process went away
				}
			}, "kubectl-" + name + "-" + this.process.pid());
			thread.setDaemon(true);
			thread.start();
			return thread;
		}

		/** The stdout lines printed so far. */
		public List<String> lines() {
			return List.copyOf(this.lines);
		}

		/** What was printed on stderr so far. */
		public String stderr() {
			return this.stderr.toString();
		}

		public boolean isAlive() {
			return this.process.isAlive();
		}

		/**
		 * Waits (at most {@link #AWAIT_TIMEOUT}) until the stdout lines satisfy {@code condition}; fails with the
		 * output if they do not, or if kubectl exits first.
		 * @return the lines at that moment
		 */
		public List<String> awaitLines(String description, Predicate<List<String>> condition) {
			try {
				Awaitility.await(description)
					.atMost(AWAIT_TIMEOUT)
					.pollInterval(POLL_INTERVAL)
					.pollDelay(Duration.ZERO)
					.until(() -> condition.test(lines()) || !this.process.isAlive());
			}
			catch (ConditionTimeoutException ex) {
				throw new AssertionError("timed out after " + AWAIT_TIMEOUT.toSeconds() + " s waiting for "
						+ description + "\n" + describe(), ex);
			}
			if (!this.process.isAlive()) {
				joinReaders();
			}
			List<String> now = lines();
			if (!condition.test(now)) {
				throw new AssertionError("kubectl exited before " + description + "\n" + describe());
			}
			return now;
		}

		/** Waits (at most {@link #COMMAND_TIMEOUT}) for kubectl to exit by itself; returns its exit code. */
		public int awaitExit() {
			try {
				if (!this.process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					String state = describe();
					stop();
					throw new AssertionError("kubectl did not exit within " + COMMAND_TIMEOUT.toSeconds()
							+ " s and was killed\n" + state);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted", ex);
			}
			joinReaders();
			return this.process.exitValue();
		}

		/** Stops kubectl (TERM, then KILL) and waits until its output is drained. */
		public void stop() {
			if (this.process.isAlive()) {
				destroyTree(this.process);
			}
			joinReaders();
		}

		@Override
		public void close() {
			stop();
		}

		private void joinReaders() {
			try {
				this.stdoutReader.join(5_000);
				this.stderrReader.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** The command, its state and output, for assertion messages. */
		public String describe() {
			String state = this.process.isAlive() ? "still running" : "exit code: " + this.process.exitValue();
			return "$ " + String.join(" ", this.command) + " &\n" + state + "\n--- stdout ---\n"
					+ String.join("\n", this.lines) + "\n--- stderr ---\n" + this.stderr;
		}
	}
}
