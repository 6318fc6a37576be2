package io.github.kubecontroller.runtime.controller;

/** How one reconcile ended, with the {@code result} label controller-runtime's metrics use for it. */
public enum ReconcileOutcome {
	/** Returned {@link Result#done()}. */
	SUCCESS("success"),
	/** Returned {@link Result#requeueAfter}. */
	REQUEUE_AFTER("requeue_after"),
	/** Failed (threw, returned null, timed out) and will be retried. */
	ERROR("error"),
	/** Failed and the reconciler's error hook gave up: a terminal error. */
	TERMINAL_ERROR("error");

	private final String resultLabel;

	ReconcileOutcome(String resultLabel) {
		this.resultLabel = resultLabel;
	}

	/** The value of controller-runtime's {@code result} label: success, requeue_after or error. */
	public String resultLabel() {
		return resultLabel;
	}
}
