package com.example.operator.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.EmulatedKubernetes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Runs the kubectl lines of the README's shell blocks, in order, against the quickstart operator on an emulator:
 * the real {@code kubectl} (from {@code $KUBECTL} or the {@code PATH}) as the user would type them, from this module's
 * directory (so that {@code target/kube-controller/rbac.yaml}, written by the build before the tests, and
 * {@code deploy/operator.yaml} are there). A {@code get} may be typed before the operator has acted, so it is
 * repeated until it succeeds or 30 seconds pass.
 */
// A property of its own gives this test its own context, so its emulator starts empty as the README's does.
@SpringBootTest(properties = "logging.level.com.example.operator.readme=INFO")
@EmulatedKubernetes
class ReadmeKubectlTest {

	private static final String README_KUBECONFIG = "--kubeconfig target/kubeconfig";

	@Autowired
	EmulatedCluster cluster;

	@Test
	void kubectlLinesWorkAgainstTheOperator() throws Exception {
		Readme readme = Readme.load();
		Path kubeconfig = cluster.emulator().writeKubeconfig(Path.of("target", "readme-kubeconfig").toAbsolutePath());
		List<String> lines = readme.snippets("shell").stream().flatMap(snippet -> snippet.text().stream())
				.filter(line -> line.startsWith("kubectl "))
				.toList();
		assertThat(lines).as("kubectl lines in the README's quickstart").isNotEmpty()
			.anyMatch(line -> line.contains("rbac.yaml"));
		for (String line : lines) {
			assertThat(line).as("a README kubectl line must end by itself").doesNotContain(" -w");
			List<String> command = new ArrayList<>(List.of(kubectl()));
			command.addAll(List.of(line.replace(README_KUBECONFIG, "").substring("kubectl".length()).trim().split("\\s+")));
			command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
			if (command.get(1).equals("get")) {
				Awaitility.await(line).atMost(Duration.ofSeconds(30)).until(() -> run(command).exitCode() == 0);
			} else {
				Outcome outcome = run(command);
				assertThat(outcome.exitCode()).as(line + "\n" + outcome.output()).isZero();
			}
		}
	}

	private record Outcome(int exitCode, String output) {
	}

	private static Outcome run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Outcome(-1, "timed out");
		}
		return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	private static String kubectl() {
		String configured = System.getenv("KUBECTL");
		return configured == null || configured.isBlank() ? "kubectl" : configured;
	}
}
