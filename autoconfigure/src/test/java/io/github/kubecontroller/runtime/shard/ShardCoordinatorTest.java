package io.github.kubecontroller.runtime.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerDependencies;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.controller.WorkerThreads;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coordinators on one emulated API server split the shards evenly, each shard held by one of them; the shards of
 * one that closes move at once, those of one that dies after the lease duration; a newcomer gets its share from the
 * others; and a shard given up is released only after its reconciles in flight have ended.
 */
class ShardCoordinatorTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final String NS = "shards";

	private KubeApiEmulator emulator;
	private ApiClient client;
	private final List<ShardCoordinator> coordinators = new ArrayList<>();
	private final List<Controller<?>> controllers = new ArrayList<>();
	private final List<InformerRegistry> registries = new ArrayList<>();

	@BeforeEach
	void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
	}

	@AfterEach
	void stopEverything() {
		try {
			controllers.forEach(controller -> controller.stop(Duration.ofSeconds(5)));
			coordinators.forEach(ShardCoordinator::close);
			registries.forEach(InformerRegistry::close);
		} finally {
			emulator.stop();
		}
	}

	/** Short durations: a Lease expires 2 s after its last renewal. */
	private static ShardingSettings settings(String identity, int shards) {
		return new ShardingSettings(NS, "test-operator", identity, shards, Duration.ofSeconds(2),
				Duration.ofMillis(1500), Duration.ofMillis(200));
	}

	/** A coordinator of these controllers (synced, not yet running): gated first, then their workers start. */
	private ShardCoordinator start(ShardingSettings settings, Controller<?>... gated) {
		ShardCoordinator coordinator = new ShardCoordinator(client, settings, List.of(gated));
		coordinators.add(coordinator);
		coordinator.checkAccess();
		for (Controller<?> controller : gated) {
			controller.startWorkers();
		}
		coordinator.start();
		return coordinator;
	}

	@Test
	void threeInstancesSplitTheShardsEvenlyWithOneHolderEach() throws Exception {
		ShardCoordinator a = start(settings("a", 12));
		ShardCoordinator b = start(settings("b", 12));
		ShardCoordinator c = start(settings("c", 12));

		await().atMost(DEADLINE).until(() -> held(a, b, c).equals(List.of(4, 4, 4)));
		assertOneHolderEach(Map.of("a", a, "b", b, "c", c), 12);
		assertThat(a.members()).containsExactly("a", "b", "c");
	}

	@Test
	void theShardsOfAnInstanceThatClosesMoveAtOnce() throws Exception {
		// A 30 s lease: shards that had to expire would not move within the deadline of this test.
		ShardingSettings slow = settings("a", 12).withDurations(Duration.ofSeconds(30), Duration.ofSeconds(20),
				Duration.ofMillis(200));
		ShardCoordinator a = start(slow);
		ShardCoordinator b = start(slow.withIdentity("b"));
		ShardCoordinator c = start(slow.withIdentity("c"));
		await().atMost(DEADLINE).until(() -> held(a, b, c).equals(List.of(4, 4, 4)));
		long acquiredBefore = a.acquired() + b.acquired();

		c.close();

		assertThat(c.released()).as("shards released by the instance that closed").isGreaterThanOrEqualTo(4);
		assertThat(c.heldShards()).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> held(a, b).equals(List.of(6, 6)));
		assertThat(a.acquired() + b.acquired() - acquiredBefore).isEqualTo(4);
		assertOneHolderEach(Map.of("a", a, "b", b), 12);
		await().atMost(DEADLINE).until(() -> a.members().equals(List.of("a", "b")));
	}

	@Test
	void theShardsOfAnInstanceThatDiesMoveAfterTheLeaseDuration() throws Exception {
		ShardCoordinator a = start(settings("a", 12));
		ShardCoordinator b = start(settings("b", 12));
		ShardCoordinator c = start(settings("c", 12));
		await().atMost(DEADLINE).until(() -> held(a, b, c).equals(List.of(4, 4, 4)));

		c.abandon(); // nothing released: its Leases, member and shards, expire

		await().atMost(DEADLINE).until(() -> held(a, b).equals(List.of(6, 6)));
		assertOneHolderEach(Map.of("a", a, "b", b), 12);
		assertThat(c.released()).isZero();
		assertThat(a.members()).containsExactly("a", "b");
		assertThat(c.takes(ObjectKey.of(NS, "anything"))).as("the dead instance takes no key").isFalse();
	}

	@Test
	void aNewcomerGetsItsShareFromTheOthers() throws Exception {
		ShardCoordinator a = start(settings("a", 12));
		ShardCoordinator b = start(settings("b", 12));
		await().atMost(DEADLINE).until(() -> held(a, b).equals(List.of(6, 6)));
		long releasedBefore = a.released() + b.released();

		ShardCoordinator c = start(settings("c", 12));

		await().atMost(DEADLINE).until(() -> held(a, b, c).equals(List.of(4, 4, 4)));
		assertThat(a.released() + b.released() - releasedBefore).as("shards given up to the newcomer").isEqualTo(4);
		assertThat(a.lost() + b.lost()).isZero();
		assertOneHolderEach(Map.of("a", a, "b", b, "c", c), 12);
	}

	@Test
	void aShardIsReleasedOnlyAfterItsReconcilesInFlightHaveEnded() throws Exception {
		// One shard: "b" alone holds it; when "a" joins, "a" comes first by identity and gets it from "b".
		create("blocker");
		create("other");
		Queue<String> passes = new ConcurrentLinkedQueue<>();
		CountDownLatch blocking = new CountDownLatch(1);
		CountDownLatch unblock = new CountDownLatch(1);
		Map<String, long[]> blockerPasses = new HashMap<>();
		ResourceReconciler<V1ConfigMap> blockingAtB = (configMap, context) -> {
			long start = System.nanoTime();
			String name = configMap.getMetadata().getName();
			if (name.equals("blocker")) {
				blocking.countDown();
				unblock.await(); // no timeout: the reconcile lasts until the test lets it end
			}
			passes.add("b " + name);
			synchronized (blockerPasses) {
				blockerPasses.putIfAbsent("b " + name, new long[] { start, System.nanoTime() });
			}
			return Result.done();
		};
		ResourceReconciler<V1ConfigMap> recordingAtA = (configMap, context) -> {
			long start = System.nanoTime();
			String name = configMap.getMetadata().getName();
			passes.add("a " + name);
			synchronized (blockerPasses) {
				blockerPasses.putIfAbsent("a " + name, new long[] { start, System.nanoTime() });
			}
			return Result.done();
		};
		Controller<V1ConfigMap> atB = syncedController("b", blockingAtB);
		ShardCoordinator b = start(settings("b", 1), atB);
		assertThat(blocking.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("b reconciles the blocker").isTrue();
		await().atMost(DEADLINE).until(() -> passes.contains("b other"));

		Controller<V1ConfigMap> atA = syncedController("a", recordingAtA);
		ShardCoordinator a = start(settings("a", 1), atA);
		await().atMost(DEADLINE).until(() -> b.members().equals(List.of("a", "b")));
		await().atMost(DEADLINE).until(() -> b.state(0) == ShardCoordinator.State.RELEASING);
		// b gives the shard up: it takes no key of it any more, but keeps the Lease while the blocker runs.
		assertThat(b.takes(ObjectKey.of(NS, "other"))).isFalse();
		// For several of a's rounds, while the blocker runs, b keeps the Lease and a holds nothing.
		await().during(Duration.ofMillis(800)).atMost(DEADLINE)
			.until(() -> "b".equals(holder("test-operator-shard-0")) && a.heldShards().isEmpty());
		assertThat(a.acquired()).isZero();

		unblock.countDown();

		await().atMost(DEADLINE).until(() -> a.heldShards().equals(List.of(0)));
		await().atMost(DEADLINE).until(() -> passes.contains("a blocker") && passes.contains("a other"));
		assertThat(b.released()).isEqualTo(1);
		assertThat(b.lost()).isZero();
		long[] atBPass = blockerPasses.get("b blocker");
		long[] atAPass = blockerPasses.get("a blocker");
		assertThat(atAPass[0]).as("a reconciles the blocker only after b's reconcile of it ended")
			.isGreaterThan(atBPass[1]);
		assertThat(holder("test-operator-shard-0")).isEqualTo("a");
	}

	@Test
	void objectsFallIntoShardsByTheFnv1aHashOfTheirKey() {
		// FNV-1a 32-bit test vectors.
		assertThat(Shards.fnv1a("")).isEqualTo(0x811c9dc5);
		assertThat(Shards.fnv1a("a")).isEqualTo(0xe40c292c);
		assertThat(Shards.fnv1a("foobar")).isEqualTo(0xbf9cf968);
		// Fixed shards: a change of the hash moves objects between the instances of a running application.
		Shards sixteen = new Shards(16);
		assertThat(sixteen.of(ObjectKey.of("default", "widget-0001"))).isEqualTo(13);
		assertThat(sixteen.of(ObjectKey.of("chaos", "widget-0042"))).isEqualTo(13);
		assertThat(sixteen.of(ObjectKey.clusterScoped("my-cluster-role"))).isEqualTo(7);
		assertThat(sixteen.of(ObjectKey.of("ns", "é-unicode"))).isEqualTo(5);
		assertThat(new Shards(12).of(ObjectKey.clusterScoped("my-cluster-role"))).isEqualTo(3);
		assertThat(IntStream.range(0, 1000).map(i -> sixteen.of(ObjectKey.of("ns", "object-" + i))).distinct()
			.count()).as("every shard gets objects").isEqualTo(16);
	}

	@Test
	void badSettingsAreRejected() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("a", 0)).withMessageContaining("at least 1");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("a", 4).withDurations(Duration.ofSeconds(2), Duration.ofSeconds(2),
					Duration.ofMillis(200)))
			.withMessageContaining("shorter than the lease duration");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> ShardingSettings.defaults(NS, "My_Operator", "a"))
			.withMessageContaining("lower-case");
	}

	private static List<Integer> held(ShardCoordinator... all) {
		return java.util.Arrays.stream(all).map(coordinator -> coordinator.heldShards().size()).toList();
	}

	/** Every shard's Lease names exactly the instance that says it holds the shard. */
	private void assertOneHolderEach(Map<String, ShardCoordinator> byIdentity, int shards) throws Exception {
		Map<Integer, String> holders = new HashMap<>();
		byIdentity.forEach((identity, coordinator) -> coordinator.heldShards().forEach(index -> assertThat(
				holders.put(index, identity)).as("shard %d held by two instances", index).isNull()));
		assertThat(holders.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, shards).boxed().toList());
		for (int i = 0; i < shards; i++) {
			assertThat(holder("test-operator-shard-" + i)).as("holder of shard %d", i).isEqualTo(holders.get(i));
		}
	}

	private String holder(String lease) throws Exception {
		V1Lease read = new CoordinationV1Api(client).readNamespacedLease(lease, NS).execute();
		return read.getSpec().getHolderIdentity();
	}

	private void create(String name) throws Exception {
		new CoreV1Api(client).createNamespacedConfigMap(NS,
				new V1ConfigMap().metadata(new V1ObjectMeta().namespace(NS).name(name))).execute();
	}

	/** A controller of ConfigMaps as an instance of its own runs it, with its own informers; synced, no workers. */
	private Controller<V1ConfigMap> syncedController(String instance, ResourceReconciler<V1ConfigMap> reconciler)
			throws Exception {
		InformerRegistry registry = new InformerRegistry(client, InformerOptions.defaults());
		registries.add(registry);
		ControllerDependencies dependencies = new ControllerDependencies(client, registry, new ResourceDiscovery(client),
				WorkerThreads.platform(), instance);
		Controller<V1ConfigMap> controller = new Controller<>(ControllerSpec.builder("configmaps", V1ConfigMap.class)
			.namespaces(List.of(NS)).reconcileTimeout(Duration.ZERO).build(), reconciler, dependencies);
		controllers.add(controller);
		controller.start();
		controller.awaitCachesSynced();
		return controller;
	}
}
