package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.control.AuditEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A controller limited to some namespaces watches, and reconciles, only those. */
class NamespaceScopeTest {

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	@Test
	void objectsOutsideTheNamespacesAreNeitherWatchedNorReconciled() throws Exception {
		for (String namespace : List.of("team-a", "team-b", "team-c")) {
			cluster.createNamespace(namespace);
		}
		Set<String> reconciled = ConcurrentHashMap.newKeySet();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("scoped", Widget.class)
				.namespaces(List.of("team-a", "team-b")).build(), (widget, context) -> {
					reconciled.add(context.key().toString());
					context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
							Digests.of(widget.getSpec().content)));
					return Result.done();
				});

		cluster.createWidget("team-c", "outside", "content");
		cluster.createWidget("team-a", "inside", "content");
		cluster.createWidget("team-b", "inside", "content");
		cluster.createWidget("team-a", "last", "content");

		await().atMost(DEADLINE).until(() -> reconciled.containsAll(
				List.of("team-a/inside", "team-b/inside", "team-a/last")));
		assertThat(reconciled).containsExactlyInAnyOrder("team-a/inside", "team-b/inside", "team-a/last");
		assertThat(cluster.widget("team-c", "outside").getStatus()).isNull();
		assertThat(controller.informers()).extracting(informer -> informer.spec().namespace())
				.containsExactlyInAnyOrder("team-a", "team-b");
		assertThat(controller.informers()).allSatisfy(informer -> assertThat(informer.getIndexer().listKeys())
				.noneMatch(key -> key.startsWith("team-c/")));
		// Neither a watch of team-c nor one across all namespaces.
		assertThat(cluster.emulator().audit().requests()).map(AuditEvent::request)
				.filteredOn(request -> request.resource().equals("widgets")
						&& (request.verb().equals("list") || request.verb().equals("watch")))
				.extracting(request -> request.namespace()).containsOnly("team-a", "team-b");
	}
}
