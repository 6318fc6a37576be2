package io.github.kubecontroller.runtime.informer;

/** Where a watch is in its life. */
public enum WatchState {
	/** Not started yet. */
	STARTING,
	/** Listing: the first list, or a relist after the watch could not resume. */
	LISTING,
	/** Synced and receiving events. */
	WATCHING,
	/** A list or watch failed; waiting for the backoff delay before trying again. */
	BACKING_OFF,
	/** Stopped for good. */
	STOPPED
}
