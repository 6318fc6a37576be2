package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The reconciles running now, with why each one runs and since when. The controller's work queue knows which
 * objects are being reconciled; this adds the reason, which only the start of a reconcile tells.
 */
public final class RunningReconciles implements ControllerObserver {

	/**
	 * One reconcile running now.
	 *
	 * @param reason why it runs
	 * @param since when it began
	 */
	public record Running(ReconcileReason reason, Instant since) {
	}

	private final Clock clock;
	private final Map<String, Map<ObjectKey, Running>> controllers = new ConcurrentHashMap<>();

	/** Timed by the system clock. */
	public RunningReconciles() {
		this(Clock.systemUTC());
	}

	/** Timed by {@code clock}. */
	public RunningReconciles(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void reconcileStarted(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason) {
		live(spec.name()).put(key, new Running(reason, clock.instant()));
	}

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		live(spec.name()).remove(key);
	}

	@Override
	public void keyDone(ControllerSpec<?> spec, ObjectKey key, Duration worked) {
		// A reconcile ended by the controller's stop reports no finish: the key's release still clears it.
		live(spec.name()).remove(key);
	}

	/** The controller's running reconciles by object. */
	public Map<ObjectKey, Running> running(String controller) {
		Map<ObjectKey, Running> running = controllers.get(controller);
		return running == null ? Map.of() : Map.copyOf(running);
	}

	/** Why the reconcile of {@code key} runs, or null when none is known to run. */
	public @Nullable Running of(String controller, ObjectKey key) {
		Map<ObjectKey, Running> running = controllers.get(controller);
		return running == null ? null : running.get(key);
	}

	private Map<ObjectKey, Running> live(String controller) {
		return controllers.computeIfAbsent(controller, name -> new ConcurrentHashMap<>());
	}
}
