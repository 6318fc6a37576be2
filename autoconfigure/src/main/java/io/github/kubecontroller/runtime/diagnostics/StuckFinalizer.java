package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An object whose deletion waits for a controller's finalizer longer than it should: its cleanup keeps failing,
 * keeps asking to be run again, or never ran.
 *
 * @param controller the controller's name
 * @param objectRef the object as {@code Kind namespace/name}
 * @param key the object's key
 * @param finalizer the controller's finalizer the object still carries
 * @param deletionRequestedAt the object's deletionTimestamp
 * @param waiting how long the deletion has been waiting
 * @param lastError the last failure of the object's reconcile or cleanup, if it failed last
 */
public record StuckFinalizer(String controller, String objectRef, ObjectKey key, String finalizer,
		Instant deletionRequestedAt, Duration waiting, @Nullable RecentError lastError) {
}
