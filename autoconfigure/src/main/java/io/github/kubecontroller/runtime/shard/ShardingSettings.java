package io.github.kubecontroller.runtime.shard;

import io.github.kubecontroller.runtime.leader.LeaseDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the shard Leases are and how they are held. The durations are leader election's (client-go's): a Lease
 * holds 15 s after its last renewal, is renewed every 2 s, and is given up when no renewal succeeded for 10 s, so
 * that its holder always stops before another instance may take it.
 *
 * <p>The default of {@value #DEFAULT_SHARDS} shards lets up to 16 instances each get work and keeps every instance
 * within one shard (a sixteenth of the objects) of an even share, for 16 Lease renewals every retry period across
 * all instances (8 writes a second at the defaults). Fewer shards mean fewer writes; more let more instances work.
 *
 * @param namespace the Leases' namespace
 * @param name the prefix of the Leases' names ({@code <name>-shard-<i>}, {@code <name>-member-<hash>}) and the
 *        value of their {@code kube-controller.io/sharding} label
 * @param identity this instance's identity, unique among the instances
 * @param shards how many shards the objects are split into; equal on every instance
 * @param leaseDuration how long a Lease holds after its last renewal before others may take it
 * @param renewDeadline how long a shard's holder keeps trying to renew before it gives the shard up
 * @param retryPeriod the wait between rounds of renewals and acquisitions
 */
public record ShardingSettings(String namespace, String name, String identity, int shards, Duration leaseDuration,
		Duration renewDeadline, Duration retryPeriod) {

	public static final int DEFAULT_SHARDS = 16;

	public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

	public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);

	public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

	public ShardingSettings {
		requireText(namespace, "namespace");
		requireText(name, "name");
		// The name prefixes the Leases' names and is their label's value: lower-case DNS, at most 63 characters.
		if (name.length() > 63 || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
			throw new IllegalArgumentException("the sharding name must be at most 63 lower-case letters, digits,"
					+ " '-' or '.', starting and ending with a letter or digit (it names the Leases and labels"
					+ " them), was '" + name + "'");
		}
		requireText(identity, "identity");
		if (shards < 1) {
			throw new IllegalArgumentException("the shard count must be at least 1, was " + shards);
		}
		new LeaseDurations(leaseDuration, renewDeadline, retryPeriod); // checks them
	}

	/** The defaults for Leases named after {@code name} in {@code namespace}, with this identity. */
	public static ShardingSettings defaults(String namespace, String name, String identity) {
		return new ShardingSettings(namespace, name, identity, DEFAULT_SHARDS, DEFAULT_LEASE_DURATION,
				DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD);
	}

	/** These settings with another shard count. */
	public ShardingSettings withShards(int shards) {
		return new ShardingSettings(namespace, name, identity, shards, leaseDuration, renewDeadline, retryPeriod);
	}

	/** These settings with other durations. */
	public ShardingSettings withDurations(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
		return new ShardingSettings(namespace, name, identity, shards, leaseDuration, renewDeadline, retryPeriod);
	}

	/** These settings with another identity, for another instance. */
	public ShardingSettings withIdentity(String identity) {
		return new ShardingSettings(namespace, name, identity, shards, leaseDuration, renewDeadline, retryPeriod);
	}

	private static void requireText(String value, String what) {
		Objects.requireNonNull(value, what);
		if (value.isBlank()) {
			throw new IllegalArgumentException("the sharding " + what + " must not be blank");
		}
	}
}
