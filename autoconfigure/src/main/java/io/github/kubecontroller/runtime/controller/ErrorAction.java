package io.github.kubecontroller.runtime.controller;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What to do after a reconcile failed, as decided by
 * {@link ResourceReconciler#onError(io.github.kubecontroller.runtime.queue.ObjectKey, Throwable, int)}.
 *
 * @param retryRequested whether to reconcile the object again
 * @param minimumDelay the least time to wait before that retry, on top of the usual backoff; null for the backoff
 */
public record ErrorAction(boolean retryRequested, @Nullable Duration minimumDelay) {

	private static final ErrorAction RETRY = new ErrorAction(true, null);
	private static final ErrorAction GIVE_UP = new ErrorAction(false, null);

	/** Retry with the controller's per-object exponential backoff. */
	public static ErrorAction retry() {
		return RETRY;
	}

	/** Retry after at least {@code delay}, or later if the backoff says so. */
	public static ErrorAction retryAfter(Duration delay) {
		return new ErrorAction(true, delay);
	}

	/**
	 * Do not retry: the failure is permanent. The object is reconciled again only when it changes (or at the
	 * periodic requeue).
	 */
	public static ErrorAction giveUp() {
		return GIVE_UP;
	}
}
