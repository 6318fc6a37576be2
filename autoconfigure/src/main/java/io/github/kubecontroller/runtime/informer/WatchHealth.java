package io.github.kubecontroller.runtime.informer;

import java.time.Instant;

/**
 * A snapshot of one watch's health, for readiness checks, metrics and the actuator endpoint.
 *
 * @param state the current state
 * @param since when the watch entered that state
 * @param synced whether the first list has completed (stays true through later relists)
 * @param lastEvent when the last watch event (bookmarks included) arrived, or null
 * @param lastRelist when the last full list completed, or null
 * @param lastError the last list or watch error, readable by a person, or null
 * @param lastErrorAt when it happened, or null
 * @param consecutiveFailures failed list or watch attempts since the last success
 * @param relists full lists since start, the first one included
 * @param watchRestarts watch requests since start
 * @param resourceVersion the last resourceVersion seen, or null
 */
public record WatchHealth(WatchState state, Instant since, boolean synced, Instant lastEvent, Instant lastRelist,
		String lastError, Instant lastErrorAt, int consecutiveFailures, long relists, long watchRestarts,
		String resourceVersion) {
}
