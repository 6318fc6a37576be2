package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping a controller lets the reconcile in flight finish within the grace period, interrupts it after, and
 * leaves no worker or reconcile thread behind.
 */
class ControllerStopTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** Blocks the first pass until released; records how it ended. */
	static class Blocking implements ResourceReconciler<Widget> {

		final CountDownLatch entered = new CountDownLatch(1);
		final CountDownLatch release = new CountDownLatch(1);
		final AtomicBoolean finished = new AtomicBoolean();
		final AtomicBoolean interrupted = new AtomicBoolean();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			entered.countDown();
			try {
				if (!release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
					throw new IllegalStateException("never released");
				}
			} catch (InterruptedException e) {
				interrupted.set(true);
				throw e;
			}
			finished.set(true);
			return Result.done();
		}
	}

	/** With a reconcile timeout, passes run on reconcile threads; without, on the workers themselves. */
	@ParameterizedTest
	@ValueSource(longs = { 30_000, 0 })
	void theReconcileInFlightFinishesWithinTheGracePeriod(long reconcileTimeoutMillis) throws Exception {
		Blocking reconciler = new Blocking();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("stopping", Widget.class)
				.reconcileTimeout(Duration.ofMillis(reconcileTimeoutMillis)).build(), reconciler);
		cluster.createWidget(NS, "busy", "content");
		assertThat(reconciler.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> controller.stop(Duration.ofSeconds(10)));
		await().atMost(DEADLINE).until(() -> controller.state() == Controller.State.STOPPING);
		assertThat(stopped).isNotDone();
		reconciler.release.countDown();
		stopped.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

		assertThat(reconciler.finished).as("the pass finished").isTrue();
		assertThat(reconciler.interrupted).as("the pass was interrupted").isFalse();
		assertThat(controller.state()).isEqualTo(Controller.State.STOPPED);
		assertThat(controllerThreads("stopping")).isEmpty();
	}

	@Test
	void aReconcilePastTheGracePeriodIsInterrupted() throws Exception {
		Blocking reconciler = new Blocking();
		Controller<Widget> controller = cluster.run(ControllerSpec.builder("impatient", Widget.class).build(),
				reconciler);
		cluster.createWidget(NS, "busy", "content");
		assertThat(reconciler.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

		controller.stop(Duration.ofMillis(200));

		assertThat(reconciler.interrupted).isTrue();
		assertThat(reconciler.finished).isFalse();
		assertThat(controller.state()).isEqualTo(Controller.State.STOPPED);
		assertThat(controllerThreads("impatient")).isEmpty();
	}

	private static List<String> controllerThreads(String controllerName) {
		return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
				.filter(name -> name.startsWith("kube-controller-" + controllerName + "-")).toList();
	}
}
