package io.github.kubecontroller.runtime.client;

import java.util.Objects;

/**
 * A call to the API server failed; the message is {@link ApiFailure}'s sentence and {@link #failure()} its
 * details (code, reason, Retry-After). The cause is client-java's exception.
 */
public class ApiFailureException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient ApiFailure failure;

	public ApiFailureException(String message, ApiFailure failure, Throwable cause) {
		super(message, cause);
		this.failure = Objects.requireNonNull(failure, "failure");
	}

	/** The failure's code, reason, message and Retry-After. */
	public ApiFailure failure() {
		return failure;
	}
}
