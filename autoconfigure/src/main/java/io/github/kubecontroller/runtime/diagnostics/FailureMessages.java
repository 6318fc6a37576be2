package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.client.ApiFailure;
import io.kubernetes.client.openapi.ApiException;

/** Turns a reconcile failure into one short line. */
final class FailureMessages {

	/** Longer messages are cut: a diagnostic names the failure, the log has the rest. */
	static final int MAX_LENGTH = 300;

	private FailureMessages() {
	}

	/**
	 * One line for {@code failure}: an API server's answer as code, reason and message (client-java's own message
	 * spans lines with every header and the body), anything else as its class and first message line.
	 */
	static String oneLine(Throwable failure) {
		String text;
		if (failure instanceof ApiException api && api.getCode() != 0) {
			ApiFailure answer = ApiFailure.of(failure);
			text = "API error " + answer.code() + " " + answer.reason() + ": " + answer.message();
		} else {
			text = failure.toString();
		}
		int lineEnd = text.indexOf('\n');
		if (lineEnd >= 0) {
			text = text.substring(0, lineEnd);
		}
		text = text.strip();
		return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
	}
}
