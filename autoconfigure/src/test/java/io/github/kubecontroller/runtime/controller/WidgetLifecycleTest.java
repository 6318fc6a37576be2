package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.PatchUtils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Widget controller as users write one: children applied with an owner reference, status written once per spec
 * change, drift of a child repaired, and cleanup behind a finalizer when the Widget is deleted.
 */
class WidgetLifecycleTest {

	private static final String NS = "default";
	private static final String FINALIZER = "test.kubecontroller.io/cleanup";
	private static final String MARKER = "test.kubecontroller.io/marker";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** What one finished reconcile saw. */
	record Pass(ObjectKey key, long generation, ReconcileReason reason, @Nullable String marker) {
	}

	/**
	 * Applies a ConfigMap and a Secret holding spec.content, then writes observedGeneration and the content's
	 * digest to the status; records every finished pass and every cleanup.
	 */
	static class WidgetReconciler implements ResourceReconciler<Widget> {

		final Queue<Pass> passes = new ConcurrentLinkedQueue<>();
		final Queue<ObjectKey> cleanups = new ConcurrentLinkedQueue<>();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			V1ObjectMeta metadata = widget.getMetadata();
			String content = widget.getSpec().content;
			context.apply(new V1ConfigMap()
					.metadata(childMetadata(metadata.getName() + "-config", context))
					.data(Map.of("content", content)));
			context.apply(new V1Secret()
					.metadata(childMetadata(metadata.getName() + "-secret", context))
					.data(Map.of("content", content.getBytes(StandardCharsets.UTF_8))));
			context.updateStatus(new Widget.Status(metadata.getGeneration(), Digests.of(content)));
			passes.add(new Pass(context.key(), metadata.getGeneration(), context.reason(), marker(context)));
			return Result.done();
		}

		@Override
		public Result cleanup(Widget widget, ReconcileContext<Widget> context) {
			cleanups.add(context.key());
			return Result.done();
		}

		private static V1ObjectMeta childMetadata(String name, ReconcileContext<Widget> context) {
			return new V1ObjectMeta().namespace(context.key().namespace()).name(name)
					.ownerReferences(List.of(context.ownerReference()));
		}

		// The marker label a test puts on the ConfigMap, as this pass saw it in the cache.
		private static @Nullable String marker(ReconcileContext<Widget> context) {
			return context.ownedMetadata(V1ConfigMap.class).stream()
					.map(child -> child.getMetadata().getLabels() == null ? null
							: child.getMetadata().getLabels().get(MARKER))
					.filter(value -> value != null).findFirst().orElse(null);
		}

		boolean sawMarker(String value) {
			return passes.stream().anyMatch(pass -> value.equals(pass.marker()));
		}
	}

	@Test
	void childrenStatusDriftRepairAndCleanup() throws Exception {
		WidgetReconciler reconciler = new WidgetReconciler();
		cluster.run(ControllerSpec.builder("widgets", Widget.class).owns(V1ConfigMap.class).owns(V1Secret.class)
				.finalizer(FINALIZER).build(), reconciler);
		CoreV1Api core = new CoreV1Api(cluster.client());

		cluster.createWidget(NS, "alpha", "one");

		await().atMost(DEADLINE).untilAsserted(() -> {
			Widget stored = cluster.widget(NS, "alpha");
			assertThat(stored.getMetadata().getFinalizers()).containsExactly(FINALIZER);
			assertThat(stored.getStatus()).isNotNull();
			assertThat(stored.getStatus().observedGeneration).isEqualTo(stored.getMetadata().getGeneration());
			assertThat(stored.getStatus().digest).isEqualTo(Digests.of("one"));
		});
		assertThat(core.readNamespacedConfigMap("alpha-config", NS).execute().getData())
				.containsEntry("content", "one");
		assertThat(core.readNamespacedSecret("alpha-secret", NS).execute().getData().get("content"))
				.asString(StandardCharsets.UTF_8).isEqualTo("one");
		settle(reconciler, core, "alpha", "after-create");
		assertThat(cluster.statusWrites(NS, "alpha")).as("status writes after the first generation").isEqualTo(1);

		cluster.setContent(NS, "alpha", "two");

		await().atMost(DEADLINE).untilAsserted(() -> {
			Widget stored = cluster.widget(NS, "alpha");
			assertThat(stored.getMetadata().getGeneration()).isEqualTo(2);
			assertThat(stored.getStatus().observedGeneration).isEqualTo(2);
			assertThat(stored.getStatus().digest).isEqualTo(Digests.of("two"));
			assertThat(core.readNamespacedConfigMap("alpha-config", NS).execute().getData())
					.containsEntry("content", "two");
		});
		settle(reconciler, core, "alpha", "after-update");
		assertThat(cluster.statusWrites(NS, "alpha")).as("status writes after the second generation").isEqualTo(2);

		// Drift: someone edits a child; the owner is requeued and the child repaired.
		PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap("alpha-config", NS,
						new V1Patch("{\"data\":{\"content\":\"tampered\"}}")).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, cluster.client());
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(
				core.readNamespacedConfigMap("alpha-config", NS).execute().getData()).containsEntry("content", "two"));
		assertThat(reconciler.passes).anyMatch(pass -> pass.reason() == ReconcileReason.OWNED_CHANGED);
		settle(reconciler, core, "alpha", "after-drift");
		assertThat(cluster.statusWrites(NS, "alpha")).as("repairing a child leaves the status alone").isEqualTo(2);

		cluster.deleteWidget(NS, "alpha");

		await().atMost(DEADLINE).untilAsserted(() -> assertThat(cluster.widget(NS, "alpha")).isNull());
		assertThat(reconciler.cleanups).containsExactly(ObjectKey.of(NS, "alpha"));
		await().atMost(DEADLINE).untilAsserted(() -> {
			assertThat(core.listNamespacedConfigMap(NS).execute().getItems())
					.noneMatch(map -> map.getMetadata().getName().equals("alpha-config"));
			assertThat(core.listNamespacedSecret(NS).execute().getItems())
					.noneMatch(secret -> secret.getMetadata().getName().equals("alpha-secret"));
		});
	}

	@Test
	void deletionWhileReconcilingRunsCleanupOnceTheReconcileEnds() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Queue<ObjectKey> cleanups = new ConcurrentLinkedQueue<>();
		Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		cluster.run(ControllerSpec.builder("blocking", Widget.class).finalizer(FINALIZER).build(),
				new ResourceReconciler<Widget>() {
					@Override
					public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
						if (widget.getMetadata().getName().equals("held")) {
							entered.countDown();
							if (!release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
								throw new IllegalStateException("never released");
							}
						}
						context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
								Digests.of(widget.getSpec().content)));
						return Result.done();
					}

					@Override
					public Result cleanup(Widget widget, ReconcileContext<Widget> context) {
						cleanups.add(context.key());
						return Result.done();
					}

					@Override
					public ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
						errors.add(error);
						return ErrorAction.retry();
					}
				});

		cluster.createWidget(NS, "held", "content");
		assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		cluster.deleteWidget(NS, "held");
		assertThat(cluster.widget(NS, "held").getMetadata().getDeletionTimestamp())
				.as("the finalizer holds the deletion").isNotNull();
		release.countDown();

		await().atMost(DEADLINE).untilAsserted(() -> assertThat(cluster.widget(NS, "held")).isNull());
		assertThat(cleanups).containsExactly(ObjectKey.of(NS, "held"));

		// No error loop: a later object is reconciled, and nothing failed on the way.
		cluster.createWidget(NS, "later", "content");
		await().atMost(DEADLINE).untilAsserted(
				() -> assertThat(cluster.widget(NS, "later").getStatus()).isNotNull());
		assertThat(errors).isEmpty();
		assertThat(cleanups).containsExactly(ObjectKey.of(NS, "held"));
	}

	/**
	 * Waits until the controller has finished a pass that began after everything before this call: labels the
	 * Widget's ConfigMap with {@code marker} (which requeues the owner) and waits for a pass that saw the label.
	 * Passes of one object run one at a time and in order, so every earlier pass is over by then.
	 */
	private void settle(WidgetReconciler reconciler, CoreV1Api core, String name, String marker) throws ApiException {
		PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap(name + "-config", NS,
						new V1Patch("{\"metadata\":{\"labels\":{\"" + MARKER + "\":\"" + marker + "\"}}}"))
						.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, cluster.client());
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> reconciler.sawMarker(marker));
	}
}
