package io.github.kubecontroller.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.RecentErrors;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizers;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The endpoint and the diagnostics beans in application contexts started against the emulator. */
class KubeControllersEndpointTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final String SECRET_VALUE = "s3cr3t-value-4711";

	private static KubeApiEmulator emulator;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		for (String namespace : new String[] { "calm", "busy" }) {
			core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
			core.createNamespacedConfigMap(namespace, new V1ConfigMap()
					.metadata(new V1ObjectMeta().namespace(namespace).name("settings"))
					.data(Map.of("password", SECRET_VALUE))).execute();
		}
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
					KubeControllersEndpointAutoConfiguration.class))
			.withUserConfiguration(Reconcilers.class)
			.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl(),
					"kube.controller.reconcilers.calm.namespaces=calm",
					"kube.controller.reconcilers.stamper.namespaces=busy",
					"management.endpoints.web.exposure.include=kubecontrollers");

	@Test
	void listsEveryControllerAndDetailsOneWithItsHotLoopButNoObjectContents() {
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			KubeControllersEndpoint endpoint = context.getBean(KubeControllersEndpoint.class);
			await().atMost(DEADLINE).until(() -> !endpoint.controller("stamper").hotLoopSuspects().isEmpty());

			KubeControllersEndpoint.ControllersDescriptor all = endpoint.controllers();
			assertThat(all.controllers()).containsOnlyKeys("calm", "stamper");
			assertThat(all.controllers().get("calm").state()).isEqualTo("RUNNING");
			assertThat(all.controllers().get("calm").kind()).isEqualTo("ConfigMap");
			assertThat(all.controllers().get("calm").hotLoopSuspects()).isZero();
			assertThat(all.controllers().get("stamper").hotLoopSuspects()).isEqualTo(1);

			KubeControllersEndpoint.ControllerDescriptor stamper = endpoint.controller("stamper");
			assertThat(stamper.resource()).isEqualTo(
					new KubeControllersEndpoint.ResourceDescriptor("", "v1", "ConfigMap", "configmaps", true));
			assertThat(stamper.namespaces()).containsExactly("busy");
			assertThat(stamper.cachesSynced()).isTrue();
			assertThat(stamper.informers()).singleElement().satisfies(informer -> {
				assertThat(informer.watch()).contains("busy");
				assertThat(informer.primary()).isTrue();
				assertThat(informer.cache()).isEqualTo("OBJECTS");
				assertThat(informer.cachedObjects()).isEqualTo(1);
				assertThat(informer.state()).isEqualTo("WATCHING");
			});
			assertThat(stamper.hotLoopSuspects()).singleElement().satisfies(suspect -> {
				assertThat(suspect.object()).isEqualTo("ConfigMap busy/settings");
				assertThat(suspect.cause()).isEqualTo("OWN_WRITES");
				assertThat(suspect.fields()).contains("metadata.annotations['diag.kubecontroller.io/touched']");
			});
			String everything = all + "\n" + stamper + "\n" + endpoint.controller("calm");
			assertThat(everything).doesNotContain(SECRET_VALUE).doesNotContain("password");
			assertThat(endpoint.controller("nope")).isNull();
		});
	}

	@Test
	void countsReconcilesAndFailedReconcilesSinceStart() {
		runner.withUserConfiguration(GrumpyReconcilers.class)
				.withPropertyValues("kube.controller.reconcilers.grumpy.namespaces=calm",
						"kube.controller.reconcilers.grumpy.backoff-cap=1s")
				.run(context -> {
					assertThat(context).hasNotFailed();
					KubeControllersEndpoint endpoint = context.getBean(KubeControllersEndpoint.class);
					CalmReconciler calm = context.getBean(CalmReconciler.class);
					await().atMost(DEADLINE).until(() -> endpoint.controllers().controllers().get("calm").reconciles() >= 1
							&& endpoint.controllers().controllers().get("grumpy").failedReconciles() >= 2);

					// A reconcile is counted when it has finished: the reconciler's own count may be one ahead.
					KubeControllersEndpoint.ControllerSummary calmSummary = endpoint.controllers().controllers()
							.get("calm");
					assertThat(calmSummary.reconciles()).isBetween(calm.passes.get() - 1, calm.passes.get());
					assertThat(calmSummary.failedReconciles()).isZero();
					KubeControllersEndpoint.ControllerSummary grumpy = endpoint.controllers().controllers()
							.get("grumpy");
					assertThat(grumpy.failedReconciles()).isEqualTo(grumpy.reconciles());
					assertThat(grumpy.failingObjects()).isEqualTo(1);

					KubeControllersEndpoint.ControllerDescriptor calmDetail = endpoint.controller("calm");
					assertThat(calmDetail.reconciles()).isGreaterThanOrEqualTo(calmSummary.reconciles());
					assertThat(calmDetail.failedReconciles()).isZero();
					KubeControllersEndpoint.ControllerDescriptor grumpyDetail = endpoint.controller("grumpy");
					assertThat(grumpyDetail.reconciles()).isGreaterThanOrEqualTo(grumpy.reconciles());
					assertThat(grumpyDetail.failedReconciles()).isEqualTo(grumpyDetail.reconciles());
				});
	}

	@Test
	void requeueIsRefusedUnlessEnabled() {
		runner.run(context -> {
			KubeControllersEndpoint endpoint = context.getBean(KubeControllersEndpoint.class);
			KubeControllersEndpoint.RequeueAnswer answer = endpoint.requeue("calm", "calm", "settings");
			assertThat(answer.requeued()).isFalse();
			assertThat(answer.message()).contains("management.endpoint.kubecontrollers.requeue.enabled=true");
		});
		runner.withPropertyValues("management.endpoint.kubecontrollers.requeue.enabled=true").run(context -> {
			KubeControllersEndpoint endpoint = context.getBean(KubeControllersEndpoint.class);
			CalmReconciler calm = context.getBean(CalmReconciler.class);
			await().atMost(DEADLINE).until(() -> calm.passes.get() >= 1);
			long before = calm.passes.get();
			assertThat(endpoint.requeue("calm", "calm", "settings").requeued()).isTrue();
			await().atMost(DEADLINE).until(() -> calm.passes.get() > before);
			assertThat(endpoint.requeue("nope", "calm", "settings").requeued()).isFalse();
		});
	}

	@Test
	void theDiagnosticsRunWithoutTheActuatorAndTheEndpointOnlyWhenExposed() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate")).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RecentErrors.class).hasSingleBean(HotLoopDetector.class)
					.hasSingleBean(StuckFinalizers.class).doesNotHaveBean(KubeControllersEndpoint.class);
		});
		runner.withPropertyValues("management.endpoints.web.exposure.include=health")
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KubeControllersEndpoint.class)
						.hasSingleBean(HotLoopDetector.class));
		runner.withPropertyValues("kube.controller.enabled=false")
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HotLoopDetector.class)
						.doesNotHaveBean(KubeControllersEndpoint.class));
	}

	@Reconciler(name = "calm")
	static class CalmReconciler implements ResourceReconciler<V1ConfigMap> {

		final AtomicLong passes = new AtomicLong();

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			passes.incrementAndGet();
			return Result.done();
		}
	}

	/** Writes a new timestamp annotation on every pass, and so reconciles again and again. */
	@Reconciler(name = "stamper")
	static class StamperReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) throws Exception {
			context.apply(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
					.metadata(new V1ObjectMeta().namespace(resource.getMetadata().getNamespace())
							.name(resource.getMetadata().getName())
							.annotations(Map.of("diag.kubecontroller.io/touched", String.valueOf(System.nanoTime())))));
			return Result.done();
		}
	}

	/** Fails every reconcile. */
	@Reconciler(name = "grumpy")
	static class GrumpyReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			throw new IllegalStateException("grumpy refuses " + context.key());
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class GrumpyReconcilers {

		@Bean
		GrumpyReconciler grumpyReconciler() {
			return new GrumpyReconciler();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Reconcilers {

		@Bean
		CalmReconciler calmReconciler() {
			return new CalmReconciler();
		}

		@Bean
		StamperReconciler stamperReconciler() {
			return new StamperReconciler();
		}
	}
}
