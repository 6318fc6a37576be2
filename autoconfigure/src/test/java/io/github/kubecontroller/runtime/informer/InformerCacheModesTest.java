package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.configMap;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How informers keep objects: metadata only, compact, and a relist that reuses what did not change. */
class InformerCacheModesTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final InformerOptions OPTIONS = InformerOptions.defaults()
		.withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
	}

	@AfterEach
	void closeRegistry() {
		if (registry != null) {
			registry.close();
		}
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	private <T extends io.kubernetes.client.common.KubernetesObject> Informer<T> synced(String namespace, Class<T> type,
			CacheMode mode, InformerOptions options) throws InterruptedException {
		if (registry == null) {
			registry = new InformerRegistry(client, options);
		}
		Informer<T> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace(namespace), type, mode);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		return informer;
	}

	private static V1ConfigMap bigConfigMap(String namespace, String name) {
		V1ConfigMap configMap = configMap(namespace, name);
		configMap.getMetadata().labels(Map.of("tier", "web"));
		return configMap.putDataItem("payload", "x".repeat(2000));
	}

	@Test
	void aMetadataOnlyInformerCachesMetadataAndReceivesMuchLess() throws Exception {
		createNamespace(core, "meta");
		core.createNamespacedConfigMap("meta", bigConfigMap("meta", "a")).execute();
		Informer<V1ConfigMap> full = synced("meta", V1ConfigMap.class, CacheMode.OBJECTS, OPTIONS);
		Informer<PartialObjectMetadata> metadata = synced("meta", PartialObjectMetadata.class,
				CacheMode.METADATA_ONLY, OPTIONS);

		PartialObjectMetadata cached = metadata.getIndexer().getByKey("meta/a");
		assertThat(cached.getMetadata().getLabels()).containsEntry("tier", "web");
		assertThat(cached.getMetadata().getUid()).isEqualTo(full.getIndexer().getByKey("meta/a").getMetadata().getUid());
		assertThat(metadata.approximateBytes()).isLessThan(full.approximateBytes() / 4);

		// Changes arrive through the metadata-only watch too.
		V1ConfigMap changed = bigConfigMap("meta", "b");
		core.createNamespacedConfigMap("meta", changed).execute();
		await().atMost(DEADLINE).until(() -> metadata.getIndexer().getByKey("meta/b") != null);
		assertThat(registry.informers()).hasSize(2);
	}

	@Test
	void aMetadataOnlyInformerDecodesToPartialObjectMetadataOnly() {
		registry = new InformerRegistry(client, OPTIONS);
		WatchSpec spec = WatchSpec.all(CONFIG_MAPS).inNamespace("nowhere");

		assertThatIllegalArgumentException().isThrownBy(() -> registry.informer(spec, V1ConfigMap.class,
				CacheMode.METADATA_ONLY)).withMessageContaining("PartialObjectMetadata");
		assertThat(registry.informer(spec, PartialObjectMetadata.class).cacheMode()).isEqualTo(CacheMode.METADATA_ONLY);
	}

	@Test
	void aCompactInformerReturnsAFreshEqualCopyOnEveryRead() throws Exception {
		createNamespace(core, "compact");
		core.createNamespacedConfigMap("compact", bigConfigMap("compact", "a")).execute();
		Informer<V1ConfigMap> objects = synced("compact", V1ConfigMap.class, CacheMode.OBJECTS, OPTIONS);
		Informer<V1ConfigMap> compact = synced("compact", V1ConfigMap.class, CacheMode.COMPACT, OPTIONS);
		EventLog<V1ConfigMap> log = new EventLog<>();
		compact.addEventHandler(log);

		V1ConfigMap first = compact.getIndexer().getByKey("compact/a");
		V1ConfigMap second = compact.getIndexer().getByKey("compact/a");
		assertThat(JSON.getGson().toJson(first)).isEqualTo(JSON.getGson().toJson(objects.getIndexer().getByKey("compact/a")));
		assertThat(first).isEqualTo(second).isNotSameAs(second);
		assertThat(first.getData()).containsEntry("payload", "x".repeat(2000));
		assertThat(first.getMetadata().getManagedFields()).as("the transform ran before the object was stored")
			.isNullOrEmpty();
		first.getData().clear(); // a copy: changing it changes nothing cached
		assertThat(compact.getIndexer().getByKey("compact/a").getData()).containsKey("payload");

		core.createNamespacedConfigMap("compact", configMap("compact", "b")).execute();
		await().atMost(DEADLINE).until(() -> log.events.contains("add compact/b"));
		assertThat(compact.getIndexer().getByKey("compact/b").getData()).containsEntry("v", "1");
		assertThat(compact.cacheMode()).isEqualTo(CacheMode.COMPACT);
		assertThat(objects).isNotSameAs(compact);
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aRelistKeepsTheCachedObjectsThatDidNotChange(boolean streamingList) throws Exception {
		String namespace = "reuse-" + streamingList;
		createNamespace(core, namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, "kept")).execute();
		core.createNamespacedConfigMap(namespace, configMap(namespace, "changed")).execute();
		Informer<V1ConfigMap> informer = synced(namespace, V1ConfigMap.class, CacheMode.OBJECTS,
				OPTIONS.withStreamingList(streamingList));
		V1ConfigMap kept = informer.getIndexer().getByKey(namespace + "/kept");
		V1ConfigMap before = informer.getIndexer().getByKey(namespace + "/changed");
		long relists = informer.health().relists();
		long bytes = informer.approximateBytes();

		// The watch is down while one object changes and the history is compacted: the informer must relist.
		Fault watchDown = emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch").namespace(namespace))
			.status(503).build());
		// Closed on every poll: a watch request that passed the fault check before the fault was added may register
		// only after a single close, and would then stay open.
		await().atMost(DEADLINE).until(() -> {
			emulator.closeAllWatches();
			return informer.health().consecutiveFailures() > 0;
		});
		core.replaceNamespacedConfigMap("changed", namespace, configMap(namespace, "changed").putDataItem("v", "2"))
			.execute();
		emulator.compactHistory();
		emulator.faults().remove(watchDown);
		await().atMost(DEADLINE).until(() -> informer.health().relists() > relists
				&& "2".equals(informer.getIndexer().getByKey(namespace + "/changed").getData().get("v")));

		assertThat(informer.getIndexer().getByKey(namespace + "/kept")).isSameAs(kept);
		assertThat(informer.getIndexer().getByKey(namespace + "/changed")).isNotSameAs(before);
		assertThat(informer.approximateBytes()).isGreaterThanOrEqualTo(bytes);
	}

	@Test
	void aWatchOfItsOwnTransformKeepsOnlyWhatItsReadersNeed() throws Exception {
		createNamespace(core, "transform");
		core.createNamespacedConfigMap("transform", bigConfigMap("transform", "a")).execute();
		ObjectTransform dropPayload = (object) -> {
			((V1ConfigMap) object).getData().remove("payload");
			return object;
		};
		registry = new InformerRegistry(client, OPTIONS);
		WatchSpec spec = WatchSpec.all(CONFIG_MAPS).inNamespace("transform");
		Informer<V1ConfigMap> slim = registry.informer(spec, V1ConfigMap.class, CacheMode.OBJECTS, dropPayload);
		Informer<V1ConfigMap> whole = registry.informer(spec, V1ConfigMap.class);
		assertThat(slim.awaitSynced(DEADLINE) && whole.awaitSynced(DEADLINE)).isTrue();

		V1ConfigMap cached = slim.getIndexer().getByKey("transform/a");
		assertThat(cached.getData()).containsOnlyKeys("v");
		assertThat(cached.getMetadata().getManagedFields()).as("the registry's transform ran too").isNullOrEmpty();
		assertThat(whole.getIndexer().getByKey("transform/a").getData()).containsKey("payload");
		assertThat(registry.informer(spec, V1ConfigMap.class, CacheMode.OBJECTS, dropPayload)).isSameAs(slim);
	}
}
