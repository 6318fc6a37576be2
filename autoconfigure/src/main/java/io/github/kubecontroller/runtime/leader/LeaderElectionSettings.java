package io.github.kubecontroller.runtime.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the lease is and how leadership is held. The defaults are client-go's: a 15 s lease, renewed every 2 s and
 * given up when no renewal succeeded for 10 s, so that the leader always stops before another instance may start
 * (another waits for the full lease duration after the last renewal it saw).
 *
 * @param namespace the Lease's namespace
 * @param name the Lease's name
 * @param identity this instance's identity, unique among the candidates
 * @param leaseDuration how long a lease holds after its last renewal before others may take it
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leadership
 * @param retryPeriod the wait between attempts to acquire or renew
 */
public record LeaderElectionSettings(String namespace, String name, String identity, Duration leaseDuration,
		Duration renewDeadline, Duration retryPeriod) {

	public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

	public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);

	public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

	public LeaderElectionSettings {
		requireText(namespace, "namespace");
		requireText(name, "name");
		requireText(identity, "identity");
		new LeaseDurations(leaseDuration, renewDeadline, retryPeriod); // checks them
	}

	/** The defaults for a Lease {@code namespace/name}, with this identity. */
	public static LeaderElectionSettings defaults(String namespace, String name, String identity) {
		return new LeaderElectionSettings(namespace, name, identity, DEFAULT_LEASE_DURATION, DEFAULT_RENEW_DEADLINE,
				DEFAULT_RETRY_PERIOD);
	}

	/** These settings with other durations. */
	public LeaderElectionSettings withDurations(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
		return new LeaderElectionSettings(namespace, name, identity, leaseDuration, renewDeadline, retryPeriod);
	}

	private static void requireText(String value, String what) {
		Objects.requireNonNull(value, what);
		if (value.isBlank()) {
			throw new IllegalArgumentException("the lease " + what + " must not be blank");
		}
	}
}
