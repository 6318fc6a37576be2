package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Standing by, as an instance that lost leadership does: workers stop taking keys, the reconcile in flight ends
 * within the grace period, changes keep queueing, and resuming reconciles them from the warm cache.
 */
class ControllerStandByTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** Blocks on the Widget named "slow" until released; records every pass by name. */
	static class Recording implements ResourceReconciler<Widget> {

		final Queue<String> passes = new ConcurrentLinkedQueue<>();
		final CountDownLatch slowEntered = new CountDownLatch(1);
		final CountDownLatch releaseSlow = new CountDownLatch(1);
		final AtomicBoolean interrupted = new AtomicBoolean();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			String name = widget.getMetadata().getName();
			if (name.equals("slow")) {
				slowEntered.countDown();
				try {
					releaseSlow.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
				} catch (InterruptedException e) {
					interrupted.set(true);
					throw e;
				}
			}
			passes.add(name + " " + widget.getSpec().content);
			return Result.done();
		}
	}

	@Test
	void standingByFinishesTheReconcileInFlightAndResumingCatchesUp() throws Exception {
		Recording reconciler = new Recording();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("standing", Widget.class).build(),
				reconciler);
		cluster.createWidget(NS, "slow", "one");
		assertThat(reconciler.slowEntered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> standingBy = CompletableFuture
			.runAsync(() -> controller.standBy(Duration.ofSeconds(10)));
		await().atMost(DEADLINE).until(() -> controller.state() == Controller.State.STANDBY);
		cluster.createWidget(NS, "queued", "two");
		reconciler.releaseSlow.countDown();
		standingBy.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

		assertThat(reconciler.passes).containsExactly("slow one");
		assertThat(reconciler.interrupted).isFalse();
		await().atMost(DEADLINE).until(() -> controller.queueStats().depth() >= 1);
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
				thread -> thread.getName().startsWith("kube-controller-standing-worker") && thread.isAlive());

		controller.startWorkers();

		await().atMost(DEADLINE).until(() -> reconciler.passes.contains("queued two"));
		assertThat(controller.state()).isEqualTo(Controller.State.RUNNING);
	}

	@Test
	void aReconcilePastTheGracePeriodIsInterruptedAndRetriedAfterResuming() throws Exception {
		Recording reconciler = new Recording();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("impatient", Widget.class).build(),
				reconciler);
		cluster.createWidget(NS, "slow", "one");
		assertThat(reconciler.slowEntered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

		controller.standBy(Duration.ofMillis(200));

		assertThat(reconciler.interrupted).isTrue();
		assertThat(controller.state()).isEqualTo(Controller.State.STANDBY);
		reconciler.releaseSlow.countDown();
		controller.startWorkers();
		await().atMost(DEADLINE).until(() -> reconciler.passes.contains("slow one"));
	}

	@Test
	void aControllerCanWaitInStandByFromTheStart() throws Exception {
		Recording reconciler = new Recording();
		Controller<Widget> controller = cluster.controller(ControllerSpec.builder("follower", Widget.class).build(),
				reconciler);
		controller.start();
		controller.awaitCachesSynced();
		controller.standBy(Duration.ZERO);
		cluster.createWidget(NS, "early", "one");

		await().atMost(DEADLINE).until(() -> controller.queueStats().depth() == 1);
		assertThat(reconciler.passes).isEmpty();
		assertThat(controller.state()).isEqualTo(Controller.State.STANDBY);

		controller.startWorkers();
		await().atMost(DEADLINE).until(() -> reconciler.passes.contains("early one"));
	}
}
