package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An object that a controller reconciles over and over because of writes to it: its own, or its own and another
 * writer's in turn.
 *
 * @param controller the controller's name
 * @param objectRef the object as {@code Kind namespace/name}
 * @param key the object's key
 * @param cause what keeps triggering the reconciles
 * @param reconciles how many reconciles ran within the window when last counted
 * @param window the window the reconciles were counted in
 * @param fields the paths of the fields that keep changing, values left out
 * @param since when the object was first suspected in this episode
 * @param lastSeen when the loop was last seen going on
 */
public record HotLoopSuspect(String controller, String objectRef, ObjectKey key, Cause cause, int reconciles,
		Duration window, List<String> fields, Instant since, Instant lastSeen) {

	public HotLoopSuspect {
		fields = List.copyOf(fields);
	}

	/** What keeps triggering the reconciles. */
	public enum Cause {
		/** Each reconcile writes the object, and that write triggers the next reconcile. */
		OWN_WRITES,
		/** The controller and another writer keep setting the same fields to their own values. */
		PING_PONG
	}
}
