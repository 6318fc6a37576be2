/**
 * Sharding: the instances of an application split the objects of its controllers by a stable hash of each
 * object's key, coordinated through {@code coordination.k8s.io/v1} Leases, one per shard.
 */
package io.github.kubecontroller.runtime.shard;
