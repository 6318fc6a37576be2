package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.configMap;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sharing informers by spec and Java type, their threads, and shutting them down. */
class InformerRegistryTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", false);

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		createNamespace(core, "reg-a");
		createNamespace(core, "reg-b");
		core.createNamespacedConfigMap("reg-a", configMap("reg-a", "one")).execute();
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

	private static List<String> informerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
			.filter((name) -> name.startsWith("kube-informer-")).toList();
	}

	@Test
	void oneInformerPerSpecAndJavaTypeEvenWhenAskedConcurrently() throws Exception {
		registry = new InformerRegistry(client);
		WatchSpec spec = WatchSpec.all(CONFIG_MAPS).inNamespace("reg-a");
		long watchesBefore = emulator.audit().count("watch", "configmaps") + emulator.audit().count("list",
				"configmaps");
		ExecutorService askers = Executors.newFixedThreadPool(8);
		List<Callable<Informer<V1ConfigMap>>> asks = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			asks.add(() -> registry.informer(spec, V1ConfigMap.class));
		}
		Set<Informer<V1ConfigMap>> distinct = ConcurrentHashMap.newKeySet();
		try {
			for (Future<Informer<V1ConfigMap>> answer : askers.invokeAll(asks)) {
				distinct.add(answer.get());
			}
		}
		finally {
			askers.shutdownNow();
		}

		assertThat(distinct).hasSize(1);
		Informer<V1ConfigMap> informer = distinct.iterator().next();
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		assertThat(emulator.audit().count("watch", "configmaps") + emulator.audit().count("list", "configmaps"))
			.as("one streaming list for all of them").isEqualTo(watchesBefore + 1);
		assertThat(registry.informer(spec, DynamicKubernetesObject.class)).isNotSameAs(informer);
		assertThat(registry.informer(spec.inNamespace("reg-b"), V1ConfigMap.class)).isNotSameAs(informer);
		assertThat(registry.informers()).hasSize(3);
		assertThat(informer.spec()).isEqualTo(spec);
		assertThat(informer.javaType()).isEqualTo(V1ConfigMap.class);
	}

	@Test
	void clusterScopedResources() throws Exception {
		registry = new InformerRegistry(client);

		Informer<V1Namespace> namespaces = registry.informer(WatchSpec.all(NAMESPACES).inNamespace("ignored"),
				V1Namespace.class);

		assertThat(namespaces.spec().namespace()).isNull();
		assertThat(namespaces.awaitSynced(DEADLINE)).isTrue();
		assertThat(new Lister<>(namespaces.getIndexer()).get("reg-a")).isNotNull();
		assertThat(namespaces.getIndexer().listKeys()).contains("default", "kube-system", "reg-a", "reg-b");
	}

	@Test
	void closeEndsEveryInformerThread() throws Exception {
		registry = new InformerRegistry(client);
		List<Informer<?>> started = List.of(
				registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("reg-a"), V1ConfigMap.class),
				registry.informer(WatchSpec.all(CONFIG_MAPS), V1ConfigMap.class),
				registry.informer(WatchSpec.all(NAMESPACES), V1Namespace.class));
		for (Informer<?> informer : started) {
			assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		}
		assertThat(informerThreads()).contains("kube-informer-configmaps-reg-a", "kube-informer-configmaps",
				"kube-informer-configmaps-handlers", "kube-informer-namespaces-handlers");

		registry.close();

		assertThat(informerThreads()).isEmpty();
		assertThat(started).allSatisfy((informer) -> assertThat(informer.health().state())
			.isEqualTo(WatchState.STOPPED));
		assertThat(registry.informers()).isEmpty();
		assertThatThrownBy(() -> registry.informer(WatchSpec.all(NAMESPACES), V1Namespace.class))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void aStoppedInformerIsForgottenAndCanBeStartedAgain() throws Exception {
		registry = new InformerRegistry(client);
		WatchSpec spec = WatchSpec.all(CONFIG_MAPS).inNamespace("reg-a");
		Informer<V1ConfigMap> first = registry.informer(spec, V1ConfigMap.class);
		assertThat(first.awaitSynced(DEADLINE)).isTrue();

		first.stop();

		assertThat(registry.informers()).isEmpty();
		Informer<V1ConfigMap> second = registry.informer(spec, V1ConfigMap.class);
		assertThat(second).isNotSameAs(first);
		assertThat(second.awaitSynced(DEADLINE)).isTrue();
		assertThat(second.getIndexer().listKeys()).containsExactly("reg-a/one");
		assertThat(first.health().state()).isEqualTo(WatchState.STOPPED);
	}

	@Test
	void threadsComeFromTheThreadFactory() throws Exception {
		List<String> suggested = new ArrayList<>();
		ThreadFactory factory = (task) -> {
			synchronized (suggested) {
				suggested.add(task.toString());
			}
			Thread thread = new Thread(task, "custom-" + task);
			thread.setDaemon(true);
			return thread;
		};
		registry = new InformerRegistry(client, InformerOptions.defaults().withThreadFactory(factory));

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("reg-b"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		synchronized (suggested) {
			assertThat(suggested).containsExactlyInAnyOrder("kube-informer-configmaps-reg-b",
					"kube-informer-configmaps-reg-b-handlers");
		}
		registry.close();
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((t) -> t.getName().startsWith("custom-"));
	}

	@Test
	void runIsANoOpAndTheTransformIsAnOption() throws Exception {
		registry = new InformerRegistry(client);
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("reg-a"),
				V1ConfigMap.class);

		informer.run();

		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		assertThatThrownBy(() -> informer.setTransform((object) -> object))
			.isInstanceOf(UnsupportedOperationException.class);
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandlerWithResyncPeriod(log, 1000);
		await().atMost(DEADLINE).until(() -> log.events.contains("add reg-a/one"));
	}
}
