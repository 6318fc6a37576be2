package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The approximate size of a cache follows its objects through lists, watch events and deletes. */
class InformerApproximateBytesTest {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	private static KubeApiEmulator emulator;
	private static CoreV1Api core;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		core = new CoreV1Api(emulator.apiClient());
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

	private static V1ConfigMap configMap(String namespace, String name, int payload) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace).name(name))
			.data(Map.of("payload", "x".repeat(payload)));
	}

	@Test
	void pagedListsAndWatchEventsAreCounted() throws Exception {
		follows("sizes-paged", InformerOptions.defaults().withStreamingList(false));
	}

	@Test
	void streamingListsAreCounted() throws Exception {
		follows("sizes-streamed", InformerOptions.defaults().withStreamingList(true));
	}

	private void follows(String namespace, InformerOptions options) throws Exception {
		InformerListTest.createNamespace(core, namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, "small", 10)).execute();
		core.createNamespacedConfigMap(namespace, configMap(namespace, "large", 10_000)).execute();
		registry = new InformerRegistry(emulator.apiClient(), options);
		Informer<V1ConfigMap> informer = registry.informer(
				WatchSpec.all(InformerListTest.CONFIG_MAPS).inNamespace(namespace), V1ConfigMap.class);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		long listed = informer.approximateBytes();
		assertThat(listed).isBetween(10_000L, 13_000L);

		core.createNamespacedConfigMap(namespace, configMap(namespace, "added", 5_000)).execute();
		await().atMost(DEADLINE).until(() -> informer.size() == 3);
		assertThat(informer.approximateBytes()).isBetween(listed + 5_000, listed + 6_500);

		core.deleteNamespacedConfigMap("large", namespace).execute();
		await().atMost(DEADLINE).until(() -> informer.size() == 2);
		assertThat(informer.approximateBytes()).isBetween(5_000L, 8_000L);
	}
}
