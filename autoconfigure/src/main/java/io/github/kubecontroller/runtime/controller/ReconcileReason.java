package io.github.kubecontroller.runtime.controller;

/** Why an object is being reconciled; shown in logs and diagnostics. */
public enum ReconcileReason {
	/** The object itself was created, changed (past the event filter) or deleted. */
	OBJECT_CHANGED("object changed"),
	/** One of the children it controls changed. */
	OWNED_CHANGED("owned child changed"),
	/** A watched object that maps to it changed. */
	WATCHED_CHANGED("watched object changed"),
	/** The previous reconcile failed. */
	REQUEUE_AFTER_ERROR("requeue after error"),
	/** The previous reconcile asked to be run again after a delay. */
	SCHEDULED_REQUEUE("scheduled requeue"),
	/** The periodic safety requeue. */
	PERIODIC_RESYNC("periodic resync");

	private final String description;

	ReconcileReason(String description) {
		this.description = description;
	}

	/** A few words for log lines, such as {@code owned child changed}. */
	public String description() {
		return description;
	}
}
