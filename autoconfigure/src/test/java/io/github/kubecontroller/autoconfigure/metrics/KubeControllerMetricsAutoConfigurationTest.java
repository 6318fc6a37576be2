package io.github.kubecontroller.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpointAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.client.RequestListeningInterceptor;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The metrics of controllers reconciling ConfigMaps on the emulator, read from a Prometheus scrape: the names and
 * labels are controller-runtime's, and no label ever carries an object's name or namespace.
 */
class KubeControllerMetricsAutoConfigurationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	private static KubeApiEmulator emulator;
	private static CoreV1Api core;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
				KubeControllerMetricsAutoConfiguration.class));

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		core = new CoreV1Api(emulator.apiClient());
	}

	@AfterEach
	void clearFaults() {
		emulator.faults().clear();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	private ApplicationContextRunner onEmulator() {
		return runner.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl());
	}

	@Test
	void reconcilesQueuesCachesAndRequestsShowUnderControllerRuntimeNames() throws Exception {
		String namespace = "metrics-ns";
		createNamespace(namespace);
		for (String name : List.of("ok-1", "ok-2", "ok-3", "fail-me", "hang-me")) {
			core.createNamespacedConfigMap(namespace, configMap(namespace, name)).execute();
		}
		// The first read of a ConfigMap by a reconciler is throttled: that reconcile fails and is retried.
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("get").resource("", "configmaps")
				.namespace(namespace)).tooManyRequestsStatus(Duration.ofSeconds(1)).times(1).build());
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		onEmulator().withBean(PrometheusMeterRegistry.class, () -> prometheus)
			.withBean(ReadingReconciler.class, () -> new ReadingReconciler(true))
			.withPropertyValues("kube.controller.reconcilers.reading.namespaces=" + namespace,
					"kube.controller.shutdown-grace-period=100ms",
					"kube.controller.reconcilers.reading.concurrency=3",
					"kube.controller.reconcilers.reading.reconcile-timeout=300ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReadingReconciler reconciler = context.getBean(ReadingReconciler.class);
				await().atMost(DEADLINE).until(() -> reconciler.succeeded.containsAll(Set.of("ok-1", "ok-2", "ok-3")));
				await().atMost(DEADLINE).until(() -> reconciler.interrupted.getCount() == 0);
				await().atMost(DEADLINE).untilAsserted(() -> {
					Scrape scrape = new Scrape(prometheus.scrape());
					assertThat(scrape.value("controller_runtime_reconcile_total", "controller", "reading", "result",
							"success")).isGreaterThanOrEqualTo(3);
					assertThat(scrape.value("controller_runtime_reconcile_total", "controller", "reading", "result",
							"error")).isGreaterThanOrEqualTo(3); // fail-me, the 429 and hang-me's timeout
					assertThat(scrape.value("controller_runtime_reconcile_errors_total", "controller", "reading"))
						.isGreaterThanOrEqualTo(3);
					assertThat(scrape.value("controller_runtime_reconcile_timeouts_total", "controller", "reading"))
						.isGreaterThanOrEqualTo(1);
					assertThat(scrape.value("rest_client_requests_total", "code", "429", "method", "GET"))
						.isGreaterThanOrEqualTo(1);
					assertThat(scrape.value("kube_controller_api_requests_seconds_count", "code", "429",
							"resource", "configmaps", "method", "GET")).isGreaterThanOrEqualTo(1);
				});
				Scrape scrape = new Scrape(prometheus.scrape());
				// Pre-initialised values, as controller-runtime has them.
				assertThat(scrape.value("controller_runtime_reconcile_total", "controller", "reading", "result",
						"requeue")).isZero();
				assertThat(scrape.value("controller_runtime_reconcile_total", "controller", "reading", "result",
						"requeue_after")).isZero();
				assertThat(scrape.value("controller_runtime_terminal_reconcile_errors_total", "controller", "reading"))
					.isZero();
				assertThat(scrape.value("controller_runtime_reconcile_time_seconds_bucket", "controller", "reading",
						"le", "60.0")).isGreaterThanOrEqualTo(3);
				assertThat(scrape.value("controller_runtime_reconcile_time_seconds_bucket", "controller", "reading",
						"le", "0.005")).isNotNull();
				assertThat(scrape.value("controller_runtime_max_concurrent_reconciles", "controller", "reading"))
					.isEqualTo(3);
				assertThat(scrape.value("controller_runtime_active_workers", "controller", "reading")).isNotNull();
				String[] queue = { "name", "reading", "controller", "reading" };
				assertThat(scrape.value("workqueue_adds_total", queue)).isGreaterThanOrEqualTo(5);
				assertThat(scrape.value("workqueue_retries_total", queue)).isGreaterThanOrEqualTo(1);
				assertThat(scrape.value("workqueue_depth", queue)).isNotNull();
				assertThat(scrape.value("workqueue_queue_duration_seconds_count", queue)).isGreaterThanOrEqualTo(5);
				assertThat(scrape.value("workqueue_work_duration_seconds_count", queue)).isGreaterThanOrEqualTo(5);
				assertThat(scrape.value("workqueue_queue_duration_seconds_bucket", append(queue, "le", "1.0E-6")))
					.isNotNull();
				assertThat(scrape.value("workqueue_unfinished_work_seconds", queue)).isNotNull();
				assertThat(scrape.value("workqueue_longest_running_processor_seconds", queue)).isNotNull();
				String[] cache = { "resource", "configmaps", "namespace_scope", namespace };
				assertThat(scrape.value("kube_controller_cache_objects", cache)).isEqualTo(5);
				assertThat(scrape.value("kube_controller_cache_bytes", cache)).isGreaterThan(5 * 100);
				assertThat(scrape.value("kube_controller_cache_synced", cache)).isEqualTo(1);
				assertThat(scrape.value("kube_controller_watch_state", append(cache, "state", "watching")))
					.isEqualTo(1);
				assertThat(scrape.value("kube_controller_watch_state", append(cache, "state", "backing_off")))
					.isZero();
				assertThat(scrape.value("kube_controller_relists_total", append(cache, "reason", "initial"))).isEqualTo(1);
				assertThat(scrape.value("kube_controller_relists_total", append(cache, "reason", "expired"))).isZero();
				assertThat(scrape.value("kube_controller_watch_restarts_total", cache)).isGreaterThanOrEqualTo(1);
				assertThat(scrape.value("kube_controller_seconds_since_last_event", cache)).isGreaterThanOrEqualTo(0);
				assertThat(scrape.value("rest_client_requests_total", "code", "200", "method", "GET",
						"host", HttpUrl.get(emulator.baseUrl()).host() + ":" + HttpUrl.get(emulator.baseUrl()).port()))
					.isGreaterThanOrEqualTo(3);
				// History compacted past the informer's resourceVersion (a change it does not watch moves the
				// revision on) while its watch is down: it lists again, counted as expired.
				createNamespace("metrics-elsewhere");
				emulator.compactHistory();
				emulator.closeAllWatches();
				await().atMost(DEADLINE).untilAsserted(() -> assertThat(new Scrape(prometheus.scrape())
					.value("kube_controller_relists_total", append(cache, "reason", "expired"))).isGreaterThanOrEqualTo(1));
			});
	}

	@Test
	void metersExistWhileTheCachesAreStillSyncing() throws Exception {
		String namespace = "metrics-unsynced";
		createNamespace(namespace);
		emulator.faults().add(Fault.matching(RequestMatch.any().resource("", "configmaps").namespace(namespace))
			.status(403).build());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		onEmulator().withBean(SimpleMeterRegistry.class, () -> registry)
			.withBean(ReadingReconciler.class, () -> new ReadingReconciler(false))
			.withPropertyValues("kube.controller.reconcilers.reading.namespaces=" + namespace,
					"kube.controller.reconcilers.reading.sync-timeout=2s")
			.run((context) -> assertThat(context).hasFailed());
		// The start-up failed waiting for the cache, yet the meters were there during the wait.
		assertThat(registry.find("kube.controller.cache.synced").tag("namespace_scope", namespace).gauges()).isNotEmpty();
		assertThat(registry.find("controller.runtime.reconcile").tag("controller", "reading").counters()).isNotEmpty();
	}

	@Test
	void hotLoopsAndStuckFinalizersAreCountedPerController() throws Exception {
		String namespace = "metrics-diagnostics";
		createNamespace(namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, "looping")).execute();
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		onEmulator().withConfiguration(AutoConfigurations.of(KubeControllersEndpointAutoConfiguration.class))
			.withBean(PrometheusMeterRegistry.class, () -> prometheus)
			.withBean(LoopingReconciler.class)
			.withPropertyValues("kube.controller.reconcilers.looping.namespaces=" + namespace,
					"kube.controller.diagnostics.hot-loop-threshold=3", "kube.controller.diagnostics.hot-loop-window=1m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Scrape initial = new Scrape(prometheus.scrape());
				assertThat(initial.value("kube_controller_stuck_finalizers", "controller", "looping")).isZero();
				// Every pass writes a new annotation: each write triggers the next pass.
				await().atMost(DEADLINE).untilAsserted(() -> assertThat(new Scrape(prometheus.scrape())
					.value("kube_controller_hot_loops_total", "controller", "looping")).isGreaterThanOrEqualTo(1));
			});
	}

	@Test
	void noMeterIsTaggedWithAnObjectsNameOrNamespace() throws Exception {
		String namespace = "tenant-ns-zz";
		String name = "secret-object-name-zz";
		createNamespace(namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, name)).execute();
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		// The controller watches every namespace, so the watch scope tag is "all" and no namespace can show up.
		onEmulator().withBean(PrometheusMeterRegistry.class, () -> prometheus)
			.withBean(ReadingReconciler.class, () -> new ReadingReconciler(false))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReadingReconciler reconciler = context.getBean(ReadingReconciler.class);
				await().atMost(DEADLINE).until(() -> reconciler.succeeded.contains(name));
				assertThat(prometheus.get("rest.client.requests").meters()).isNotEmpty();
				assertThat(prometheus.get("kube.controller.cache.objects").tag("namespace_scope", "all").gauge()
					.value()).isGreaterThanOrEqualTo(1);
				List<String> leaks = new ArrayList<>();
				for (Meter meter : prometheus.getMeters()) {
					for (Tag tag : meter.getId().getTags()) {
						if (tag.getValue().contains(name) || tag.getValue().contains(namespace)) {
							leaks.add(meter.getId().toString());
						}
					}
				}
				assertThat(leaks).isEmpty();
				assertThat(prometheus.scrape()).doesNotContain(name).doesNotContain(namespace);
			});
	}

	@Test
	void aSimpleMeterRegistryGetsTheSameMeters() throws Exception {
		String namespace = "metrics-simple";
		createNamespace(namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, "ok-1")).execute();
		SimpleMeterRegistry simple = new SimpleMeterRegistry();
		onEmulator().withBean(MeterRegistry.class, () -> simple)
			.withBean(ReadingReconciler.class, () -> new ReadingReconciler(false))
			.withPropertyValues("kube.controller.reconcilers.reading.namespaces=" + namespace)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(DEADLINE)
					.until(() -> simple.get("controller.runtime.reconcile").tags("controller", "reading", "result",
							"success").counter().count() >= 1);
				assertThat(simple.get("kube.controller.cache.objects").tag("namespace_scope", namespace).gauge()
					.value()).isEqualTo(1);
			});
	}

	@Test
	void waitsForTheClientSideRateLimitAreCounted() {
		SimpleMeterRegistry simple = new SimpleMeterRegistry();
		onEmulator().withBean(MeterRegistry.class, () -> simple)
			.withPropertyValues("kube.controller.client.qps=2", "kube.controller.client.burst=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean("kubeClientRateLimitMetrics", MeterBinder.class).bindTo(simple);
				CoreV1Api api = new CoreV1Api(context.getBean(ApiClient.class));
				api.listNamespace().execute();
				api.listNamespace().execute();

				assertThat(simple.get("kube.controller.client.rate.limit.waits").functionCounter().count())
					.isGreaterThanOrEqualTo(1);
				assertThat(simple.get("kube.controller.client.rate.limit.wait.seconds").functionCounter().count())
					.isPositive();
			});
		onEmulator().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("kubeClientRateLimitMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.find("kube.controller.client.rate.limit.waits").meters()).as("no limit, no meter")
				.isEmpty();
		});
	}

	@Test
	void withoutAMeterRegistryThereAreNoMetrics() {
		onEmulator().withBean(ReadingReconciler.class, () -> new ReadingReconciler(false)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ControllerMetrics.class);
			assertThat(context).doesNotHaveBean(ApiRequestMetrics.class);
			assertThat(context).doesNotHaveBean(ApiClientMetricsPostProcessor.class);
			assertThat(context.getBean(ApiClient.class).getHttpClient().interceptors())
				.noneMatch(RequestListeningInterceptor.class::isInstance);
		});
	}

	@Test
	void withoutMicrometerTheControllersStillStart() {
		onEmulator().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withBean(ReadingReconciler.class, () -> new ReadingReconciler(false))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ControllerObserver.class);
				assertThat(context.getBean(KubeControllers.class).isRunning()).isTrue();
			});
	}

	private static void createNamespace(String name) throws ApiException {
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	private static V1ConfigMap configMap(String namespace, String name) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace).name(name))
			.data(Map.of("payload", "x".repeat(200)));
	}

	private static String[] append(String[] labels, String... more) {
		String[] all = new String[labels.length + more.length];
		System.arraycopy(labels, 0, all, 0, labels.length);
		System.arraycopy(more, 0, all, labels.length, more.length);
		return all;
	}

	/**
	 * Reads each ConfigMap through the controller's client (so that the request metrics see object paths), fails
	 * and, when told to misbehave, fails for {@code fail-me} and blocks {@code hang-me} until its timeout interrupts it.
	 */
	@Reconciler(name = "reading")
	static class ReadingReconciler implements ResourceReconciler<V1ConfigMap> {

		final Set<String> succeeded = ConcurrentHashMap.newKeySet();
		final CountDownLatch interrupted = new CountDownLatch(1);
		private final boolean misbehave;

		ReadingReconciler(boolean misbehave) {
			this.misbehave = misbehave;
		}

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) throws Exception {
			String name = resource.getMetadata().getName();
			if (misbehave && name.equals("fail-me")) {
				throw new IllegalStateException("this one always fails");
			}
			if (misbehave && name.equals("hang-me")) {
				try {
					new CountDownLatch(1).await();
				}
				catch (InterruptedException ex) {
					interrupted.countDown();
					throw ex;
				}
			}
			new CoreV1Api(context.client()).readNamespacedConfigMap(name, resource.getMetadata().getNamespace())
				.execute();
			succeeded.add(name);
			return Result.done();
		}
	}

	/** The samples of a Prometheus text scrape. */
	private record Scrape(String text) {

		/** The value of the first sample of {@code name} with all the given labels, or null. */
		Double value(String name, String... labels) {
			for (String line : text.split("\n")) {
				if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
					continue;
				}
				String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1)
						: "";
				boolean matches = true;
				for (int i = 0; i < labels.length; i += 2) {
					if (!labelPart.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
						matches = false;
						break;
					}
				}
				if (matches) {
					String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
					return Double.parseDouble(parts[0]);
				}
			}
			return null;
		}
	}

	@Reconciler(name = "looping", finalizer = "test.kubecontroller.io/looping")
	static class LoopingReconciler implements ResourceReconciler<V1ConfigMap> {

		private final AtomicInteger passes = new AtomicInteger();

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) throws Exception {
			if (passes.incrementAndGet() > 20) {
				return Result.done(); // enough to be noticed; stop loading the emulator
			}
			context.apply(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
				.metadata(new V1ObjectMeta().namespace(resource.getMetadata().getNamespace())
					.name(resource.getMetadata().getName())
					.putAnnotationsItem("test.kubecontroller.io/pass", Integer.toString(passes.get()))));
			return Result.done();
		}
	}
}
