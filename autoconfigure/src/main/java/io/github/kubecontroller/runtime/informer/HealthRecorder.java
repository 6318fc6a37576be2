package io.github.kubecontroller.runtime.informer;

import java.time.Clock;
import java.time.Instant;

/** Keeps one informer's {@link WatchHealth} current; written by the informer thread, read by anyone. */
final class HealthRecorder {

	private final Clock clock;

	private WatchState state = WatchState.STARTING;
	private Instant since;
	private boolean synced;
	private Instant lastEvent;
	private Instant lastRelist;
	private String lastError;
	private Instant lastErrorAt;
	private int consecutiveFailures;
	private long relists;
	private long watchRestarts;
	private String resourceVersion;

	HealthRecorder(Clock clock) {
		this.clock = clock;
		this.since = clock.instant();
	}

	synchronized void state(WatchState state) {
		if (this.state != state && this.state != WatchState.STOPPED) {
			this.state = state;
			this.since = clock.instant();
		}
	}

	/** A watch event arrived (bookmarks included); {@code resourceVersion} may be null. */
	synchronized void event(String resourceVersion) {
		lastEvent = clock.instant();
		if (resourceVersion != null) {
			this.resourceVersion = resourceVersion;
		}
	}

	/** A full list is in the cache. */
	synchronized void relisted(String resourceVersion) {
		lastRelist = clock.instant();
		relists++;
		synced = true;
		consecutiveFailures = 0;
		this.resourceVersion = resourceVersion;
	}

	/**
	 * A watch request was answered with 200.
	 *
	 * @return the failures in a row that this success ends
	 */
	synchronized int watchStarted() {
		watchRestarts++;
		int failures = consecutiveFailures;
		consecutiveFailures = 0;
		return failures;
	}

	/** An attempt failed; returns the failures in a row so far. */
	synchronized int failed(String message) {
		lastError = message;
		lastErrorAt = clock.instant();
		return ++consecutiveFailures;
	}

	synchronized String resourceVersion() {
		return resourceVersion;
	}

	synchronized WatchHealth snapshot() {
		return new WatchHealth(state, since, synced, lastEvent, lastRelist, lastError, lastErrorAt,
				consecutiveFailures, relists, watchRestarts, resourceVersion);
	}
}
