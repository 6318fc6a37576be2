package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several observers as one; a failing observer is logged and never disturbs a controller. */
final class CompositeObserver implements ControllerObserver {

	private static final Logger log = LoggerFactory.getLogger(ControllerObserver.class);

	private final List<ControllerObserver> observers = new ArrayList<>();

	CompositeObserver(Iterable<? extends ControllerObserver> observers) {
		observers.forEach(this.observers::add);
	}

	@Override
	public void controllerStarted(Controller<?> controller) {
		each(observer -> observer.controllerStarted(controller));
	}

	@Override
	public void reconcileStarted(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason) {
		each(observer -> observer.reconcileStarted(spec, key, reason));
	}

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		each(observer -> observer.reconcileFinished(spec, key, reason, outcome, duration, error, nextAttemptIn));
	}

	@Override
	public void primaryChanged(ControllerSpec<?> spec, KubernetesObject oldObject, KubernetesObject newObject,
			boolean ownWrite) {
		each(observer -> observer.primaryChanged(spec, oldObject, newObject, ownWrite));
	}

	@Override
	public void primaryDeleted(ControllerSpec<?> spec, ObjectKey key) {
		each(observer -> observer.primaryDeleted(spec, key));
	}

	@Override
	public void keyTaken(ControllerSpec<?> spec, ObjectKey key, Duration waited) {
		each(observer -> observer.keyTaken(spec, key, waited));
	}

	@Override
	public void keyDone(ControllerSpec<?> spec, ObjectKey key, Duration worked) {
		each(observer -> observer.keyDone(spec, key, worked));
	}

	private void each(Consumer<ControllerObserver> call) {
		for (ControllerObserver observer : observers) {
			try {
				call.accept(observer);
			} catch (RuntimeException e) {
				log.warn("Controller observer {} failed", observer.getClass().getName(), e);
			}
		}
	}
}
