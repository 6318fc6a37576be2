package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A controller converges on every object although, while the objects change, its watches are cut, the history it
 * would resume from is compacted, and a share of its writes is throttled with 429 and Retry-After.
 */
class ControllerResilienceTest {

	private static final String NS = "default";
	private static final int WIDGETS = 80;

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	@Test
	void convergesThroughCutWatchesCompactionAndThrottling() throws Exception {
		KubeApiEmulator emulator = cluster.emulator();
		Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();
		cluster.run(ControllerSpec.builder("resilient", Widget.class).finalizer("test.kubecontroller.io/cleanup")
				.build(), (widget, context) -> {
					context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
							Digests.of(widget.getSpec().content)));
					passes.computeIfAbsent(context.key().name(), name -> new AtomicInteger()).incrementAndGet();
					return Result.done();
				});
		// A fifth of the controller's patches (finalizers and status) are throttled; the test changes the
		// Widgets by update, which is not.
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("patch")
				.resource("test.kubecontroller.io", "widgets")).tooManyRequests(Duration.ofSeconds(1))
				.probability(0.2).build());
		long watchesBefore = emulator.audit().count("watch", "widgets");

		for (int i = 0; i < WIDGETS; i++) {
			cluster.createWidget(NS, name(i), "first-" + i);
		}
		for (int i = 0; i < WIDGETS; i++) {
			if (i == WIDGETS / 3) {
				emulator.closeAllWatches();
			}
			if (i == 2 * WIDGETS / 3) {
				emulator.compactHistory();
				emulator.closeAllWatches();
			}
			cluster.replaceContent(NS, name(i), "second-" + i);
		}
		emulator.compactHistory();
		emulator.closeAllWatches();
		for (int i = 0; i < WIDGETS; i += 2) {
			cluster.replaceContent(NS, name(i), "third-" + i);
		}

		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			List<Widget> widgets = cluster.widgets(NS);
			assertThat(widgets).hasSize(WIDGETS);
			assertThat(widgets).allSatisfy(widget -> {
				assertThat(widget.getStatus()).as(widget.getMetadata().getName()).isNotNull();
				assertThat(widget.getStatus().observedGeneration).as(widget.getMetadata().getName())
						.isEqualTo(widget.getMetadata().getGeneration());
				assertThat(widget.getStatus().digest).as(widget.getMetadata().getName())
						.isEqualTo(Digests.of(widget.getSpec().content));
				assertThat(widget.getMetadata().getFinalizers()).containsExactly("test.kubecontroller.io/cleanup");
			});
		});
		assertThat(cluster.widgets(NS)).filteredOn(widget -> widget.getSpec().content.startsWith("third-"))
				.hasSize(WIDGETS / 2);
		assertThat(emulator.audit().count(key -> key.resource().equals("widgets/status") && key.code() == 429))
				.as("throttled status writes").isPositive();
		assertThat(emulator.audit().count(key -> key.resource().equals("widgets") && key.verb().equals("patch")
				&& key.code() == 429)).as("throttled finalizer patches").isPositive();
		assertThat(emulator.audit().count("watch", "widgets") - watchesBefore).as("watches started again")
				.isGreaterThanOrEqualTo(3);
		assertThat(passes).hasSize(WIDGETS);
	}

	private static String name(int i) {
		return "widget-" + i;
	}
}
