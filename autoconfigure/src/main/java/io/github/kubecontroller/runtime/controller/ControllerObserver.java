package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Sees what controllers do, for metrics, traces and diagnostics. Methods are called on worker and informer threads
 * and must be quick and must not throw; every method has an empty default.
 */
public interface ControllerObserver {

	/** Observes nothing. */
	ControllerObserver NONE = new ControllerObserver() {
	};

	/**
	 * A controller opened its watches and waits for its caches: its informers exist from now on, before any
	 * reconcile.
	 */
	default void controllerStarted(Controller<?> controller) {
	}

	/** A reconcile of {@code key} begins, on the worker thread that will also report its end. */
	default void reconcileStarted(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason) {
	}

	/**
	 * A reconcile of {@code key} ended.
	 *
	 * @param error what failed, for {@link ReconcileOutcome#ERROR} and {@link ReconcileOutcome#TERMINAL_ERROR}
	 * @param nextAttemptIn the delay of the retry or requeue, or null when none is scheduled
	 */
	default void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
	}

	/**
	 * A primary object changed in the cache (before the event filter decides), with {@code ownWrite} telling whether
	 * the new state is one this controller wrote itself.
	 */
	default void primaryChanged(ControllerSpec<?> spec, KubernetesObject oldObject, KubernetesObject newObject,
			boolean ownWrite) {
	}

	/** A primary object is gone from the cache: it was deleted. */
	default void primaryDeleted(ControllerSpec<?> spec, ObjectKey key) {
	}

	/** A worker took {@code key} from the work queue after it waited there for {@code waited}. */
	default void keyTaken(ControllerSpec<?> spec, ObjectKey key, Duration waited) {
	}

	/** A worker finished with {@code key} after {@code worked}, the reconcile and the queue's bookkeeping. */
	default void keyDone(ControllerSpec<?> spec, ObjectKey key, Duration worked) {
	}

	/** Combines observers; each one is called in order, and one that throws does not stop the others. */
	static ControllerObserver composite(Iterable<? extends ControllerObserver> observers) {
		return new CompositeObserver(observers);
	}
}
