package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.common.KubernetesObject;

/**
 * The logic of one controller: bring the world in line with one object of the primary resource type.
 *
 * <p>{@link #reconcile} receives the object as it is in the cache (or as this controller's own last write returned
 * it, while the cache has not caught up) and must be idempotent: it may run any number of times for the same state,
 * and it never runs twice at once for the same object, not even after a reconcile timeout. Return
 * {@link Result#done()} when nothing more is needed, {@link Result#requeueAfter} to come back later, or throw to be
 * retried with backoff.
 *
 * @param <T> the primary resource type: a client-java model, a custom-resource class annotated with
 * {@link io.github.kubecontroller.runtime.resource.KubernetesResource}, or
 * {@link io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject}
 */
public interface ResourceReconciler<T extends KubernetesObject> {

	/**
	 * Adds what annotations and properties cannot express to this reconciler's controller, such as watched kinds
	 * with a mapping function or an event filter. Called once, before the controller starts; properties set for
	 * this reconciler are applied afterwards and win.
	 */
	default void configure(ControllerSpec.Builder<T> controller) {
	}

	/** Brings the world in line with {@code resource}. */
	Result reconcile(T resource, ReconcileContext<T> context) throws Exception;

	/**
	 * Cleans up after {@code resource}, which is being deleted. Only called when the controller has a finalizer
	 * configured; the finalizer is removed (letting the deletion finish) once this returns {@link Result#done()}.
	 * Throw, or return {@link Result#requeueAfter}, to keep the finalizer and try again.
	 */
	default Result cleanup(T resource, ReconcileContext<T> context) throws Exception {
		return Result.done();
	}

	/**
	 * Decides what happens after {@link #reconcile} or {@link #cleanup} failed. The default retries with the
	 * controller's exponential backoff; a 429's Retry-After is honoured whatever this returns.
	 *
	 * @param key the object
	 * @param error what was thrown (a {@link ReconcileTimeoutException} when the reconcile ran too long)
	 * @param attempts how many times in a row this object has failed, this failure included
	 */
	default ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
		return ErrorAction.retry();
	}
}
