package io.github.kubecontroller.benchmarks.contender;

import java.time.Duration;
import java.util.Locale;

/**
 * What the peers benchmark asks of a contender process, given as system properties: where the API server is, which
 * controller to run, how many workers, and how often to resync.
 *
 * @param masterUrl the API server's URL ({@code bench.masterUrl})
 * @param token the bearer token to send ({@code bench.token}); the benchmark tells contenders apart by it
 * @param kind the controller to run ({@code bench.kind}: {@code bench} or {@code configmap})
 * @param concurrency reconciles at once ({@code bench.concurrency})
 * @param resync the periodic resync of every object, {@link Duration#ZERO} for the runtime's default
 * ({@code bench.resyncSeconds})
 */
public record ContenderSettings(String masterUrl, String token, Kind kind, int concurrency, Duration resync) {

	/** The controller a contender runs. */
	public enum Kind {

		/**
		 * Reconciles {@code Bench} custom resources: records the latency carried in {@code spec.message} and writes
		 * {@code status.observedGeneration} when it differs from {@code metadata.generation}.
		 */
		BENCH,

		/** Reconciles ConfigMaps and writes nothing: the cache is what is measured. */
		CONFIGMAP
	}

	/** The custom resource every contender reconciles. */
	public static final String GROUP = "bench.kubecontroller.io";

	/** Its only version. */
	public static final String VERSION = "v1";

	/** Its kind. */
	public static final String KIND = "Bench";

	/** Its plural. */
	public static final String PLURAL = "benches";

	/** The CustomResourceDefinition of {@link #KIND}, with a status subresource, as the benchmarks create it. */
	public static final String CRD = """
			{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
			 "metadata":{"name":"benches.bench.kubecontroller.io"},
			 "spec":{"group":"bench.kubecontroller.io","scope":"Namespaced",
			  "names":{"kind":"Bench","plural":"benches","singular":"bench","listKind":"BenchList"},
			  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
			   "schema":{"openAPIV3Schema":{"type":"object","properties":{
			    "spec":{"type":"object","properties":{"replicas":{"type":"integer"},"message":{"type":"string"}}},
			    "status":{"type":"object","properties":{"observedGeneration":{"type":"integer"}}}}}}}]}}
			""";

	/** The settings of this process. */
	public static ContenderSettings fromSystemProperties() {
		return new ContenderSettings(required("bench.masterUrl"), required("bench.token"),
				Kind.valueOf(System.getProperty("bench.kind", "bench").toUpperCase(Locale.ROOT)),
				Integer.getInteger("bench.concurrency", 8), Duration.ofSeconds(Long.getLong("bench.resyncSeconds", 0)));
	}

	/** Whether a resync period was asked for (otherwise each runtime keeps its own default). */
	public boolean resyncRequested() {
		return !this.resync.isZero();
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("system property " + name + " is required");
		}
		return value;
	}
}
