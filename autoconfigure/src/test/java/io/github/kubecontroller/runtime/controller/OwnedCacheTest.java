package io.github.kubecontroller.runtime.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.informer.CacheMode;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Owned kinds are cached metadata only unless declared otherwise: enough to requeue owners and to read the
 * children's metadata; reading whole objects asks for a clear declaration.
 */
class OwnedCacheTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** Applies one ConfigMap per Widget and records what each pass could read of its children. */
	static class Reconciler implements ResourceReconciler<Widget> {

		final Queue<String> seen = new ConcurrentLinkedQueue<>();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			context.apply(new V1ConfigMap()
					.metadata(new V1ObjectMeta().namespace(NS).name(widget.getMetadata().getName() + "-config")
							.labels(Map.of("content", widget.getSpec().content))
							.ownerReferences(List.of(context.ownerReference())))
					.data(Map.of("content", widget.getSpec().content)));
			for (PartialObjectMetadata child : context.ownedMetadata(V1ConfigMap.class)) {
				seen.add("metadata " + child.getMetadata().getLabels().get("content"));
			}
			try {
				for (V1ConfigMap child : context.ownedObjects(V1ConfigMap.class)) {
					seen.add("object " + child.getData().get("content"));
				}
			} catch (IllegalStateException e) {
				seen.add("refused: " + e.getMessage());
			}
			return Result.done();
		}
	}

	@Test
	void ownedKindsAreCachedMetadataOnlyByDefault() throws Exception {
		Reconciler reconciler = new Reconciler();
		Controller<Widget> controller = cluster.run(
				ControllerSpec.builder("widgets", Widget.class).owns(V1ConfigMap.class).build(), reconciler);

		cluster.createWidget(NS, "alpha", "one");
		// The child's creation requeues the Widget through the metadata-only watch; that pass sees its labels.
		await().atMost(EmulatedCluster.DEADLINE).until(() -> reconciler.seen.contains("metadata one"));

		assertThat(controller.informers()).filteredOn(informer -> informer.cacheMode() == CacheMode.METADATA_ONLY)
			.extracting(informer -> informer.spec().type().plural()).containsExactly("configmaps");
		assertThat(reconciler.seen).filteredOn(line -> line.startsWith("refused"))
			.allSatisfy(line -> assertThat(line).contains("cached metadata only")
				.contains("owns(V1ConfigMap.class, CacheMode.OBJECTS)"))
			.isNotEmpty();
	}

	@Test
	void ownedKindsDeclaredAsObjectsAreReadWhole() throws Exception {
		Reconciler reconciler = new Reconciler();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("widgets", Widget.class)
				.owns(V1ConfigMap.class, CacheMode.OBJECTS).build(), reconciler);

		cluster.createWidget(NS, "beta", "two");

		await().atMost(EmulatedCluster.DEADLINE).until(() -> reconciler.seen.contains("object two")
				&& reconciler.seen.contains("metadata two"));
		assertThat(controller.informers()).extracting(Informer::cacheMode).doesNotContain(CacheMode.METADATA_ONLY);
		assertThat(reconciler.seen).noneMatch(line -> line.startsWith("refused"));
	}
}
