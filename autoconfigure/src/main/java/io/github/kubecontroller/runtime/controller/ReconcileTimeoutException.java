package io.github.kubecontroller.runtime.controller;

import java.time.Duration;

/** A reconcile ran longer than the controller's reconcile timeout and was interrupted. */
public class ReconcileTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ReconcileTimeoutException(String objectRef, Duration timeout) {
		super("reconcile of " + objectRef + " did not finish within " + timeout.toMillis() + " ms and was interrupted");
	}
}
