package io.github.kubecontroller.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.autoconfigure.health.KubeControllersHealthAutoConfiguration;
import io.github.kubecontroller.autoconfigure.health.KubeControllersHealthIndicator;
import io.github.kubecontroller.autoconfigure.health.KubeControllersWorkersHealthIndicator;
import io.github.kubecontroller.runtime.controller.CacheSyncException;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.informer.CacheMode;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import java.util.concurrent.atomic.AtomicReference;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration's conditions and properties, in application contexts started against the emulator.
 */
class KubeControllerAutoConfigurationTest {

	private static KubeApiEmulator emulator;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class));

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private ApplicationContextRunner onEmulator() {
		return runner.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl());
	}

	@Test
	void createsClientDiscoveryInformersAndControllersFromProperties() {
		onEmulator().run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ApiClient.class);
			assertThat(context).hasSingleBean(ResourceDiscovery.class);
			assertThat(context).hasSingleBean(InformerRegistry.class);
			assertThat(context.getBean(KubeControllers.class).controllers()).isEmpty();
			assertThat(context.getBean(ApiClient.class).getBasePath()).isEqualTo(emulator.baseUrl());
		});
	}

	@Test
	void theApplicationsOwnApiClientReplacesOursAndOutlivesTheContext() throws Exception {
		ApiClient own = emulator.apiClient();
		onEmulator().withBean("myClient", ApiClient.class, () -> own).run(context -> {
			assertThat(context).hasSingleBean(ApiClient.class);
			assertThat(context.getBean(ApiClient.class)).isSameAs(own);
			assertThat(context).doesNotHaveBean(ApiClientConnections.class);
		});
		assertThat(new CoreV1Api(own).listNamespace().execute().getItems()).isNotEmpty();
		assertThat(own.getHttpClient().dispatcher().executorService().isShutdown()).isFalse();
	}

	@Test
	void closingTheContextClosesTheConnectionsOfItsClient() {
		AtomicReference<ApiClient> made = new AtomicReference<>();
		onEmulator().run(context -> {
			ApiClient client = context.getBean(ApiClient.class);
			made.set(client);
			new CoreV1Api(client).listNamespace().execute();
			assertThat(client.getHttpClient().connectionPool().connectionCount()).isPositive();
		});
		assertThat(made.get().getHttpClient().connectionPool().connectionCount()).isZero();
		assertThat(made.get().getHttpClient().dispatcher().executorService().isShutdown()).isTrue();
	}

	@Test
	void aMissingKubeconfigFailsTheStartUpNamingTheFile() {
		runner.withPropertyValues("kube.controller.client.kubeconfig=/does/not/exist/kubeconfig").run(context -> {
			assertThat(context).hasFailed();
			assertThat(rootMessage(context.getStartupFailure())).contains("/does/not/exist/kubeconfig");
		});
	}

	@Test
	void anUnknownPropertyFailsTheStartUpWithItsName() {
		onEmulator().withPropertyValues("kube.controller.informer.page-sise=100").run(context -> {
			assertThat(context).hasFailed();
			assertThat(allMessages(context.getStartupFailure())).contains("kube.controller.informer.page-sise");
		});
	}

	@Test
	void anUnknownReconcilerSettingFailsTheStartUpWithItsName() {
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.concurency=2")
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(allMessages(context.getStartupFailure()))
							.contains("kube.controller.reconcilers.config-map.concurency");
				});
	}

	@Test
	void healthIsUpOnceTheControllersRunAndCanBeSwitchedOff() {
		ApplicationContextRunner withHealth = onEmulator()
				.withConfiguration(AutoConfigurations.of(KubeControllersHealthAutoConfiguration.class))
				.withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.namespaces=default");
		withHealth.run(context -> {
			KubeControllersHealthIndicator indicator = context.getBean(KubeControllersHealthIndicator.class);
			Health health = indicator.health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKey("config-map");
			Health workers = context.getBean(KubeControllersWorkersHealthIndicator.class).health(true);
			assertThat(workers.getStatus()).isEqualTo(Status.UP);
			assertThat(workers.getDetails()).containsKey("config-map");
		});
		withHealth.withPropertyValues("management.health.kubecontrollers.enabled=false")
				.run(context -> {
					assertThat(context).doesNotHaveBean(KubeControllersHealthIndicator.class);
					assertThat(context).doesNotHaveBean(KubeControllersWorkersHealthIndicator.class);
				});
	}

	@Test
	void readinessTurnsDownWhenAWatchKeepsFailingAndUpWhenItRecovers() throws Exception {
		createNamespace("spring-flaky");
		onEmulator().withConfiguration(AutoConfigurations.of(KubeControllersHealthAutoConfiguration.class))
				.withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.namespaces=spring-flaky",
						"kube.controller.diagnostics.unhealthy-watch-after=500ms")
				.run(context -> {
					KubeControllersHealthIndicator readiness = context.getBean(KubeControllersHealthIndicator.class);
					assertThat(readiness.health(true).getStatus()).isEqualTo(Status.UP);
					emulator.faults().add(Fault.matching(RequestMatch.any().resource("", "configmaps")
							.namespace("spring-flaky")).status(403).build());
					try {
						emulator.closeAllWatches();
						await().atMost(Duration.ofSeconds(10))
								.until(() -> readiness.health(true).getStatus().equals(Status.DOWN));
					} finally {
						emulator.faults().clear();
					}
					await().atMost(Duration.ofSeconds(45))
							.until(() -> readiness.health(true).getStatus().equals(Status.UP));
				});
	}

	@Test
	void workersHealthIsDownWhileEveryWorkerIsStuckAndUpAgainAfter() throws Exception {
		createNamespace("spring-stuck");
		new CoreV1Api(emulator.apiClient()).createNamespacedConfigMap("spring-stuck", configMap("spring-stuck", "tar"))
				.execute();
		onEmulator().withConfiguration(AutoConfigurations.of(KubeControllersHealthAutoConfiguration.class))
				.withBean(StuckReconciler.class)
				.withPropertyValues("kube.controller.reconcilers.stuck.namespaces=spring-stuck",
						"kube.controller.reconcilers.stuck.concurrency=1",
						"kube.controller.reconcilers.stuck.reconcile-timeout=100ms",
						"kube.controller.shutdown-grace-period=1s")
				.run(context -> {
					KubeControllersWorkersHealthIndicator workers = context.getBean(KubeControllersWorkersHealthIndicator.class);
					StuckReconciler reconciler = context.getBean(StuckReconciler.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> workers.health(true).getStatus().equals(Status.DOWN));
					reconciler.release = true;
					await().atMost(Duration.ofSeconds(10)).until(() -> workers.health(true).getStatus().equals(Status.UP));
				});
	}

	@Test
	void startUpFailuresAreExplainedByTheFailureAnalyzer() {
		FailureAnalysis analysis = new KubeControllerFailureAnalyzer().analyze(new IllegalStateException("wrapped",
				new CacheSyncException("Controller 'x' could not start: list configmaps: 403 Forbidden")));
		assertThat(analysis.getDescription()).contains("403 Forbidden");
		assertThat(analysis.getAction()).contains("RBAC");
		assertThat(new KubeControllerFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void impossibleValuesFailTheStartUpNamingTheProperty() {
		onEmulator().withPropertyValues("kube.controller.informer.page-size=0").run(context -> {
			assertThat(context).hasFailed();
			assertThat(allMessages(context.getStartupFailure()))
					.contains("kube.controller.informer.page-size must be at least 1, was 0");
		});
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.concurrency=0")
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(allMessages(context.getStartupFailure()))
							.contains("kube.controller.reconcilers.config-map.concurrency must be at least 1, was 0");
				});
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.backoff-base=10s",
						"kube.controller.reconcilers.config-map.backoff-cap=1s")
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(allMessages(context.getStartupFailure()))
							.contains("backoffCap of controller 'config-map' (PT1S) must not be less than backoffBase (PT10S)")
							.contains("kube.controller.reconcilers.config-map");
				});
	}

	@Test
	void aNonReconcilerBeanWithTheAnnotationFailsTheStartUp() {
		onEmulator().withBean("notAReconciler", NotAReconciler.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(allMessages(context.getStartupFailure()))
					.contains("@Reconciler bean 'notAReconciler'")
					.contains("does not implement ResourceReconciler");
		});
	}

	@Test
	void settingsForAReconcilerThatDoesNotExistFailTheStartUp() {
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-mapz.concurrency=2")
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(allMessages(context.getStartupFailure()))
							.contains("kube.controller.reconcilers.config-mapz does not name a @Reconciler bean")
							.contains("[config-map]");
				});
	}

	@Test
	void controllersCanBeSwitchedOff() {
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.enabled=false")
				.run(context -> {
					assertThat(context).hasNotFailed();
					assertThat(context).doesNotHaveBean(KubeControllers.class);
					assertThat(context).hasSingleBean(ApiClient.class);
				});
	}

	@Test
	void oneReconcilerCanBeSwitchedOff() {
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.enabled=false")
				.run(context -> assertThat(context.getBean(KubeControllers.class).controllers()).isEmpty());
	}

	@Test
	void aReconcilerBeanRunsOnceTheCachesHaveSynced() throws Exception {
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		String namespace = "spring-runs";
		createNamespace(namespace);
		core.createNamespacedConfigMap(namespace, configMap(namespace, "before-start")).execute();
		onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.config-map.namespaces=" + namespace)
				.run(context -> {
					assertThat(context).hasNotFailed();
					KubeControllers controllers = context.getBean(KubeControllers.class);
					assertThat(controllers.isRunning()).isTrue();
					assertThat(controllers.cachesSynced()).isTrue();
					ConfigMapReconciler reconciler = context.getBean(ConfigMapReconciler.class);
					await().atMost(Duration.ofSeconds(10))
							.until(() -> reconciler.seen.contains(namespace + "/before-start"));
					core.createNamespacedConfigMap(namespace, configMap(namespace, "after-start")).execute();
					await().atMost(Duration.ofSeconds(10))
							.until(() -> reconciler.seen.contains(namespace + "/after-start"));
					assertThat(reconciler.logContext.get(namespace + "/after-start"))
							.containsEntry("controller", "config-map")
							.containsEntry("object.ref", "ConfigMap/" + namespace + "/after-start")
							.containsEntry("object.reason", "object changed");
				});
	}

	@Test
	void annotationSettingsApplyAndPropertiesOverrideThem() {
		onEmulator().withUserConfiguration(TunedReconcilerConfiguration.class)
				.withPropertyValues("kube.controller.reconcilers.tuned.concurrency=3",
						"kube.controller.reconcilers.tuned.backoff-cap=1m", "kube.controller.reconcilers.tuned.cache=compact")
				.run(context -> {
					assertThat(context).hasNotFailed();
					ControllerSpec<?> spec = context.getBean(KubeControllers.class).controller("tuned").orElseThrow().spec();
					assertThat(spec.concurrency()).isEqualTo(3);
					assertThat(spec.backoffBase()).isEqualTo(Duration.ofMillis(50));
					assertThat(spec.backoffCap()).isEqualTo(Duration.ofMinutes(1));
					assertThat(spec.resyncPeriod()).isEqualTo(Duration.ofHours(1));
					assertThat(spec.reconcileTimeout()).isEqualTo(Duration.ofSeconds(20));
					assertThat(spec.labelSelector()).isEqualTo("app=tuned");
					assertThat(spec.namespaces()).containsExactly("tuned");
					assertThat(spec.owns()).hasSize(1);
					// configure() ran after the annotation
					assertThat(spec.watches()).hasSize(1);
					assertThat(spec.primaryCache()).isEqualTo(CacheMode.COMPACT);
					// owned (metadata only by default) and watched: the mapping function needs whole objects
					assertThat(spec.cacheMode(spec.owns().get(0))).isEqualTo(CacheMode.OBJECTS);
				});
	}

	@Test
	void aMalformedDurationOnTheAnnotationFailsTheStartUpNamingTheBean() {
		onEmulator().withUserConfiguration(BadDurationReconcilerConfiguration.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(allMessages(context.getStartupFailure()))
					.contains("@Reconciler bean 'badDuration'")
					.contains("resyncPeriod = \"ten hours\" is not a duration");
		});
	}

	@Test
	void aMissingCustomResourceDefinitionFailsTheStartUpNamingTheKind() {
		onEmulator().withUserConfiguration(GadgetReconcilerConfiguration.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(allMessages(context.getStartupFailure()))
					.contains("Gadget")
					.contains("nothere.kubecontroller.io")
					.containsIgnoringCase("CustomResourceDefinition");
		});
	}

	@Test
	void cachesThatCannotSyncFailTheStartUpWithTheResourceAndTheCause() throws Exception {
		String namespace = "spring-forbidden";
		createNamespace(namespace);
		emulator.faults().add(Fault.matching(RequestMatch.any().resource("", "configmaps").namespace(namespace)).status(403).build());
		try {
			onEmulator().withUserConfiguration(ConfigMapReconcilerConfiguration.class)
					.withPropertyValues("kube.controller.reconcilers.config-map.namespaces=" + namespace,
							"kube.controller.reconcilers.config-map.sync-timeout=2s")
					.run(context -> {
						assertThat(context).hasFailed();
						assertThat(allMessages(context.getStartupFailure()))
								.contains("Controller 'config-map' could not start")
								.contains("configmaps")
								.contains(namespace)
								.contains("403");
					});
		} finally {
			emulator.faults().clear();
		}
	}

	private static void createNamespace(String name) throws Exception {
		new CoreV1Api(emulator.apiClient()).createNamespace(
				new io.kubernetes.client.openapi.models.V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	private static V1ConfigMap configMap(String namespace, String name) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace).name(name)).data(Map.of("k", "v"));
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage();
	}

	private static String allMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@Reconciler
	static class ConfigMapReconciler implements ResourceReconciler<V1ConfigMap> {

		final Set<String> seen = ConcurrentHashMap.newKeySet();
		final Map<String, Map<String, String>> logContext = new ConcurrentHashMap<>();

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			logContext.put(context.key().toString(), org.slf4j.MDC.getCopyOfContextMap());
			seen.add(context.key().toString());
			return Result.done();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ConfigMapReconcilerConfiguration {

		@Bean
		ConfigMapReconciler configMapReconciler() {
			return new ConfigMapReconciler();
		}
	}

	@Reconciler(name = "tuned", namespaces = "tuned", labelSelector = "app=tuned", owns = V1Secret.class,
			concurrency = 7, backoffBase = "50ms", backoffCap = "10s", resyncPeriod = "1h", reconcileTimeout = "20s")
	static class TunedReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public void configure(ControllerSpec.Builder<V1ConfigMap> controller) {
			controller.watches(V1Secret.class, secret -> Set.of());
		}

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			return Result.done();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class TunedReconcilerConfiguration {

		@Bean
		TunedReconciler tunedReconciler() {
			return new TunedReconciler();
		}
	}

	@Reconciler(name = "stuck")
	static class StuckReconciler implements ResourceReconciler<V1ConfigMap> {

		volatile boolean release;

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			while (!release) {
				Thread.onSpinWait(); // ignores interrupts, as a wedged call would
			}
			return Result.done();
		}
	}

	@Reconciler
	static class NotAReconciler {
	}

	@Reconciler(resyncPeriod = "ten hours")
	static class BadDurationReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			return Result.done();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class BadDurationReconcilerConfiguration {

		@Bean
		BadDurationReconciler badDuration() {
			return new BadDurationReconciler();
		}
	}

	@KubernetesResource(apiVersion = "nothere.kubecontroller.io/v1", kind = "Gadget")
	static class Gadget implements KubernetesObject {

		private V1ObjectMeta metadata;

		@Override
		public V1ObjectMeta getMetadata() {
			return metadata;
		}

		@Override
		public String getApiVersion() {
			return "nothere.kubecontroller.io/v1";
		}

		@Override
		public String getKind() {
			return "Gadget";
		}
	}

	@Reconciler
	static class GadgetReconciler implements ResourceReconciler<Gadget> {

		@Override
		public Result reconcile(Gadget resource, ReconcileContext<Gadget> context) {
			return Result.done();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class GadgetReconcilerConfiguration {

		@Bean
		GadgetReconciler gadgetReconciler() {
			return new GadgetReconciler();
		}
	}
}
