/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease: one instance of several leads, the others stand by
 * with warm caches and take over when the leader stops renewing or releases the lease.
 */
package io.github.kubecontroller.runtime.leader;
