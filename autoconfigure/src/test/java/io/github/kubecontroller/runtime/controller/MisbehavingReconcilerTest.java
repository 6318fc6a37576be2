package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a reconciler does wrong (returns null, throws an {@link Error}, runs past the reconcile timeout,
 * interruptibly or not), its object is reconciled again once it changes, and other objects are reconciled
 * meanwhile. The controller has a single worker, so that nothing but the engine's own guards can free it.
 */
class MisbehavingReconcilerTest {

	private static final String NS = "default";
	private static final Duration TIMEOUT = Duration.ofMillis(300);
	// At most: the busy loop ends as soon as another object was reconciled meanwhile. Shorter than the grace period
	// the cluster gives controllers to stop, so that no spinning thread outlives a test.
	private static final Duration BUSY_LOOP = Duration.ofSeconds(4);

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	/** Misbehaves as spec.content says; with any other content it writes the status. */
	static class Misbehaving implements ResourceReconciler<Widget> {

		final AtomicInteger misbehaved = new AtomicInteger();
		final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		final AtomicBoolean busyLooping = new AtomicBoolean();
		final AtomicBoolean reconciledDuringBusyLoop = new AtomicBoolean();
		final AtomicBoolean overlap = new AtomicBoolean();
		private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			AtomicInteger runs = running.computeIfAbsent(context.key().name(), name -> new AtomicInteger());
			if (runs.incrementAndGet() > 1) {
				overlap.set(true);
			}
			try {
				return misbehaveOrReconcile(widget, context);
			} finally {
				runs.decrementAndGet();
			}
		}

		private Result misbehaveOrReconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			switch (widget.getSpec().content) {
				case "null" -> {
					misbehaved.incrementAndGet();
					return null;
				}
				case "assertion-error" -> {
					misbehaved.incrementAndGet();
					throw new AssertionError("a failed assertion in the reconciler");
				}
				case "stack-overflow" -> {
					misbehaved.incrementAndGet();
					throw new StackOverflowError();
				}
				case "interruptible-sleep" -> {
					misbehaved.incrementAndGet();
					Thread.sleep(DEADLINE.toMillis());
					return Result.done();
				}
				case "busy-loop" -> {
					// Once: ignores interrupts until another object has been reconciled meanwhile and a little longer
					// (time for retries of this object to come, which must wait), or at most BUSY_LOOP.
					if (busyLooping.compareAndSet(false, true)) {
						misbehaved.incrementAndGet();
						long end = System.nanoTime() + BUSY_LOOP.toNanos();
						while (!reconciledDuringBusyLoop.get() && System.nanoTime() - end < 0) {
							Thread.onSpinWait();
						}
						end = Math.min(end, System.nanoTime() + TIMEOUT.toNanos());
						while (System.nanoTime() - end < 0) {
							Thread.onSpinWait();
						}
						busyLooping.set(false);
					}
					return Result.done();
				}
				default -> {
					context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
							Digests.of(widget.getSpec().content)));
					if (busyLooping.get()) {
						reconciledDuringBusyLoop.set(true);
					}
					return Result.done();
				}
			}
		}

		@Override
		public ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
			errors.add(error);
			return ErrorAction.retry();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "assertion-error", "stack-overflow", "interruptible-sleep", "busy-loop" })
	void theObjectIsReconciledAgainAndOthersMeanwhile(String misbehaviour) throws Exception {
		Misbehaving reconciler = new Misbehaving();
		cluster.run(ControllerSpec.builder("misbehaving", Widget.class).concurrency(1).reconcileTimeout(TIMEOUT)
				.backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build(), reconciler);

		cluster.createWidget(NS, "misbehaving", misbehaviour);
		await().atMost(DEADLINE).until(() -> reconciler.misbehaved.get() >= 1 && !reconciler.errors.isEmpty());
		cluster.createWidget(NS, "bystander", "fine");
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(statusDigest("bystander")).isEqualTo(Digests.of("fine")));
		cluster.setContent(NS, "misbehaving", "fine now");

		await().atMost(DEADLINE).untilAsserted(
				() -> assertThat(statusDigest("misbehaving")).isEqualTo(Digests.of("fine now")));
		assertThat(reconciler.overlap).as("two passes of one object overlapped").isFalse();
		switch (misbehaviour) {
			case "null" -> assertThat(reconciler.errors).first().asString().contains("returned null");
			case "assertion-error" -> assertThat(reconciler.errors).first().isInstanceOf(AssertionError.class);
			case "stack-overflow" -> assertThat(reconciler.errors).first().isInstanceOf(StackOverflowError.class);
			case "interruptible-sleep" ->
				assertThat(reconciler.errors).first().isInstanceOf(ReconcileTimeoutException.class);
			case "busy-loop" -> {
				assertThat(reconciler.errors).first().isInstanceOf(ReconcileTimeoutException.class);
				assertThat(reconciler.reconciledDuringBusyLoop).as("the bystander was reconciled during the busy loop")
						.isTrue();
			}
			default -> throw new IllegalArgumentException(misbehaviour);
		}
	}

	private String statusDigest(String name) throws Exception {
		Widget widget = cluster.widget(NS, name);
		return widget.getStatus() == null ? null : widget.getStatus().digest;
	}
}
