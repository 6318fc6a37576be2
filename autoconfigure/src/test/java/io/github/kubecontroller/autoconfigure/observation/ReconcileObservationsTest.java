package io.github.kubecontroller.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each reconcile is one {@code kube.reconcile} observation, with low- and high-cardinality keys kept apart. */
class ReconcileObservationsTest {

	private static KubeApiEmulator emulator;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
					KubeControllerObservationAutoConfiguration.class))
			.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl());

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@Test
	void everyReconcileIsAnObservationWithItsResultAndObject() throws Exception {
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("traced"))).execute();
		core.createNamespacedConfigMap("traced", new V1ConfigMap().metadata(new V1ObjectMeta().name("good"))).execute();
		core.createNamespacedConfigMap("traced", new V1ConfigMap().metadata(new V1ObjectMeta().name("bad"))).execute();
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}
		});
		runner.withBean(ObservationRegistry.class, () -> registry)
				.withBean(TracedReconciler.class)
				.withPropertyValues("kube.controller.reconcilers.traced.namespaces=traced",
						"kube.controller.reconcilers.traced.backoff-base=1s")
				.run(context -> {
					assertThat(context).hasNotFailed();
					await().atMost(Duration.ofSeconds(10)).until(() -> stopped.size() >= 2);
					Observation.Context good = find(stopped, "ConfigMap/traced/good");
					assertThat(good.getName()).isEqualTo(ReconcileObservations.NAME);
					assertThat(good.getLowCardinalityKeyValue("controller").getValue()).isEqualTo("traced");
					assertThat(good.getLowCardinalityKeyValue("result").getValue()).isEqualTo("success");
					assertThat(good.getHighCardinalityKeyValue("reason").getValue()).isEqualTo("object changed");
					assertThat(good.getError()).isNull();
					Observation.Context bad = find(stopped, "ConfigMap/traced/bad");
					assertThat(bad.getLowCardinalityKeyValue("result").getValue()).isEqualTo("error");
					assertThat(bad.getError()).hasMessage("no good");
					// object names only ever as high-cardinality keys
					assertThat(stopped).allSatisfy(observation -> assertThat(observation.getLowCardinalityKeyValues())
							.noneMatch(keyValue -> keyValue.getValue().contains("good") || keyValue.getValue().contains("bad")));
				});
	}

	@Test
	void withoutObservationSupportTheControllersStillRun() {
		runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ReconcileObservations.class);
		});
		runner.run(context -> assertThat(context).doesNotHaveBean(ReconcileObservations.class));
	}

	private static Observation.Context find(List<Observation.Context> stopped, String objectRef) {
		return stopped.stream()
				.filter(observation -> observation.getHighCardinalityKeyValue("object.ref").getValue().equals(objectRef))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no observation of " + objectRef + " in " + stopped));
	}

	@Reconciler(name = "traced")
	static class TracedReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public Result reconcile(V1ConfigMap resource, ReconcileContext<V1ConfigMap> context) {
			if (resource.getMetadata().getName().equals("bad")) {
				throw new IllegalStateException("no good");
			}
			return Result.done();
		}
	}
}
