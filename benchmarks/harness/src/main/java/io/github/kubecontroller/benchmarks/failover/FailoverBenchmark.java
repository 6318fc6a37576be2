package io.github.kubecontroller.benchmarks.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * How long the operator is without a working replica when one goes away: replicas of contender (a), this runtime's
 * Spring Boot application, against one emulator, at the runtime's default durations (15 s lease, 10 s renew
 * deadline, 2 s retry).
 *
 * <p>With leader election (three replicas, a load changing a Bench every 5 ms), each round ends the leader once
 * abruptly ({@code SIGKILL}: nothing is released, the others must wait for the Lease to expire) and once gracefully
 * ({@code SIGTERM}: Spring's shutdown hook stops the controllers and releases the Lease), and measures from that
 * moment until another replica holds the Lease and until its first reconcile (its first status write, as the
 * emulator's audit counts them per user: each replica has a token of its own); then starts a replacement. With
 * sharding (three replicas, 16 shards), each round kills one replica and measures until the others hold all its
 * shards and until a Bench of each of those shards, changed at the kill, is reconciled. Writes
 * {@code target/failover-benchmark.md}.
 *
 * <p>Run with {@code ./mvnw -q -pl benchmarks/harness -am -Dmaven.test.skip=true -Pfailover-benchmark package}
 * (options through {@code -Dbench.jvmArgs}: {@code -Dfailover.rounds=3}, {@code -Dfailover.objects=1000},
 * {@code -Dfailover.modes=leader-election,sharding}).
 */
public final class FailoverBenchmark {

	private static final String NAMESPACE = "bench";

	private static final String LEASE = "bench-leader";

	private static final String HARNESS_TOKEN = "harness-token";

	private static final Duration DEADLINE = Duration.ofSeconds(90);

	/** One measured handover. */
	record Handover(String how, String from, String to, double leaseTakenSeconds, double firstReconcileSeconds) {
	}

	private final KubeApiEmulator emulator;

	private final Path benchmarksDirectory;

	private final Path output;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	private final List<Instance> instances = new ArrayList<>();

	private int nextReplica;

	private FailoverBenchmark(KubeApiEmulator emulator, Path benchmarksDirectory, Path output) {
		this.emulator = emulator;
		this.benchmarksDirectory = benchmarksDirectory;
		this.output = output;
	}

	public static void main(String[] args) throws Exception {
		int rounds = Integer.getInteger("failover.rounds", 3);
		int objects = Integer.getInteger("failover.objects", 1000);
		List<String> modes = List.of(System.getProperty("failover.modes", "leader-election,sharding").split(","));
		Path benchmarksDirectory = Path.of(System.getProperty("bench.home", "..")).toAbsolutePath().normalize();
		Path output = Path.of(System.getProperty("bench.output", "target"));
		KubeApiEmulator emulator = KubeApiEmulator.builder().historyMaxEvents(400_000).build().start();
		emulator.accessControl().token(HARNESS_TOKEN, "harness").allow("harness", AccessRule.all()).enable();
		FailoverBenchmark benchmark = new FailoverBenchmark(emulator, benchmarksDirectory, output);
		try {
			benchmark.run(modes, rounds, objects);
		}
		finally {
			benchmark.instances.forEach(Instance::kill);
			emulator.stop();
		}
		System.exit(0);
	}

	private void run(List<String> modes, int rounds, int objects) throws Exception {
		expect(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
				ContenderSettings.CRD), 201);
		expect(send("POST", "/api/v1/namespaces", "application/json",
				"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}"), 201);
		for (int i = 0; i < objects; i++) {
			expect(send("POST", benchPath(), "application/json",
					"{\"apiVersion\":\"bench.kubecontroller.io/v1\",\"kind\":\"Bench\",\"metadata\":{\"name\":\""
							+ name(i) + "\"},\"spec\":{\"replicas\":1,\"message\":\"hello\"}}"), 201);
		}
		StringBuilder report = new StringBuilder("# Failover benchmark\n");
		if (modes.contains("leader-election")) {
			report.append(leaderElection(rounds, objects));
		}
		if (modes.contains("sharding")) {
			report.append(sharding(rounds, objects));
		}
		Files.createDirectories(this.output);
		Files.writeString(this.output.resolve("failover-benchmark.md"), report, StandardCharsets.UTF_8);
		System.out.println(report);
	}

	private String leaderElection(int rounds, int objects) throws Exception {
		this.sharded = false;
		for (int i = 0; i < 3; i++) {
			startReplica();
		}
		await("three replicas synced", () -> instances.stream().allMatch(Instance::readyQuietly));
		await("a leader", () -> leaseHolder() != null);
		System.out.printf(Locale.ROOT, "failover: %d replicas, %d Benches, leader %s%n", instances.size(), objects,
				leaseHolder());

		AtomicBoolean loading = new AtomicBoolean(true);
		Thread load = new Thread(() -> changeBenches(objects, loading), "failover-load");
		load.start();
		List<Handover> handovers = new ArrayList<>();
		try {
			for (int round = 1; round <= rounds; round++) {
				handovers.add(handover(true));
				handovers.add(handover(false));
			}
		}
		finally {
			loading.set(false);
			load.join();
			stopAll();
		}
		return report(handovers, objects);
	}

	/**
	 * Three sharded replicas (16 shards); each round kills one ({@code SIGKILL}), changes one Bench of each of its
	 * shards at that moment, and measures until the others hold all its shards and until each of those Benches is
	 * reconciled; then starts a replacement and waits for the shards to be balanced again.
	 */
	private String sharding(int rounds, int objects) throws Exception {
		this.sharded = true;
		for (int i = 0; i < 3; i++) {
			startReplica();
		}
		await("three replicas synced", () -> instances.stream().allMatch(Instance::readyQuietly));
		List<ShardMove> moves = new ArrayList<>();
		try {
			for (int round = 1; round <= rounds; round++) {
				await("16 shards balanced over three replicas", () -> balanced(shardHolders()));
				Map<Integer, String> before = shardHolders();
				Instance victim = this.instances.get(0);
				List<Integer> its = new ArrayList<>();
				before.forEach((shard, holder) -> {
					if (holder.equals(victim.identity)) {
						its.add(shard);
					}
				});
				long killed = System.nanoTime();
				victim.kill();
				this.instances.remove(victim);
				// One Bench per moved shard gets a new generation now; only the shard's new holder can reconcile it.
				Map<String, Long> changed = new LinkedHashMap<>();
				for (int shard : its) {
					String name = firstBenchOf(shard, objects);
					JsonNode patched = this.json.readTree(send("PATCH", benchPath() + "/" + name,
							"application/merge-patch+json", "{\"spec\":{\"message\":\"moved-" + round + "\"}}").body());
					changed.put(name, patched.path("metadata").path("generation").asLong());
				}
				long shardsMoved = 0;
				long reconciled = 0;
				long deadline = killed + DEADLINE.toNanos();
				while ((shardsMoved == 0 || reconciled == 0) && System.nanoTime() < deadline) {
					if (shardsMoved == 0) {
						Map<Integer, String> now = shardHolders();
						if (its.stream().allMatch((shard) -> now.containsKey(shard)
								&& !now.get(shard).equals(victim.identity))) {
							shardsMoved = System.nanoTime();
						}
					}
					if (reconciled == 0 && changed.entrySet().stream()
						.allMatch((entry) -> observedGeneration(entry.getKey()) >= entry.getValue())) {
						reconciled = System.nanoTime();
					}
					Thread.sleep(10);
				}
				if (shardsMoved == 0 || reconciled == 0) {
					throw new IllegalStateException("the shards of " + victim.identity + " did not move within "
							+ DEADLINE.toSeconds() + " s");
				}
				victim.awaitEnd();
				ShardMove move = new ShardMove(victim.identity, its.size(), (shardsMoved - killed) / 1e9,
						(reconciled - killed) / 1e9);
				System.out.printf(Locale.ROOT, "failover: killed %s holding %d shards: shards held by the others"
						+ " after %.2f s, a Bench of each reconciled after %.2f s%n", move.replica(), move.shards(),
						move.shardsMovedSeconds(), move.reconciledSeconds());
				moves.add(move);
				startReplica();
				await("replacement synced", () -> instances.stream().allMatch(Instance::readyQuietly));
			}
		}
		finally {
			stopAll();
		}
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%n## Sharding%n%nThree replicas of contender (a) with sharding at its"
				+ " defaults (16 shards; lease 15 s, renew deadline 10 s, retry 2 s), %,d Benches. One replica"
				+ " killed (SIGKILL) per round; at that moment one Bench of each of its shards is changed. Seconds"
				+ " from the kill.%n%n", objects));
		out.append("| killed | its shards | all held by the others (s) | a Bench of each reconciled (s) |\n");
		out.append("|---|---|---|---|\n");
		for (ShardMove move : moves) {
			out.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", move.replica(), move.shards(),
					move.shardsMovedSeconds(), move.reconciledSeconds()));
		}
		return out.toString();
	}

	/** One measured move of a killed replica's shards. */
	record ShardMove(String replica, int shards, double shardsMovedSeconds, double reconciledSeconds) {
	}

	private boolean sharded;

	private static boolean balanced(Map<Integer, String> holders) {
		if (holders.size() != 16) {
			return false;
		}
		Map<String, Integer> counts = new LinkedHashMap<>();
		holders.values().forEach((holder) -> counts.merge(holder, 1, Integer::sum));
		return counts.size() == 3 && counts.values().stream().allMatch((count) -> count >= 5);
	}

	/** Shard index → holder, for the shard Leases that have a holder. */
	private Map<Integer, String> shardHolders() {
		Map<Integer, String> holders = new LinkedHashMap<>();
		try {
			HttpResponse<String> response = send("GET", "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE
					+ "/leases?labelSelector=kube-controller.io%2Fsharding%3Dbench", null, null);
			for (JsonNode lease : this.json.readTree(response.body()).path("items")) {
				String name = lease.path("metadata").path("name").asText();
				String holder = lease.path("spec").path("holderIdentity").asText("");
				if (name.startsWith("bench-shard-") && !holder.isBlank()) {
					holders.put(Integer.parseInt(name.substring("bench-shard-".length())), holder);
				}
			}
		}
		catch (IOException ex) {
			// none seen this time
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return holders;
	}

	private long observedGeneration(String name) {
		try {
			return this.json.readTree(send("GET", benchPath() + "/" + name, null, null).body())
				.path("status").path("observedGeneration").asLong(-1);
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * The first Bench of {@code shard}: the runtime's documented shard of an object is the 32-bit FNV-1a hash of
	 * the UTF-8 bytes of {@code namespace/name}, unsigned, modulo the shard count.
	 */
	private static String firstBenchOf(int shard, int objects) {
		for (int i = 0; i < objects; i++) {
			int hash = 0x811c9dc5;
			for (byte b : (NAMESPACE + "/" + name(i)).getBytes(StandardCharsets.UTF_8)) {
				hash ^= (b & 0xff);
				hash *= 0x01000193;
			}
			if (Integer.remainderUnsigned(hash, 16) == shard) {
				return name(i);
			}
		}
		throw new IllegalStateException("no Bench in shard " + shard);
	}

	private void stopAll() throws InterruptedException {
		for (Instance instance : this.instances) {
			instance.kill();
			instance.awaitEnd();
		}
		this.instances.clear();
	}

	/** Ends the leader (killed or terminated), measures the handover, and starts a replacement. */
	private Handover handover(boolean kill) throws Exception {
		await("every replica synced", () -> instances.stream().allMatch(Instance::readyQuietly));
		String leader = await("a leader", this::leaseHolder);
		Instance old = instances.stream().filter((instance) -> instance.identity.equals(leader)).findFirst()
			.orElseThrow(() -> new IllegalStateException("the Lease names " + leader + ", which is not a replica"));
		Map<String, Long> writesBefore = new LinkedHashMap<>();
		instances.forEach((instance) -> writesBefore.put(instance.user, statusWrites(instance.user)));
		long ended = System.nanoTime();
		if (kill) {
			old.kill();
		}
		else {
			old.terminate();
		}
		instances.remove(old);
		long leaseTaken = 0;
		long firstReconcile = 0;
		String successor = null;
		long deadline = ended + DEADLINE.toNanos();
		while ((leaseTaken == 0 || firstReconcile == 0) && System.nanoTime() < deadline) {
			if (leaseTaken == 0) {
				String holder = leaseHolder();
				if (holder != null && !holder.equals(leader)) {
					leaseTaken = System.nanoTime();
				}
			}
			if (firstReconcile == 0) {
				for (Instance instance : instances) {
					if (statusWrites(instance.user) > writesBefore.getOrDefault(instance.user, 0L)) {
						firstReconcile = System.nanoTime();
						successor = instance.identity;
					}
				}
			}
			Thread.sleep(2);
		}
		if (leaseTaken == 0 || firstReconcile == 0) {
			throw new IllegalStateException("no replica took over within " + DEADLINE.toSeconds() + " s of ending "
					+ leader);
		}
		old.awaitEnd();
		Handover handover = new Handover(kill ? "killed (SIGKILL)" : "terminated (SIGTERM)", leader, successor,
				(leaseTaken - ended) / 1e9, (firstReconcile - ended) / 1e9);
		System.out.printf(Locale.ROOT, "failover: %s %s -> %s: Lease taken after %.2f s, first reconcile after %.2f s%n",
				handover.how(), leader, successor, handover.leaseTakenSeconds(), handover.firstReconcileSeconds());
		startReplica();
		return handover;
	}

	private void startReplica() throws IOException {
		String identity = "replica-" + (++this.nextReplica);
		String token = identity + "-token";
		this.emulator.accessControl().token(token, identity).allow(identity, AccessRule.all());
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("bench.masterUrl", this.emulator.baseUrl());
		properties.put("bench.token", token);
		properties.put("bench.kind", "bench");
		properties.put("bench.concurrency", "8");
		if (this.sharded) {
			properties.put("kube.controller.sharding.enabled", "true");
			properties.put("kube.controller.sharding.lease-name", "bench");
			properties.put("kube.controller.sharding.lease-namespace", NAMESPACE);
			properties.put("kube.controller.sharding.identity", identity);
		}
		else {
			properties.put("kube.controller.leader-election.enabled", "true");
			properties.put("kube.controller.leader-election.lease-name", LEASE);
			properties.put("kube.controller.leader-election.lease-namespace", NAMESPACE);
			properties.put("kube.controller.leader-election.identity", identity);
		}
		this.instances.add(Instance.start(identity, identity, this.benchmarksDirectory,
				List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC"), properties,
				this.output.resolve("failover-logs")));
	}

	/** Changes one Bench's spec every few milliseconds, round-robin, so that a new leader always has work. */
	private void changeBenches(int objects, AtomicBoolean loading) {
		int i = 0;
		while (loading.get()) {
			try {
				send("PATCH", benchPath() + "/" + name(i % objects), "application/merge-patch+json",
						"{\"spec\":{\"replicas\":" + (i / objects + 2) + "}}");
				i++;
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (IOException ex) {
				// The next change goes on; the load is only there to keep reconciles coming.
			}
		}
	}

	/** Status writes the emulator answered with success for {@code user}. */
	private long statusWrites(String user) {
		return this.emulator.audit().count((key) -> key.user().equals(user) && key.resource().equals("benches/status")
				&& key.code() < 300 && !key.verb().equals("get") && !key.verb().equals("list")
				&& !key.verb().equals("watch"));
	}

	private String leaseHolder() {
		try {
			HttpResponse<String> response = send("GET",
					"/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases/" + LEASE, null, null);
			if (response.statusCode() != 200) {
				return null;
			}
			JsonNode holder = this.json.readTree(response.body()).path("spec").path("holderIdentity");
			return (holder.isTextual() && !holder.asText().isBlank()) ? holder.asText() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static String report(List<Handover> handovers, int objects) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%n## Leader election%n%nThree replicas of contender (a) with leader election at its defaults"
				+ " (lease 15 s, renew deadline 10 s, retry 2 s), %,d Benches, one changed every 5 ms. Seconds from"
				+ " ending the leader.%n%n", objects));
		out.append("| how the leader ended | leader | successor | Lease taken (s) | first reconcile (s) |\n");
		out.append("|---|---|---|---|---|\n");
		for (Handover handover : handovers) {
			out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f |%n", handover.how(), handover.from(),
					handover.to(), handover.leaseTakenSeconds(), handover.firstReconcileSeconds()));
		}
		for (String how : List.of("killed (SIGKILL)", "terminated (SIGTERM)")) {
			List<Double> times = handovers.stream().filter((handover) -> handover.how().equals(how))
				.map(Handover::firstReconcileSeconds).sorted().toList();
			if (!times.isEmpty()) {
				out.append(String.format(Locale.ROOT, "%n%s: first reconcile after %.2f s (median), %.2f–%.2f s.%n",
						how, times.get(times.size() / 2), times.get(0), times.get(times.size() - 1)));
			}
		}
		return out.toString();
	}

	private <T> T await(String what, java.util.function.Supplier<T> value) throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (System.nanoTime() < deadline) {
			T current = value.get();
			if (current != null) {
				return current;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("waited " + DEADLINE.toSeconds() + " s for " + what);
	}

	private void await(String what, BooleanSupplier condition) throws InterruptedException {
		await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
	}

	private HttpResponse<String> send(String method, String path, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + path))
			.header("Authorization", "Bearer " + HARNESS_TOKEN)
			.timeout(Duration.ofSeconds(10));
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void expect(HttpResponse<String> response, int code) {
		if (response.statusCode() != code) {
			throw new IllegalStateException("expected HTTP " + code + ", got " + response.statusCode() + ": "
					+ response.body());
		}
	}

	private static String benchPath() {
		return "/apis/" + ContenderSettings.GROUP + "/" + ContenderSettings.VERSION + "/namespaces/" + NAMESPACE + "/"
				+ ContenderSettings.PLURAL;
	}

	private static String name(int index) {
		return String.format(Locale.ROOT, "b-%06d", index);
	}
}
