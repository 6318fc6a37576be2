package io.github.kubecontroller.runtime.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerDependencies;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.controller.WorkerThreads;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Diagnostics of real controllers reconciling ConfigMaps on the emulated API server. */
class DiagnosticsClusterTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final String TOUCHED = "diag.kubecontroller.io/touched";
	private static final String OWNER = "diag.kubecontroller.io/owner";
	private static final String TOUCHED_PATH = "metadata.annotations['diag.kubecontroller.io/touched']";
	private static final String OWNER_PATH = "metadata.annotations['diag.kubecontroller.io/owner']";

	private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
	private final RecentErrors errors = new RecentErrors();
	private final HotLoopDetector hotLoops = new HotLoopDetector(10, Duration.ofMinutes(1), Clock.systemUTC(),
			warnings::add);
	private final List<Controller<?>> controllers = new ArrayList<>();
	private KubeApiEmulator emulator;
	private ApiClient client;
	private InformerRegistry informers;

	@BeforeEach
	void startCluster() {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		informers = new InformerRegistry(client, InformerOptions.defaults());
	}

	@AfterEach
	void stopCluster() {
		try {
			controllers.forEach(controller -> controller.stop(Duration.ofSeconds(5)));
			informers.close();
		} finally {
			emulator.stop();
		}
	}

	@Test
	void aReconcilerThatWritesATimestampOnEveryPassIsFlaggedOnceAndAWellBehavedOneIsNot() throws Exception {
		createNamespace("looping");
		createNamespace("quiet");
		createConfigMap("looping", "busy");
		createConfigMap("quiet", "calm");
		run(ControllerSpec.builder("stamper", V1ConfigMap.class).namespaces(List.of("looping")).build(),
				(configMap, context) -> {
					context.apply(annotated(configMap, TOUCHED, String.valueOf(System.nanoTime())));
					return Result.done();
				});
		AtomicLong quietPasses = new AtomicLong();
		run(ControllerSpec.builder("steady", V1ConfigMap.class).namespaces(List.of("quiet")).build(),
				(configMap, context) -> {
					quietPasses.incrementAndGet();
					context.apply(annotated(configMap, TOUCHED, "constant"));
					return Result.done();
				});

		await().atMost(DEADLINE).until(() -> !hotLoops.suspects("stamper").isEmpty());
		HotLoopSuspect suspect = hotLoops.suspects("stamper").get(0);
		assertThat(suspect.cause()).isEqualTo(HotLoopSuspect.Cause.OWN_WRITES);
		assertThat(suspect.objectRef()).isEqualTo("ConfigMap looping/busy");
		assertThat(suspect.fields()).contains(TOUCHED_PATH);
		await().atMost(DEADLINE).until(() -> quietPasses.get() >= 2);
		assertThat(hotLoops.suspects("steady")).isEmpty();

		await().atMost(DEADLINE).until(() -> !warnings().isEmpty());
		// The loop goes on: still one warning, as the window has not passed.
		long reconciles = suspect.reconciles();
		await().atMost(DEADLINE).until(() -> hotLoops.suspects("stamper").get(0).reconciles() > reconciles
				|| hotLoops.suspects("stamper").get(0).lastSeen().isAfter(suspect.lastSeen()));
		assertThat(warnings()).singleElement().asString().contains("'stamper'").contains("ConfigMap looping/busy")
				.contains(TOUCHED_PATH).contains("values masked");
		assertThat(hotLoops.occurrences()).isEqualTo(1);
	}

	@Test
	void twoControllersSettingOneAnnotationToTheirOwnValueAreFlaggedAsPingPong() throws Exception {
		createNamespace("fight");
		createConfigMap("fight", "contested");
		for (String name : List.of("left", "right")) {
			run(ControllerSpec.builder(name, V1ConfigMap.class).namespaces(List.of("fight")).build(),
					(configMap, context) -> {
						context.apply(annotated(configMap, OWNER, context.controllerName()));
						return Result.done();
					});
		}

		await().atMost(DEADLINE).until(() -> hotLoops.suspects().stream()
				.anyMatch(suspect -> suspect.cause() == HotLoopSuspect.Cause.PING_PONG));
		HotLoopSuspect suspect = hotLoops.suspects().stream()
				.filter(candidate -> candidate.cause() == HotLoopSuspect.Cause.PING_PONG).findFirst().orElseThrow();
		assertThat(suspect.objectRef()).isEqualTo("ConfigMap fight/contested");
		assertThat(suspect.fields()).contains(OWNER_PATH);
		// The suspect is listed a moment before its warning is logged.
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(warnings()).anySatisfy(warning -> assertThat(warning)
				.contains("another writer").contains(OWNER_PATH).doesNotContain("=left").doesNotContain("=right")));
	}

	@Test
	void aDeletionWhoseCleanupKeepsFailingIsListedWithTheErrorAndCounted() throws Exception {
		createNamespace("stuck");
		createConfigMap("stuck", "held");
		String finalizer = "diag.kubecontroller.io/cleanup";
		Controller<V1ConfigMap> controller = run(ControllerSpec.builder("holder", V1ConfigMap.class)
				.namespaces(List.of("stuck")).finalizer(finalizer).backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
				.build(), new ResourceReconciler<>() {
					@Override
					public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
						return Result.done();
					}

					@Override
					public Result cleanup(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
						throw new IllegalStateException("cleanup failed: bucket busy");
					}
				});
		CoreV1Api core = new CoreV1Api(client);
		await().atMost(DEADLINE).until(() -> {
			List<String> finalizers = core.readNamespacedConfigMap("held", "stuck").execute().getMetadata()
					.getFinalizers();
			return finalizers != null && finalizers.contains(finalizer);
		});
		StuckFinalizers stuck = new StuckFinalizers(errors, Duration.ZERO, Clock.systemUTC());
		assertThat(stuck.count(controller)).isZero();

		core.deleteNamespacedConfigMap("held", "stuck").execute();

		await().atMost(DEADLINE).until(() -> stuck.count(controller) == 1
				&& stuck.find(controller).get(0).lastError() != null);
		StuckFinalizer held = stuck.find(controller).get(0);
		assertThat(held.objectRef()).isEqualTo("ConfigMap stuck/held");
		assertThat(held.finalizer()).isEqualTo(finalizer);
		assertThat(held.lastError().message()).contains("cleanup failed: bucket busy");
		// With the default threshold the same deletion is too young to list.
		assertThat(new StuckFinalizers(errors).count(controller)).isZero();
	}

	private <T extends io.kubernetes.client.common.KubernetesObject> Controller<T> run(ControllerSpec<T> spec,
			ResourceReconciler<T> reconciler) throws InterruptedException {
		ControllerDependencies dependencies = new ControllerDependencies(client, informers, new ResourceDiscovery(client),
				WorkerThreads.platform(), "test", ControllerObserver.composite(List.of(errors, hotLoops)));
		Controller<T> controller = new Controller<>(spec, reconciler, dependencies);
		controllers.add(controller);
		controller.start();
		controller.awaitCachesSynced();
		controller.startWorkers();
		return controller;
	}

	// Workers add warnings while the test reads them: read a copy (toArray holds the list's lock).
	private List<String> warnings() {
		return new ArrayList<>(warnings);
	}

	private static V1ConfigMap annotated(V1ConfigMap configMap, String annotation, String value) {
		return new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
				.metadata(new V1ObjectMeta().namespace(configMap.getMetadata().getNamespace())
						.name(configMap.getMetadata().getName()).annotations(Map.of(annotation, value)));
	}

	private void createNamespace(String name) throws Exception {
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	private void createConfigMap(String namespace, String name) throws Exception {
		new CoreV1Api(client).createNamespacedConfigMap(namespace, new V1ConfigMap()
				.metadata(new V1ObjectMeta().namespace(namespace).name(name)).data(Map.of("k", "v"))).execute();
	}

}
