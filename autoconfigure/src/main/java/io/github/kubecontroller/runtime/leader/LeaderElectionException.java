package io.github.kubecontroller.runtime.leader;

/** Leader election cannot work as configured, such as when the application may not use its Lease. */
public final class LeaderElectionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public LeaderElectionException(String message) {
		super(message);
	}
}
