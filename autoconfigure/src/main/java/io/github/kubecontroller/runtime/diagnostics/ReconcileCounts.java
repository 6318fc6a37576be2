package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Counts the reconciles each controller finished since start, and how many of them failed, so that a reader polling
 * the totals twice can tell the rate of reconciles and of failures in between.
 */
public final class ReconcileCounts implements ControllerObserver {

	/**
	 * The totals of one controller.
	 *
	 * @param reconciles reconciles finished, whatever their outcome
	 * @param failed those of them that failed, terminal errors included
	 */
	public record Counts(long reconciles, long failed) {

		/** The totals of a controller that has finished no reconcile. */
		public static final Counts NONE = new Counts(0, 0);
	}

	private final Map<String, AtomicReference<Counts>> controllers = new ConcurrentHashMap<>();

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		boolean failed = outcome == ReconcileOutcome.ERROR || outcome == ReconcileOutcome.TERMINAL_ERROR;
		// Both totals change in one step, so a reader never sees a failure without its reconcile.
		controllers.computeIfAbsent(spec.name(), name -> new AtomicReference<>(Counts.NONE))
				.updateAndGet(counts -> new Counts(counts.reconciles() + 1, counts.failed() + (failed ? 1 : 0)));
	}

	/** The totals of the controller named {@code controller}; zero for one that has finished no reconcile. */
	public Counts of(String controller) {
		AtomicReference<Counts> counts = controllers.get(controller);
		return counts == null ? Counts.NONE : counts.get();
	}
}
