package io.github.kubecontroller.runtime.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.HotLoopSuspect;
import io.github.kubecontroller.runtime.predicate.EventFilter;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reconciler that writes a timestamp into the status on every pass: the default event filter keeps it from
 * looping, and with a filter that lets status changes through the hot-loop detector names the field.
 */
class StatusTimestampLoopTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** Writes the time of the pass as the status digest, at most 40 times per object so a loop stays bounded. */
	static class TimestampReconciler implements ResourceReconciler<Widget> {

		final Map<ObjectKey, AtomicInteger> passes = new ConcurrentHashMap<>();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			int pass = passes.computeIfAbsent(context.key(), key -> new AtomicInteger()).incrementAndGet();
			if (pass <= 40) {
				context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
						"at " + System.nanoTime()));
			}
			return Result.done();
		}

		int passes(String name) {
			AtomicInteger count = passes.get(ObjectKey.of("default", name));
			return count == null ? 0 : count.get();
		}
	}

	@Test
	void theDefaultFilterKeepsAStatusTimestampFromLooping() throws Exception {
		HotLoopDetector detector = new HotLoopDetector(5, Duration.ofMinutes(1), Clock.systemUTC());
		cluster.observe(detector);
		TimestampReconciler reconciler = new TimestampReconciler();
		cluster.run(ControllerSpec.builder("timestamps", Widget.class).build(), reconciler);

		cluster.createWidget("default", "first", "a");
		await().atMost(DEADLINE).until(() -> reconciler.passes("first") >= 1);
		// Objects created later are reconciled after the first one's status event has been handled.
		for (int i = 0; i < 3; i++) {
			cluster.createWidget("default", "later-" + i, "b");
		}
		await().atMost(DEADLINE).until(() -> reconciler.passes("later-2") >= 1 && cluster.statusWrites("default", "later-2") >= 1);

		assertThat(reconciler.passes("first")).isLessThanOrEqualTo(2);
		assertThat(detector.occurrences()).isZero();
	}

	@Test
	void withStatusChangesLetThroughTheLoopIsReportedNamingTheField() throws Exception {
		HotLoopDetector detector = new HotLoopDetector(5, Duration.ofMinutes(1), Clock.systemUTC());
		cluster.observe(detector);
		TimestampReconciler reconciler = new TimestampReconciler();
		cluster.run(ControllerSpec.builder("timestamps", Widget.class)
				.eventFilter(EventFilter.resourceVersionChanged())
				.build(), reconciler);

		cluster.createWidget("default", "looping", "a");

		await().atMost(DEADLINE).until(() -> detector.occurrences("timestamps") >= 1);
		HotLoopSuspect suspect = detector.suspects("timestamps").get(0);
		assertThat(suspect.key()).isEqualTo(ObjectKey.of("default", "looping"));
		assertThat(suspect.cause()).isEqualTo(HotLoopSuspect.Cause.OWN_WRITES);
		assertThat(suspect.fields()).contains("status.digest");
	}
}
