package io.github.kubecontroller.autoconfigure.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpoint;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpointAutoConfiguration;
import io.github.kubecontroller.autoconfigure.health.KubeControllersHealthAutoConfiguration;
import io.github.kubecontroller.autoconfigure.health.KubeControllersHealthIndicator;
import io.github.kubecontroller.autoconfigure.metrics.KubeControllerMetricsAutoConfiguration;
import io.github.kubecontroller.autoconfigure.rbac.KubeControllerRbacAutoConfiguration;
import io.github.kubecontroller.autoconfigure.rbac.KubeControllersRbac;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.leader.LeaderElectionException;
import io.github.kubecontroller.runtime.leader.LeaderElector;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Two instances of one application with leader election on one emulator: one reconciles, the other stands by
 * ready with warm caches and takes over when the leader stops; the endpoint, metrics, health and generated RBAC say
 * who leads. An instance that may not use its Lease fails to start, naming the rule.
 */
class LeaderElectionTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final String NS = "leader-test";

	/** Every reconcile of both instances, as "instance name". */
	static final Queue<String> PASSES = new ConcurrentLinkedQueue<>();

	private static KubeApiEmulator emulator;
	private static CoreV1Api core;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		core = new CoreV1Api(emulator.apiClient());
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@Reconciler(name = "recorder", namespaces = NS)
	static class Recorder implements ResourceReconciler<V1ConfigMap> {

		private final String instance;

		Recorder(String instance) {
			this.instance = instance;
		}

		@Override
		public Result reconcile(V1ConfigMap configMap, ReconcileContext<V1ConfigMap> context) {
			PASSES.add(instance + " " + configMap.getMetadata().getName());
			return Result.done();
		}
	}

	private ApplicationContextRunner instance(String identity, KubeApiEmulator server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
					KubeControllersEndpointAutoConfiguration.class, KubeControllersHealthAutoConfiguration.class,
					KubeControllerMetricsAutoConfiguration.class, KubeControllerRbacAutoConfiguration.class))
			.withBean(Recorder.class, () -> new Recorder(identity))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("spring.application.name=recording-operator",
					"kube.controller.client.master-url=" + server.baseUrl(),
					"kube.controller.leader-election.enabled=true",
					"kube.controller.leader-election.lease-namespace=" + NS,
					"kube.controller.leader-election.identity=" + identity,
					"kube.controller.leader-election.lease-duration=2s",
					"kube.controller.leader-election.renew-deadline=1500ms",
					"kube.controller.leader-election.retry-period=200ms",
					"management.endpoints.web.exposure.include=kubecontrollers");
	}

	private static void create(String name) throws Exception {
		core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(new V1ObjectMeta().namespace(NS).name(name)))
			.execute();
	}

	@Test
	void oneInstanceReconcilesAndTheOtherTakesOverWhenItStops() {
		instance("a", emulator).run(a -> {
			assertThat(a).hasNotFailed();
			LeaderElector electorA = a.getBean(KubeControllers.class).leaderElection().orElseThrow();
			await().atMost(DEADLINE).until(() -> electorA.role() == LeaderElector.Role.LEADER);
			create("one");
			await().atMost(DEADLINE).until(() -> PASSES.contains("a one"));

			instance("b", emulator).run(b -> {
				assertThat(b).hasNotFailed();
				KubeControllers controllersB = b.getBean(KubeControllers.class);
				LeaderElector electorB = controllersB.leaderElection().orElseThrow();
				await().atMost(DEADLINE).until(() -> "a".equals(electorB.leader()));
				Controller<?> recorderB = controllersB.controller("recorder").orElseThrow();
				assertThat(recorderB.state()).isEqualTo(Controller.State.STANDBY);
				assertThat(recorderB.cachesSynced()).isTrue();
				assertThat(b.getBean(KubeControllersHealthIndicator.class).health().getStatus())
					.as("a follower is ready to take over").isEqualTo(Status.UP);

				create("two");
				await().atMost(DEADLINE).until(() -> PASSES.contains("a two"));
				assertThat(PASSES).noneMatch(pass -> pass.startsWith("b "));

				a.getBean(KubeControllers.class).stop(); // as the leader's context does when it closes
				await().atMost(DEADLINE).until(() -> electorB.role() == LeaderElector.Role.LEADER);
				assertThat(PASSES).as("the objects the leader reconciled are reconciled again by the new one")
					.contains("b one", "b two");
				create("three");
				await().atMost(DEADLINE).until(() -> PASSES.contains("b three"));
				assertThat(PASSES).doesNotContain("a three");

				KubeControllersEndpoint.LeaderElectionDescriptor election = b
					.getBean(KubeControllersEndpoint.class).controllers().leaderElection();
				assertThat(election.lease()).isEqualTo(NS + "/recording-operator-leader");
				assertThat(election.role()).isEqualTo("LEADER");
				assertThat(election.transitions()).isEqualTo(1);
				MeterRegistry registry = b.getBean(MeterRegistry.class);
				b.getBean("kubeLeaderElectionMetrics", MeterBinder.class).bindTo(registry);
				assertThat(registry.get("leader.election.master.status").tag("name", "recording-operator-leader")
					.gauge().value()).isEqualTo(1);
				assertThat(b.getBean(KubeControllersRbac.class).yaml()).contains("leases");
			});
		});
	}

	@Test
	void anInstanceThatMayNotUseItsLeaseFailsToStartNamingTheRule() {
		KubeApiEmulator guarded = KubeApiEmulator.builder().build().start();
		try {
			guarded.accessControl().enable().token("op-token", "op")
				.allow("op", AccessRule.verbs("get", "list", "watch").resources("", "configmaps"))
				.allow("op", AccessRule.verbs("get").resources("coordination.k8s.io", "leases"));
			instance("c", guarded).withPropertyValues("kube.controller.client.token=op-token",
					"kube.controller.leader-election.lease-namespace=default",
					"kube.controller.reconcilers.recorder.namespaces=default")
				.run(context -> assertThat(context).hasFailed().getFailure()
					.rootCause()
					.isInstanceOf(LeaderElectionException.class)
					.hasMessageContaining("cannot create the Lease default/recording-operator-leader")
					.hasMessageContaining("resources: [\"leases\"]"));
		} finally {
			guarded.stop();
		}
	}
}
