package io.github.kubecontroller.runtime.shard;

/** Sharding cannot work as configured, for instance because the application may not use its Leases. */
public class ShardingException extends RuntimeException {

	public ShardingException(String message) {
		super(message);
	}
}
