package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One controller runtime in the comparison: its module (whose build writes {@code target/contender.classpath}), its
 * main class, and for this runtime the extra properties of a variant.
 *
 * @param id short id used in tables and file names: {@code a}, {@code b}, {@code c}, or {@code a+variant}
 * @param label what tables call it
 * @param module the contender's directory under {@code benchmarks/}
 * @param mainClass the class to run
 * @param defaultWorkers the runtime's own default number of concurrent reconciles, for the report
 * @param properties extra system properties of a variant (runtime settings), empty for the defaults
 */
record Contender(String id, String label, String module, String mainClass, String defaultWorkers,
		Map<String, String> properties) {

	static final Contender RUNTIME = new Contender("a", "(a) this runtime", "contender-runtime",
			"io.github.kubecontroller.benchmarks.contender.runtime.RuntimeContender", "4 per controller", Map.of());

	static final Contender CLIENT_JAVA = new Contender("b", "(b) client-java", "contender-client-java",
			"io.github.kubecontroller.benchmarks.contender.clientjava.ClientJavaContender",
			"16 per controller (DefaultControllerBuilder)", Map.of());

	static final Contender JOSDK = new Contender("c", "(c) JOSDK 5.3.2", "contender-josdk",
			"io.github.kubecontroller.benchmarks.contender.josdk.JosdkContender",
			"50 shared by all controllers (starter: javaoperatorsdk.concurrent-reconciliation-threads)", Map.of());

	static final List<Contender> ALL = List.of(RUNTIME, CLIENT_JAVA, JOSDK);

	/** This runtime with extra {@code kube.controller.*} properties. */
	static Contender runtimeVariant(String name, Map<String, String> properties) {
		return new Contender("a+" + name, "(a) " + name, RUNTIME.module, RUNTIME.mainClass, RUNTIME.defaultWorkers,
				Map.copyOf(properties));
	}

	boolean isVariant() {
		return !this.properties.isEmpty();
	}

	/** The contender's class path: its classes, then what its module's build listed. */
	String classPath(Path benchmarksDirectory) throws IOException {
		Path target = benchmarksDirectory.resolve(this.module).resolve("target");
		Path listed = target.resolve("contender.classpath");
		if (!Files.isRegularFile(listed)) {
			throw new IllegalStateException(listed + " is missing: build the benchmarks with 'package' first "
					+ "(see benchmarks/README.md)");
		}
		return target.resolve("classes") + java.io.File.pathSeparator
				+ Files.readString(listed, StandardCharsets.UTF_8).trim();
	}
}
