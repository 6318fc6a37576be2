package io.github.kubecontroller.autoconfigure.shard;

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
import io.github.kubecontroller.runtime.controller.Widget;
import io.github.kubecontroller.runtime.controller.WidgetCrd;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.shard.ShardCoordinator;
import io.github.kubecontroller.runtime.shard.ShardingException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Three instances of one application with sharding split 200 Widgets: each Widget is reconciled, and only by the
 * instance that holds its shard; the endpoint, metrics, health and generated RBAC show the sharding. Sharding
 * with leader election, bad settings and missing RBAC fail the start-up with what to fix.
 */
class ShardingTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);
	private static final String NS = "sharding-test";
	private static final int WIDGETS = 200;

	/** Every reconcile of every instance, as "instance namespace/name". */
	static final Queue<String> PASSES = new ConcurrentLinkedQueue<>();

	private static KubeApiEmulator emulator;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		WidgetCrd.install(emulator.apiClient());
		new CoreV1Api(emulator.apiClient()).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS)))
			.execute();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@Reconciler(name = "widgets", namespaces = NS)
	static class RecordingReconciler implements ResourceReconciler<Widget> {

		private final String instance;

		RecordingReconciler(String instance) {
			this.instance = instance;
		}

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) {
			PASSES.add(instance + " " + context.key());
			return Result.done();
		}
	}

	private ApplicationContextRunner instance(String identity, KubeApiEmulator server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
					KubeControllersEndpointAutoConfiguration.class, KubeControllersHealthAutoConfiguration.class,
					KubeControllerMetricsAutoConfiguration.class, KubeControllerRbacAutoConfiguration.class))
			.withBean(RecordingReconciler.class, () -> new RecordingReconciler(identity))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("spring.application.name=sharded-operator",
					"kube.controller.client.master-url=" + server.baseUrl(),
					"kube.controller.sharding.enabled=true",
					"kube.controller.sharding.lease-namespace=" + NS,
					"kube.controller.sharding.identity=" + identity,
					"kube.controller.sharding.lease-duration=2s",
					"kube.controller.sharding.renew-deadline=1500ms",
					"kube.controller.sharding.retry-period=200ms",
					"management.endpoints.web.exposure.include=kubecontrollers");
	}

	@Test
	void threeInstancesSplitTheWidgetsEachReconciledByTheHolderOfItsShard() {
		instance("a", emulator).run(a -> instance("b", emulator).run(b -> instance("c", emulator).run(c -> {
			Map<String, AssertableApplicationContext> instances = Map.of("a", a, "b", b, "c", c);
			instances.values().forEach(context -> assertThat(context).hasNotFailed());
			Map<String, ShardCoordinator> coordinators = instances.entrySet().stream().collect(Collectors.toMap(
					Map.Entry::getKey, entry -> coordinator(entry.getValue())));
			// 16 shards among 3 instances: 6, 5 and 5, each shard held by one.
			await().atMost(DEADLINE).until(() -> coordinators.values().stream()
				.map(coordinator -> coordinator.heldShards().size()).sorted().toList().equals(List.of(5, 5, 6)));
			assertThat(coordinators.values().stream().flatMap(coordinator -> coordinator.heldShards().stream())
				.distinct().count()).isEqualTo(16);

			List<String> names = IntStream.range(0, WIDGETS).mapToObj(i -> String.format("widget-%03d", i)).toList();
			CustomObjectsApi widgets = new CustomObjectsApi(emulator.apiClient());
			for (String name : names) {
				widgets.createNamespacedCustomObject("test.kubecontroller.io", "v1", NS, "widgets",
						Widget.named(NS, name, "content")).execute();
			}

			await().atMost(DEADLINE).until(() -> reconciled().size() == WIDGETS);
			Map<String, Set<String>> reconcilersByWidget = PASSES.stream().map(pass -> pass.split(" "))
				.collect(Collectors.groupingBy(pass -> pass[1], Collectors.mapping(pass -> pass[0],
						Collectors.toSet())));
			for (String name : names) {
				ObjectKey key = ObjectKey.of(NS, name);
				String holder = coordinators.entrySet().stream()
					.filter(entry -> entry.getValue().heldShards().contains(entry.getValue().shards().of(key)))
					.map(Map.Entry::getKey).findFirst().orElseThrow();
				assertThat(reconcilersByWidget.get(key.toString())).as("instances that reconciled %s", key)
					.containsExactly(holder);
			}
			assertThat(reconcilersByWidget.values().stream().flatMap(Set::stream).distinct())
				.as("every instance reconciled some").containsExactlyInAnyOrder("a", "b", "c");

			// The endpoint, metrics, health and RBAC of one instance.
			KubeControllersEndpoint.ShardingDescriptor sharding = a.getBean(KubeControllersEndpoint.class)
				.controllers().sharding();
			assertThat(sharding.leases()).isEqualTo(NS + "/sharded-operator");
			assertThat(sharding.identity()).isEqualTo("a");
			assertThat(sharding.shards()).isEqualTo(16);
			assertThat(sharding.held()).isEqualTo(coordinators.get("a").heldShards());
			assertThat(sharding.members()).containsExactly("a", "b", "c");
			assertThat(sharding.moves().acquired()).isGreaterThanOrEqualTo(sharding.held().size());
			MeterRegistry registry = a.getBean(MeterRegistry.class);
			a.getBean("kubeShardingMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.get("kube.controller.shards.held").tag("name", "sharded-operator").gauge().value())
				.isEqualTo(sharding.held().size());
			assertThat(registry.get("kube.controller.shard.moves").tag("direction", "acquired").functionCounter()
				.count()).isEqualTo(sharding.moves().acquired());
			assertThat(a.getBean(KubeControllersHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
			Controller<?> controller = a.getBean(KubeControllers.class).controller("widgets").orElseThrow();
			assertThat(controller.state()).isEqualTo(Controller.State.RUNNING);
			assertThat(a.getBean(KubeControllersRbac.class).yaml()).contains("sharding: lists its Leases")
				.contains("- create", "- delete", "- list", "- update");
		})));
	}

	@Test
	void shardingWithLeaderElectionFailsNamingBothProperties() {
		instance("d", emulator).withPropertyValues("kube.controller.leader-election.enabled=true")
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
				.hasMessageContaining("kube.controller.leader-election.enabled")
				.hasMessageContaining("kube.controller.sharding.enabled")
				.hasMessageContaining("sharding replaces leader election"));
	}

	@Test
	void badSettingsFailNamingTheProperty() {
		instance("e", emulator).withPropertyValues("kube.controller.sharding.shards=0")
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
				.hasMessageContaining("kube.controller.sharding.shards must be at least 1"));
		instance("f", emulator).withPropertyValues("kube.controller.sharding.renew-deadline=2s")
			.run(context -> assertThat(context).hasFailed().getFailure()
				.hasStackTraceContaining("kube.controller.sharding: the renew deadline (PT2S) must be shorter than the"
						+ " lease duration (PT2S); fix lease-duration, renew-deadline"));
	}

	@Test
	void anInstanceThatMayNotUseItsLeasesFailsToStartNamingTheRule() throws Exception {
		KubeApiEmulator guarded = KubeApiEmulator.builder().build().start();
		try {
			WidgetCrd.install(guarded.apiClient());
			guarded.accessControl().enable().token("op-token", "op")
				.allow("op", AccessRule.verbs("get", "list", "watch").resources("test.kubecontroller.io", "widgets"))
				.allow("op", AccessRule.verbs("list", "create").resources("coordination.k8s.io", "leases"));
			instance("g", guarded).withPropertyValues("kube.controller.client.token=op-token",
					"kube.controller.sharding.lease-namespace=default",
					"kube.controller.reconcilers.widgets.namespaces=default")
				.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
					.isInstanceOf(ShardingException.class)
					.hasMessageContaining("cannot delete the Leases of sharded-operator in namespace default")
					.hasMessageContaining("resources: [\"leases\"]"));
		} finally {
			guarded.stop();
		}
	}

	private static Set<String> reconciled() {
		return PASSES.stream().map(pass -> pass.split(" ")[1]).collect(Collectors.toSet());
	}

	private static ShardCoordinator coordinator(AssertableApplicationContext context) {
		return context.getBean(KubeControllers.class).sharding().orElseThrow();
	}
}
