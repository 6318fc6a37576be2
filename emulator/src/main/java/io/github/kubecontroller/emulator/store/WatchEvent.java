package io.github.kubecontroller.emulator.store;

/**
 * One committed change, as kept in the history and handed to watchers.
 *
 * @param revision the revision of the change
 * @param type what happened
 * @param object the state after the change; for a deletion, the last state with the deletion's revision
 * @param previous the state before the change, {@code null} for a creation
 */
public record WatchEvent(long revision, Type type, StoredObject object, StoredObject previous) {

	/** The kind of change, named as on the watch wire. */
	public enum Type {
		ADDED, MODIFIED, DELETED
	}
}
