package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What queues an object again, and the reason a pass is told: the periodic resync, a requested requeue, a change
 * of an owned child, a change of a watched object mapped to it.
 */
class ReconcileTriggerTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	private final Queue<Pass> passes = new ConcurrentLinkedQueue<>();

	record Pass(String name, ReconcileReason reason) {
	}

	private boolean passed(String name, ReconcileReason reason) {
		return passes.contains(new Pass(name, reason));
	}

	@Test
	void anUnchangedObjectIsReconciledAgainAtTheResyncPeriod() throws Exception {
		cluster.run(ControllerSpec.builder("resync", Widget.class).resyncPeriod(Duration.ofMillis(500)).build(),
				(widget, context) -> {
					passes.add(new Pass(context.key().name(), context.reason()));
					return Result.done();
				});

		cluster.createWidget(NS, "steady", "content");

		Pass resync = new Pass("steady", ReconcileReason.PERIODIC_RESYNC);
		await().atMost(DEADLINE).until(() -> passes.stream().filter(resync::equals).count() >= 2);
		// The creation's pass comes first, unless the sweep found the new object in the cache a moment before its
		// event queued it: then the event's pass follows.
		assertThat(passes).contains(new Pass("steady", ReconcileReason.OBJECT_CHANGED));
		assertThat(passes).allMatch(pass -> pass.name().equals("steady"));
		assertThat(cluster.widget(NS, "steady").getMetadata().getGeneration()).isEqualTo(1);
	}

	@Test
	void aRequestedRequeueComesBackAsAScheduledRequeue() throws Exception {
		cluster.run(ControllerSpec.builder("requeue", Widget.class).build(), (widget, context) -> {
			passes.add(new Pass(context.key().name(), context.reason()));
			return passes.size() == 1 ? Result.requeueAfter(Duration.ofMillis(100)) : Result.done();
		});

		cluster.createWidget(NS, "again", "content");

		await().atMost(DEADLINE).until(() -> passes.size() >= 2);
		assertThat(passes).containsExactly(new Pass("again", ReconcileReason.OBJECT_CHANGED),
				new Pass("again", ReconcileReason.SCHEDULED_REQUEUE));
	}

	@Test
	void aChangedChildQueuesItsOwner() throws Exception {
		cluster.run(ControllerSpec.builder("owner", Widget.class).owns(V1ConfigMap.class).build(),
				(widget, context) -> {
					passes.add(new Pass(context.key().name(), context.reason()));
					context.apply(new V1ConfigMap()
							.metadata(new V1ObjectMeta().namespace(NS).name(context.key().name() + "-child")
									.ownerReferences(List.of(context.ownerReference())))
							.data(Map.of("content", widget.getSpec().content)));
					return Result.done();
				});
		cluster.createWidget(NS, "parent", "content");
		// Creating the child is a change of the child too.
		await().atMost(DEADLINE).until(() -> passed("parent", ReconcileReason.OBJECT_CHANGED)
				&& passed("parent", ReconcileReason.OWNED_CHANGED));
		passes.clear();

		CoreV1Api core = new CoreV1Api(cluster.client());
		PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap("parent-child", NS,
				new V1Patch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}")).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, cluster.client());

		await().atMost(DEADLINE).until(() -> passed("parent", ReconcileReason.OWNED_CHANGED));
	}

	@Test
	void aChangedWatchedObjectQueuesTheObjectsItMapsTo() throws Exception {
		// A ConfigMap labelled widget=<name> concerns that Widget.
		cluster.run(ControllerSpec.builder("watcher", Widget.class)
				.watches(V1ConfigMap.class, configMap -> {
					Map<String, String> labels = configMap.getMetadata().getLabels();
					return labels == null || !labels.containsKey("widget") ? List.of()
							: List.of(ObjectKey.of(configMap.getMetadata().getNamespace(), labels.get("widget")));
				}).build(), (widget, context) -> {
					passes.add(new Pass(context.key().name(), context.reason()));
					return Result.done();
				});
		cluster.createWidget(NS, "first", "content");
		cluster.createWidget(NS, "second", "content");
		await().atMost(DEADLINE).until(() -> passed("first", ReconcileReason.OBJECT_CHANGED)
				&& passed("second", ReconcileReason.OBJECT_CHANGED));
		passes.clear();

		CoreV1Api core = new CoreV1Api(cluster.client());
		core.createNamespacedConfigMap(NS, new V1ConfigMap()
				.metadata(new V1ObjectMeta().name("settings").labels(Map.of("widget", "first")))
				.data(Map.of("colour", "blue"))).execute();
		await().atMost(DEADLINE).until(() -> passed("first", ReconcileReason.WATCHED_CHANGED));

		// Relabelled: both the Widget it concerned and the one it concerns now are queued.
		passes.clear();
		PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap("settings", NS,
				new V1Patch("{\"metadata\":{\"labels\":{\"widget\":\"second\"}}}")).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, cluster.client());
		await().atMost(DEADLINE).until(() -> passed("first", ReconcileReason.WATCHED_CHANGED)
				&& passed("second", ReconcileReason.WATCHED_CHANGED));
	}
}
