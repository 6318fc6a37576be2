package io.github.kubecontroller.benchmarks.peers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The peers benchmark's options, from system properties; {@code bench.smoke=true} changes the defaults to a run of a
 * minute or two.
 *
 * @param scenarios which of S1 to S7 run ({@code bench.scenarios})
 * @param contenders which contenders run, of {@code a}, {@code b}, {@code c} ({@code bench.contenders})
 * @param variants this runtime with extra properties, run in S4 and S5 ({@code bench.runtimeVariants})
 * @param n object counts of S1 and S4; S5 uses the largest ({@code bench.n})
 * @param concurrency reconciles at once, the same for every contender ({@code bench.concurrency})
 * @param backlogObjects objects of S2, S3, S6 and S7 ({@code bench.s2.objects})
 * @param backlogUpdates spec updates per object in S2 ({@code bench.s2.updates})
 * @param latencyRates updates per second in S3, one measured window each ({@code bench.s3.rate}); the first is the
 * target's
 * @param latencySeconds length of S3, warm-up included ({@code bench.s3.seconds})
 * @param latencyWarmupSeconds the first seconds of S3, not measured ({@code bench.s3.warmup})
 * @param resyncSeconds the resync period asked of every contender in S6 ({@code bench.resyncSeconds})
 * @param resyncObjects objects of the resync part of S6 ({@code bench.s6.objects})
 * @param contenderJvmArgs every contender JVM's options: fixed heap and GC plus {@code bench.contenderJvmArgs}
 * @param output where the report goes ({@code bench.output})
 * @param benchmarksDirectory the {@code benchmarks} directory holding the contender modules ({@code bench.home})
 * @param smoke whether the smoke defaults apply ({@code bench.smoke})
 */
record PeersOptions(Set<String> scenarios, List<Contender> contenders, List<Contender> variants, List<Integer> n,
		int concurrency, int backlogObjects, int backlogUpdates, List<Integer> latencyRates, int latencySeconds,
		int latencyWarmupSeconds, int resyncSeconds, int resyncObjects, List<String> contenderJvmArgs, Path output,
		Path benchmarksDirectory, boolean smoke) {

	/** The same heap and collector for every contender, so that heap figures compare. */
	static final List<String> CONTENDER_JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");

	/**
	 * This runtime's memory options today: managedFields kept (the cost of the default transform's saving), the
	 * compact cache, and a metadata-only informer in place of the controller ({@code bench.configmap.metadata-only=true});
	 * more can be added with {@code bench.runtimeVariants}.
	 */
	static final String DEFAULT_VARIANTS = "keep-managed-fields:kube.controller.informer.drop-managed-fields=false;"
			+ "compact:kube.controller.reconcilers.configmap.cache=COMPACT;metadata-only:bench.configmap.metadata-only=true";

	static PeersOptions fromSystemProperties() {
		boolean smoke = Boolean.parseBoolean(property("bench.smoke", "false"));
		Set<String> scenarios = new LinkedHashSet<>();
		for (String scenario : property("bench.scenarios", "S1,S2,S3,S4,S5,S6,S7").split(",")) {
			if (!scenario.isBlank()) {
				scenarios.add(scenario.trim().toUpperCase(Locale.ROOT));
			}
		}
		List<Contender> contenders = new ArrayList<>();
		for (String id : property("bench.contenders", "a,b,c").split(",")) {
			contenders.add(Contender.ALL.stream()
				.filter((contender) -> contender.id().equals(id.trim()))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("unknown contender " + id + " (a, b or c)")));
		}
		List<Contender> variants = contenders.contains(Contender.RUNTIME)
				? variants(property("bench.runtimeVariants", DEFAULT_VARIANTS)) : List.of();
		List<Integer> n = integers("bench.n", smoke ? "1000,2000" : "10000,50000").stream().sorted().toList();
		List<String> jvm = new ArrayList<>(CONTENDER_JVM);
		String extra = property("bench.contenderJvmArgs", "");
		if (!extra.isBlank()) {
			jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
		}
		return new PeersOptions(scenarios, List.copyOf(contenders), variants, n,
				integer("bench.concurrency", 8), integer("bench.s2.objects", smoke ? 300 : 2000),
				integer("bench.s2.updates", smoke ? 5 : 10), integers("bench.s3.rate", smoke ? "300" : "1000,300"),
				integer("bench.s3.seconds", smoke ? 8 : 30), integer("bench.s3.warmup", smoke ? 3 : 10),
				integer("bench.resyncSeconds", smoke ? 3 : 10), integer("bench.s6.objects", smoke ? 100 : 1000),
				List.copyOf(jvm), Path.of(property("bench.output", "target")),
				Path.of(property("bench.home", "..")).toAbsolutePath().normalize(), smoke);
	}

	/** {@code name:key=value,key=value;name2:...}; {@code none} for no variant. */
	static List<Contender> variants(String spec) {
		List<Contender> variants = new ArrayList<>();
		if (spec.isBlank() || spec.trim().equals("none")) {
			return variants;
		}
		for (String variant : spec.split(";")) {
			int colon = variant.indexOf(':');
			if (colon <= 0) {
				throw new IllegalArgumentException("bench.runtimeVariants: expected name:key=value,... in " + variant);
			}
			Map<String, String> properties = new LinkedHashMap<>();
			for (String pair : variant.substring(colon + 1).split(",")) {
				int equals = pair.indexOf('=');
				if (equals <= 0) {
					throw new IllegalArgumentException("bench.runtimeVariants: expected key=value in " + pair);
				}
				properties.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
			}
			variants.add(Contender.runtimeVariant(variant.substring(0, colon).trim(), properties));
		}
		return variants;
	}

	boolean runs(String scenario) {
		return this.scenarios.contains(scenario);
	}

	int largestN() {
		return this.n.get(this.n.size() - 1);
	}

	/** A property; blank counts as absent, as Maven passes unset options as empty strings. */
	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static List<Integer> integers(String name, String fallback) {
		return Arrays.stream(property(name, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
	}

	private static int integer(String name, int fallback) {
		return Integer.parseInt(property(name, Integer.toString(fallback)));
	}
}
