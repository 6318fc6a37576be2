package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar, as the README runs it: it serves until killed and writes a kubeconfig kubectl uses as is.
 * Runs in the integration-test phase, after the jar is packaged.
 */
class StandaloneEmulatorIT {

	@TempDir
	Path workDir;

	@Test
	@DisplayName("java -jar …-standalone.jar --port 0 --kubeconfig FILE serves kubectl until killed")
	void standaloneJarServesKubectl() throws Exception {
		Path kubeconfig = this.workDir.resolve("kubeconfig");
		Path output = this.workDir.resolve("emulator.out");
		Process emulator = java("--port", "0", "--kubeconfig", kubeconfig.toString()).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> read(output).contains("kubeconfig: " + kubeconfig.toAbsolutePath()));
			assertThat(read(output)).contains("kube-api-emulator listening on http://127.0.0.1:");
			try (Kubectl kubectl = Kubectl.forKubeconfig(kubeconfig, this.workDir.resolve("kubectl"))) {
				assertThat(kubectl.run("get", "namespaces", "-o", "name").assertSuccess().stdoutLines())
					.contains("namespace/default", "namespace/kube-system");
				kubectl.run("create", "configmap", "standalone", "--from-literal=k=v").assertSuccess();
				assertThat(kubectl.run("get", "configmap", "standalone", "-o", "jsonpath={.data.k}")
					.assertSuccess()
					.stdout()).isEqualTo("v");
			}
			assertThat(emulator.isAlive()).isTrue();
		}
		finally {
			emulator.destroy();
			assertThat(emulator.waitFor(20, TimeUnit.SECONDS)).as("emulator stops when killed").isTrue();
		}
	}

	@Test
	@DisplayName("an unknown option exits with status 2 and the usage")
	void unknownOptionExitsWithUsage() throws Exception {
		Process emulator = java("--bogus").redirectErrorStream(true).start();
		String out = new String(emulator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(emulator.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(emulator.exitValue()).isEqualTo(2);
		assertThat(out).contains("unknown option --bogus").contains("usage:");
	}

	private static ProcessBuilder java(String... args) {
		String jar = System.getProperty("emulator.standalone.jar");
		assertThat(jar).as("system property emulator.standalone.jar (set by the build)").isNotNull();
		assertThat(Path.of(jar)).as("the standalone jar; run 'mvn verify' so it is packaged first").exists();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar));
		command.addAll(List.of(args));
		return new ProcessBuilder(command);
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
	}
}
