package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.configMap;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watching: events to handlers, bookmarks, resuming after a closed watch, relisting after 410 Gone. */
class InformerWatchTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	// Short backoff so that a test with a failing watch does not wait long.
	private static final InformerOptions OPTIONS = InformerOptions.defaults()
		.withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;
	private static RecordedRequests requests;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().bookmarkInterval(Duration.ofMillis(200)).build().start();
		client = emulator.apiClient();
		requests = RecordedRequests.on(client);
		core = new CoreV1Api(client);
	}

	@AfterEach
	void closeRegistry() {
		if (registry != null) {
			registry.close();
		}
		emulator.faults().clear();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	private Informer<V1ConfigMap> syncedInformer(String namespace) throws InterruptedException {
		registry = new InformerRegistry(client, OPTIONS);
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace(namespace),
				V1ConfigMap.class);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		return informer;
	}

	private static String resourceVersion(V1ConfigMap object) {
		return object.getMetadata().getResourceVersion();
	}

	@Test
	void deliversAddsUpdatesAndDeletesOnTheInformerThread() throws Exception {
		createNamespace(core, "events");
		registry = new InformerRegistry(client, OPTIONS);
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("events"),
				V1ConfigMap.class);
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandler(log);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();

		V1ConfigMap created = core.createNamespacedConfigMap("events", configMap("events", "a")).execute();
		created.putDataItem("v", "2");
		V1ConfigMap updated = core.replaceNamespacedConfigMap("a", "events", created).execute();
		core.deleteNamespacedConfigMap("a", "events").execute();

		await().atMost(DEADLINE).until(() -> log.events.size() == 3);
		assertThat(log.events).containsExactly("add events/a",
				"update events/a " + resourceVersion(created) + "->" + resourceVersion(updated), "delete events/a");
		assertThat(log.threads).containsOnly("kube-informer-configmaps-events-handlers");
		assertThat(informer.getIndexer().list()).isEmpty();
		assertThat(informer.health().lastEvent()).isNotNull();
	}

	@Test
	void bookmarksMoveTheResourceVersionWithoutEvents() throws Exception {
		createNamespace(core, "quiet");
		Informer<V1ConfigMap> informer = syncedInformer("quiet");
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandler(log);

		// A write elsewhere moves the cluster's resourceVersion; only a bookmark can tell this informer.
		core.createNamespacedSecret("quiet", new V1Secret().metadata(new V1ObjectMeta().name("s"))).execute();
		String latest = Long.toString(emulator.resourceVersion());

		await().atMost(DEADLINE).until(() -> latest.equals(informer.health().resourceVersion()));
		assertThat(informer.lastSyncResourceVersion()).isEqualTo(latest);
		assertThat(log.events).isEmpty();

		emulator.closeAllWatches();
		String path = "/api/v1/namespaces/quiet/configmaps";
		await().atMost(DEADLINE).until(() -> !requests.watches(path).isEmpty());
		HttpUrl watch = requests.watches(path).get(0);
		assertThat(watch.queryParameter("allowWatchBookmarks")).isEqualTo("true");
		assertThat(watch.queryParameter("resourceVersion")).isEqualTo(latest);
	}

	@Test
	void handlersAddedAfterSyncFirstGetTheCachedObjects() throws Exception {
		createNamespace(core, "late");
		for (String name : List.of("a", "b", "c")) {
			core.createNamespacedConfigMap("late", configMap("late", name)).execute();
		}
		Informer<V1ConfigMap> informer = syncedInformer("late");
		AtomicInteger failures = new AtomicInteger();
		informer.addEventHandler(new ResourceEventHandler<>() {

			@Override
			public void onAdd(V1ConfigMap object) {
				failures.incrementAndGet();
				throw new IllegalStateException("a broken handler");
			}

			@Override
			public void onUpdate(V1ConfigMap oldObject, V1ConfigMap newObject) {
				throw new IllegalStateException("a broken handler");
			}

			@Override
			public void onDelete(V1ConfigMap object, boolean deletedFinalStateUnknown) {
				throw new IllegalStateException("a broken handler");
			}
		});
		EventLog<V1ConfigMap> log = new EventLog<>();

		informer.addEventHandler(log);
		core.createNamespacedConfigMap("late", configMap("late", "d")).execute();

		await().atMost(DEADLINE).until(() -> log.events.size() == 4);
		assertThat(log.events.subList(0, 3)).containsExactlyInAnyOrder("add late/a", "add late/b", "add late/c");
		assertThat(log.events.get(3)).isEqualTo("add late/d");
		assertThat(failures).hasValue(4);
		assertThat(informer.health().state()).isEqualTo(WatchState.WATCHING);
	}

	@Test
	void aClosedWatchResumesFromTheLastResourceVersionWithoutListing() throws Exception {
		createNamespace(core, "resume");
		core.createNamespacedConfigMap("resume", configMap("resume", "kept")).execute();
		core.createNamespacedConfigMap("resume", configMap("resume", "doomed")).execute();
		Informer<V1ConfigMap> informer = syncedInformer("resume");
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandler(log);
		await().atMost(DEADLINE).until(() -> log.events.size() == 2);
		String path = "/api/v1/namespaces/resume/configmaps";
		int listsBefore = requests.lists(path).size() + requests.streamingLists(path).size();
		long watchesBefore = informer.health().watchRestarts();
		// Hold the next watch request for a moment, so that the changes below surely happen while disconnected.
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch").namespace("resume"))
			.latency(Duration.ofMillis(300)).times(1).build());
		String lastSeen = informer.health().resourceVersion();

		emulator.closeAllWatches();
		core.createNamespacedConfigMap("resume", configMap("resume", "new")).execute();
		core.deleteNamespacedConfigMap("doomed", "resume").execute();

		await().atMost(DEADLINE).until(() -> log.events.size() == 4);
		assertThat(log.events.subList(2, 4)).containsExactly("add resume/new", "delete resume/doomed");
		assertThat(requests.watches(path)).first().satisfies((url) -> {
			assertThat(url.queryParameter("resourceVersion")).isEqualTo(lastSeen);
		});
		assertThat(requests.lists(path).size() + requests.streamingLists(path).size()).isEqualTo(listsBefore);
		WatchHealth health = informer.health();
		assertThat(health.relists()).isEqualTo(1);
		assertThat(health.watchRestarts()).isEqualTo(watchesBefore + 1);
		assertThat(health.consecutiveFailures()).isZero();
		assertThat(informer.getIndexer().listKeys()).containsExactlyInAnyOrder("resume/kept", "resume/new");
	}

	@Test
	void aServerSideWatchTimeoutResumesWithoutListing() throws Exception {
		createNamespace(core, "timeout");
		registry = new InformerRegistry(client, OPTIONS.withWatchTimeout(Duration.ofSeconds(1)));
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("timeout"),
				V1ConfigMap.class);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		String path = "/api/v1/namespaces/timeout/configmaps";

		await().atMost(DEADLINE).until(() -> requests.watches(path).size() >= 2);

		assertThat(requests.watches(path)).allSatisfy((url) -> assertThat(url.queryParameter("timeoutSeconds"))
			.isIn("1", "2"));
		assertThat(requests.lists(path)).isEmpty();
		assertThat(requests.streamingLists(path)).hasSize(1);
		assertThat(informer.health().relists()).isEqualTo(1);
		assertThat(informer.health().lastError()).isNull();
	}

	@Test
	void relistsAfterGoneAndSwapsTheCacheAtOnce() throws Exception {
		createNamespace(core, "relist");
		int fixed = 400;
		for (int i = 0; i < fixed; i++) {
			core.createNamespacedConfigMap("relist", configMap("relist", "fixed-" + i)).execute();
		}
		for (String name : List.of("doomed-1", "doomed-2", "changed")) {
			core.createNamespacedConfigMap("relist", configMap("relist", name)).execute();
		}
		Informer<V1ConfigMap> informer = syncedInformer("relist");
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandler(log);
		await().atMost(DEADLINE).until(() -> log.events.size() == fixed + 3);
		log.events.clear();

		// A reader that checks an invariant of the whole cache while it is relisted: the fixed objects never
		// change, so every read must see all of them.
		AtomicBoolean reading = new AtomicBoolean(true);
		AtomicLong reads = new AtomicLong();
		AtomicLong partialReads = new AtomicLong();
		Thread reader = new Thread(() -> {
			while (reading.get()) {
				long seen = informer.getIndexer().list().stream()
					.filter((cm) -> cm.getMetadata().getName().startsWith("fixed-")).count();
				long indexed = informer.getIndexer().byIndex(Indexes.NAMESPACE, "relist").stream()
					.filter((cm) -> cm.getMetadata().getName().startsWith("fixed-")).count();
				if (seen != fixed || indexed != fixed) {
					partialReads.incrementAndGet();
				}
				reads.incrementAndGet();
			}
		}, "cache-reader");
		reader.start();

		// Keep the watch down while objects change and the history is compacted: the informer can only learn
		// of the changes by listing again.
		Fault watchDown = emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch").namespace("relist"))
			.status(503).build());
		emulator.closeAllWatches();
		await().atMost(DEADLINE).until(() -> informer.health().consecutiveFailures() > 0);
		core.deleteNamespacedConfigMap("doomed-1", "relist").execute();
		core.deleteNamespacedConfigMap("doomed-2", "relist").execute();
		V1ConfigMap changed = core.readNamespacedConfigMap("changed", "relist").execute();
		String changedBefore = resourceVersion(changed);
		changed.putDataItem("v", "2");
		String changedAfter = resourceVersion(core.replaceNamespacedConfigMap("changed", "relist", changed).execute());
		core.createNamespacedConfigMap("relist", configMap("relist", "born")).execute();
		emulator.compactHistory();
		emulator.faults().remove(watchDown);

		await().atMost(DEADLINE).until(() -> informer.health().relists() == 2);
		await().atMost(DEADLINE).until(() -> log.events.size() == 4);
		reading.set(false);
		reader.join();

		assertThat(log.events).containsExactlyInAnyOrder("delete relist/doomed-1 (final state unknown)",
				"delete relist/doomed-2 (final state unknown)",
				"update relist/changed " + changedBefore + "->" + changedAfter, "add relist/born");
		assertThat(partialReads).hasValue(0);
		assertThat(reads.get()).isPositive();
		assertThat(informer.size()).isEqualTo(fixed + 2);
		WatchHealth health = informer.health();
		assertThat(health.state()).isEqualTo(WatchState.WATCHING);
		assertThat(health.lastError()).contains("watch configmaps in namespace relist: 503 Service Unavailable");
	}
}
