package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The periodic resync sweeps the primary cache on one thread per controller: every cached object comes up once per
 * period, with no queue entry per object waiting in between.
 */
class ResyncSweepTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	private final Map<String, AtomicInteger> resyncs = new ConcurrentHashMap<>();

	private final ResourceReconciler<Widget> countingResyncs = (widget, context) -> {
		if (context.reason() == ReconcileReason.PERIODIC_RESYNC) {
			resyncs.computeIfAbsent(context.key().name(), name -> new AtomicInteger()).incrementAndGet();
		}
		return Result.done();
	};

	private int resyncsOf(String name) {
		AtomicInteger count = resyncs.get(name);
		return count == null ? 0 : count.get();
	}

	@Test
	void aPeriodIsCutIntoSlicesOfAtLeastATenthOfASecond() {
		assertThat(ResyncSweep.slicesFor(ControllerSpec.DEFAULT_RESYNC_PERIOD)).isEqualTo(ResyncSweep.MAX_SLICES);
		assertThat(ResyncSweep.slicesFor(Duration.ofSeconds(10))).isEqualTo(64);
		assertThat(ResyncSweep.slicesFor(Duration.ofSeconds(1))).isEqualTo(10);
		assertThat(ResyncSweep.slicesFor(Duration.ofMillis(250))).isEqualTo(2);
		assertThat(ResyncSweep.slicesFor(Duration.ofMillis(20))).isEqualTo(1);
	}

	@Test
	void keysSpreadEvenlyOverTheSlicesAndStayInTheirs() {
		int slices = ResyncSweep.MAX_SLICES;
		int[] perSlice = new int[slices];
		// Numbered names, as replicas have: they differ only in their last characters.
		for (int i = 0; i < 6_400; i++) {
			ObjectKey key = ObjectKey.of("team-" + (i % 3), "worker-" + i);
			int slice = ResyncSweep.sliceOf(key, slices);
			assertThat(ResyncSweep.sliceOf(ObjectKey.of(key.namespace(), key.name()), slices)).isEqualTo(slice);
			perSlice[slice]++;
		}
		// 100 per slice on average.
		assertThat(IntStream.of(perSlice).min().getAsInt()).isGreaterThan(50);
		assertThat(IntStream.of(perSlice).max().getAsInt()).isLessThan(150);
		assertThat(ResyncSweep.sliceOf(ObjectKey.clusterScoped("node-1"), 1)).isZero();
	}

	@Test
	void everyObjectIsResyncedRepeatedlyWithoutAQueueEntryWaitingForEach() throws Exception {
		int objects = 50;
		Controller<Widget> controller = cluster.run(
				ControllerSpec.builder("sweep", Widget.class).resyncPeriod(Duration.ofSeconds(1)).build(),
				countingResyncs);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < objects; i++) {
			names.add("widget-" + i);
			cluster.createWidget(NS, "widget-" + i, "content");
		}

		// Sampled while the sweeps go on: nothing waits in the delay set for a resync, and the queue holds only
		// the few objects of a slice at a time.
		Queue<WorkQueue.Stats> samples = new ConcurrentLinkedQueue<>();
		// Two sweeps of 50 objects take 2 s on an idle machine; a loaded one stretches every sweep, hence the
		// generous bound.
		await().atMost(DEADLINE.multipliedBy(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
			samples.add(controller.queueStats());
			return names.stream().allMatch(name -> resyncsOf(name) >= 2);
		});
		assertThat(samples).allSatisfy(stats -> assertThat(stats.delayed()).isZero());
		assertThat(controller.queueStats().delayed()).isZero();
		assertThat(samples.stream().mapToInt(stats -> stats.depth() + stats.inFlight()).max().getAsInt())
				.as("keys queued at once, of %d objects", objects).isLessThan(objects);
	}

	@Test
	void aDeletedObjectIsNotResynced() throws Exception {
		Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
		cluster.observe(new ControllerObserver() {
			@Override
			public void keyTaken(ControllerSpec<?> spec, ObjectKey key, Duration waited) {
				taken.computeIfAbsent(key.name(), name -> new AtomicInteger()).incrementAndGet();
			}
		});
		Controller<Widget> controller = cluster.run(
				ControllerSpec.builder("deleted", Widget.class).resyncPeriod(Duration.ofMillis(500)).build(),
				countingResyncs);
		cluster.createWidget(NS, "gone", "content");
		cluster.createWidget(NS, "kept", "content");
		await().atMost(DEADLINE).until(() -> resyncsOf("gone") >= 1 && resyncsOf("kept") >= 1);

		cluster.deleteWidget(NS, "gone");
		// Gone from the cache, and the pass its deletion queued (which finds it gone) is over.
		await().atMost(DEADLINE).until(() -> {
			WorkQueue.Stats stats = controller.queueStats();
			return controller.informers().get(0).getIndexer().getByKey(NS + "/gone") == null && stats.depth() == 0
					&& stats.inFlight() == 0;
		});
		int takenBefore = taken.get("gone").get();
		int keptResyncs = resyncsOf("kept");
		// Three resyncs of the other object: more than a period, so a resync of the deleted one would have come.
		await().atMost(DEADLINE).until(() -> resyncsOf("kept") >= keptResyncs + 3);

		assertThat(taken.get("gone")).as("times its key was taken since").hasValue(takenBefore);
		assertThat(controller.queueStats().delayed()).isZero();
	}

	@Test
	void anObjectItsReconcilerGaveUpOnIsResyncedAgain() throws Exception {
		AtomicInteger failures = new AtomicInteger();
		cluster.run(ControllerSpec.builder("given-up", Widget.class).resyncPeriod(Duration.ofMillis(500)).build(),
				new ResourceReconciler<>() {
					@Override
					public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
						if (failures.getAndIncrement() == 0) {
							throw new IllegalStateException("refused once");
						}
						return countingResyncs.reconcile(widget, context);
					}

					@Override
					public ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
						return ErrorAction.giveUp();
					}
				});

		cluster.createWidget(NS, "refused", "content");

		await().atMost(DEADLINE).until(() -> resyncsOf("refused") >= 2);
	}

	@Test
	void aFailingObjectIsLeftToItsRetries() throws Exception {
		AtomicInteger failingPasses = new AtomicInteger();
		Controller<Widget> controller = cluster.run(
				ControllerSpec.builder("failing", Widget.class).resyncPeriod(Duration.ofMillis(500)).build(),
				new ResourceReconciler<>() {
					@Override
					public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
						if (context.key().name().equals("failing")) {
							failingPasses.incrementAndGet();
							throw new IllegalStateException("always fails");
						}
						return countingResyncs.reconcile(widget, context);
					}

					@Override
					public ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
						return ErrorAction.retryAfter(Duration.ofHours(1));
					}
				});
		cluster.createWidget(NS, "failing", "content");
		cluster.createWidget(NS, "healthy", "content");
		// Failed, its retry waits, and nothing is queued or running: a resync that came during its first pass may
		// have queued one more pass, which has run by then.
		await().atMost(DEADLINE).until(() -> {
			WorkQueue.Stats stats = controller.queueStats();
			return failingPasses.get() >= 1 && resyncsOf("healthy") >= 1 && stats.delayed() == 1
					&& stats.depth() == 0 && stats.inFlight() == 0;
		});
		int passes = failingPasses.get();
		int healthyResyncs = resyncsOf("healthy");

		await().atMost(DEADLINE).until(() -> resyncsOf("healthy") >= healthyResyncs + 3);

		assertThat(failingPasses).as("passes of the object whose retry waits an hour").hasValue(passes);
		assertThat(controller.queueStats().delayed()).as("its retry").isEqualTo(1);
	}

	@Test
	void aStoppedControllerEndsItsSweepThreadAndAZeroPeriodStartsNone() throws Exception {
		Controller<Widget> controller = cluster.run(
				ControllerSpec.builder("stopping", Widget.class).resyncPeriod(Duration.ofSeconds(1)).build(),
				countingResyncs);
		Controller<Widget> disabled = cluster.run(
				ControllerSpec.builder("never", Widget.class).resyncPeriod(Duration.ZERO).build(), countingResyncs);
		assertThat(sweepThreads("stopping")).isEqualTo(1);
		assertThat(sweepThreads("never")).isZero();

		controller.stop(Duration.ofSeconds(5));
		disabled.stop(Duration.ofSeconds(5));

		assertThat(sweepThreads("stopping")).isZero();
	}

	private static long sweepThreads(String controller) {
		return Thread.getAllStackTraces().keySet().stream()
				.filter(thread -> thread.getName().startsWith("kube-controller-" + controller + "-resync-"))
				.filter(Thread::isAlive).count();
	}
}
