package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.client.ApiFailure;

/** Turns a reconcile failure into one short line. */
final class FailureMessages {

	/** Longer messages are cut: a diagnostic names the failure, the log has the rest. */
	static final int MAX_LENGTH = 300;

	private FailureMessages() {
	}

	/**
	 * One line for {@code failure}: {@link ApiFailure#summary(Throwable)}, cut at its first line break and at
	 * {@link #MAX_LENGTH}.
	 */
	static String oneLine(Throwable failure) {
		String text = ApiFailure.summary(failure);
		int lineEnd = text.indexOf('\n');
		if (lineEnd >= 0) {
			text = text.substring(0, lineEnd);
		}
		text = text.strip();
		return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
	}
}
