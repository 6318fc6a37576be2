package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The last failed reconcile of one object.
 *
 * @param key the object
 * @param message what failed, on one line
 * @param at when the reconcile failed
 * @param attempts how many reconciles of the object failed in a row, this one included
 * @param reason why the failed reconcile ran
 * @param nextRetryAt when the retry is scheduled, or null when the reconciler gave up (a terminal error)
 */
public record RecentError(ObjectKey key, String message, Instant at, int attempts, ReconcileReason reason,
		@Nullable Instant nextRetryAt) {

	/** Whether the reconciler gave up on the object until it changes. */
	public boolean terminal() {
		return nextRetryAt == null;
	}
}
