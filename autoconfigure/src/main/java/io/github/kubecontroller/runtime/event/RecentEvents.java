package io.github.kubecontroller.runtime.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Events written recently, by what makes two events the same, so that a repeat extends the first Event's
 * series instead of creating another. Bounded in size and age; used by one thread only.
 */
final class RecentEvents {

	/**
	 * What makes two events the same.
	 *
	 * @param regarding the object's uid (or kind, namespace and name when it has none)
	 * @param type {@code Normal} or {@code Warning}
	 * @param reason the reason
	 * @param action the action
	 * @param note the note, as sent
	 */
	record Key(String regarding, String type, String reason, String action, String note) {
	}

	/**
	 * One Event as written.
	 *
	 * @param namespace its namespace
	 * @param name its name
	 * @param count how often it was observed: 1, then its series count
	 * @param lastObserved when it was last observed
	 */
	record Written(String namespace, String name, int count, Instant lastObserved) {

		Written observedAgain(Instant now) {
			return new Written(this.namespace, this.name, this.count + 1, now);
		}
	}

	private final int capacity;

	private final Duration window;

	// In order of last observation (entries are re-inserted when observed again), so expired ones are at the head.
	private final LinkedHashMap<Key, Written> byKey = new LinkedHashMap<>();

	RecentEvents(int capacity, Duration window) {
		this.capacity = capacity;
		this.window = window;
	}

	/** The Event an event with {@code key} repeats: one observed less than the window before {@code now}. */
	@Nullable Written find(Key key, Instant now) {
		Iterator<Map.Entry<Key, Written>> oldestFirst = this.byKey.entrySet().iterator();
		while (oldestFirst.hasNext()) {
			if (oldestFirst.next().getValue().lastObserved().plus(this.window).isAfter(now)) {
				break;
			}
			oldestFirst.remove();
		}
		return this.byKey.get(key);
	}

	/** Remembers {@code written} as the latest Event for {@code key}, forgetting the oldest when full. */
	void remember(Key key, Written written) {
		this.byKey.remove(key);
		this.byKey.put(key, written);
		if (this.byKey.size() > this.capacity) {
			Iterator<Key> oldest = this.byKey.keySet().iterator();
			oldest.next();
			oldest.remove();
		}
	}

	void forget(Key key) {
		this.byKey.remove(key);
	}

	int size() {
		return this.byKey.size();
	}
}
