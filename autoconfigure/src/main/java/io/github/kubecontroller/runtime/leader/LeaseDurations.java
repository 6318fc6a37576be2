package io.github.kubecontroller.runtime.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * The three durations of a Lease held by renewing it, checked for the one relation that makes holding it safe: a
 * holder gives the Lease up (at the renew deadline, after a few tries at renewing) before anyone else may take it
 * (after the lease duration). Leader election and sharding both hold their Leases this way.
 *
 * @param leaseDuration how long a Lease holds after its last renewal; whole seconds, at least one
 * @param renewDeadline how long the holder keeps trying to renew before it gives up; shorter than the lease
 * duration, longer than 1.2 × the retry period
 * @param retryPeriod the wait between attempts; positive
 */
public record LeaseDurations(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

	public LeaseDurations {
		Objects.requireNonNull(leaseDuration, "leaseDuration");
		Objects.requireNonNull(renewDeadline, "renewDeadline");
		Objects.requireNonNull(retryPeriod, "retryPeriod");
		if (retryPeriod.isNegative() || retryPeriod.isZero()) {
			throw new IllegalArgumentException("the retry period must be positive, was " + retryPeriod);
		}
		if (leaseDuration.toSeconds() < 1) {
			throw new IllegalArgumentException("the lease duration must be at least 1s (a Lease counts whole seconds),"
					+ " was " + leaseDuration);
		}
		if (renewDeadline.compareTo(leaseDuration) >= 0) {
			throw new IllegalArgumentException("the renew deadline (" + renewDeadline
					+ ") must be shorter than the lease duration (" + leaseDuration + ")");
		}
		// client-go's rule: the holder gets a few tries at renewing before the deadline.
		if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
			throw new IllegalArgumentException("the renew deadline (" + renewDeadline
					+ ") must be longer than 1.2 × the retry period (" + retryPeriod + ")");
		}
	}
}
