package io.github.kubecontroller.runtime.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerDependencies;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.controller.WorkerThreads;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work that comes back to an instance, because it leads again or gains a shard, does not keep the backoff of the
 * failures it had before: with a first retry a minute away, it is retried at once.
 */
class RegainedWorkTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);
	private static final String NS = "regained";

	private KubeApiEmulator emulator;
	private InformerRegistry informers;
	private Controller<V1ConfigMap> controller;
	/** Failed attempts before each reconcile, as the context says. */
	private final Queue<Integer> attempts = new ConcurrentLinkedQueue<>();
	private final AtomicBoolean failing = new AtomicBoolean(true);

	@BeforeEach
	void start() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
		core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(new V1ObjectMeta().namespace(NS).name("one")))
			.execute();
		informers = new InformerRegistry(emulator.apiClient(), InformerOptions.defaults());
		ResourceReconciler<V1ConfigMap> reconciler = (configMap, context) -> {
			attempts.add(context.failedAttempts());
			if (failing.get()) {
				throw new IllegalStateException("failing on purpose");
			}
			return Result.done();
		};
		// The first retry after a failure comes a minute later.
		controller = new Controller<>(ControllerSpec.builder("regained", V1ConfigMap.class).namespaces(List.of(NS))
			.backoff(Duration.ofMinutes(1), Duration.ofMinutes(5)).build(), reconciler,
				new ControllerDependencies(emulator.apiClient(), informers, new ResourceDiscovery(emulator.apiClient()),
						WorkerThreads.platform(), "test"));
		controller.start();
		controller.awaitCachesSynced();
	}

	@AfterEach
	void stop() {
		try {
			controller.stop(Duration.ofSeconds(5));
			informers.close();
		} finally {
			emulator.stop();
		}
	}

	@Test
	void anInstanceThatLeadsAgainRetriesFailedObjectsAtOnce() {
		controller.startWorkers();
		await().atMost(DEADLINE).until(() -> attempts.size() == 1);
		controller.standBy(Duration.ZERO); // lost the lease
		failing.set(false);

		controller.startWorkers(); // leads again

		await().atMost(DEADLINE).until(() -> attempts.size() == 2);
		assertThat(attempts).as("failed attempts before each reconcile: the count starts over").containsExactly(0, 0);
	}

	@Test
	void anInstanceThatGainsAShardRetriesItsFailedObjectsAtOnce() {
		AtomicBoolean held = new AtomicBoolean(true);
		controller.gate(key -> held.get());
		controller.startWorkers();
		await().atMost(DEADLINE).until(() -> attempts.size() == 1);
		held.set(false); // the shard moves away, and later back
		failing.set(false);
		held.set(true);

		assertThat(controller.requeueCached(key -> true)).isEqualTo(1);

		await().atMost(DEADLINE).until(() -> attempts.size() == 2);
		assertThat(attempts).containsExactly(0, 0);
	}

	@Test
	void keysTheGateTurnsAwayAreNotReconciled() {
		controller.gate(key -> false);
		controller.startWorkers();
		controller.requeueCached(key -> true);

		await().atMost(DEADLINE).until(() -> controller.queueStats().depth() == 0
				&& controller.reconcilesInFlight().isEmpty() && controller.queueStats().adds() >= 2);
		assertThat(attempts).isEmpty();
	}
}
