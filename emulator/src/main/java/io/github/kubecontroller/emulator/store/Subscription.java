package io.github.kubecontroller.emulator.store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One open watch: the changes of one bucket as the watcher should see them, including the selector transitions a
 * real API server derives (an object that starts matching arrives as ADDED, one that stops matching as DELETED).
 *
 * <p>
 * Changes are queued by the writer and taken by the thread serving the watch. If the watcher falls more than its
 * capacity behind, the watch ends, as kube-apiserver ends the watches of unresponsive clients; the client resumes
 * from the last revision it saw.
 */
public final class Subscription implements AutoCloseable {

	private static final WatchEvent WAKE_UP = new WatchEvent(-1, WatchEvent.Type.MODIFIED, null, null);

	private final ObjectStore store;

	private final ObjectStore.Bucket bucket;

	private final String namespace;

	private final Predicate<StoredObject> filter;

	private final BlockingQueue<WatchEvent> queue;

	private final Deque<WatchEvent> backlog;

	private final long startRevision;

	private boolean initialEventsEndPending;

	private volatile boolean closed;

	private volatile boolean overflowed;

	private volatile boolean expired;

	private long lastDeliveredRevision;

	Subscription(ObjectStore store, ObjectStore.Bucket bucket, String namespace, Predicate<StoredObject> filter,
			int capacity, List<WatchEvent> backlog, boolean initialEvents, long startRevision) {
		this.store = store;
		this.bucket = bucket;
		this.namespace = namespace;
		this.filter = filter;
		this.queue = new LinkedBlockingQueue<>(capacity);
		this.backlog = new ArrayDeque<>(backlog);
		this.initialEventsEndPending = initialEvents;
		this.startRevision = startRevision;
		this.lastDeliveredRevision = startRevision;
	}

	/** Called by the writer, under the store lock; never blocks. */
	void offer(WatchEvent event) {
		if (this.closed) {
			return;
		}
		if (this.namespace != null && !this.namespace.equals(event.object().namespace())) {
			return;
		}
		if (!this.queue.offer(event)) {
			this.overflowed = true;
			close();
		}
	}

	boolean isQueueEmpty() {
		return this.queue.isEmpty() && this.backlog.isEmpty();
	}

	/**
	 * The next change this watcher should see.
	 * @return the change, or {@code null} if none came within the timeout or the watch was closed
	 */
	public Delivery next(long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		while (true) {
			WatchEvent event = this.backlog.pollFirst();
			if (event == null && this.initialEventsEndPending) {
				this.initialEventsEndPending = false;
				return new Delivery(Delivery.Type.INITIAL_EVENTS_END, null, this.startRevision);
			}
			if (event == null) {
				if (this.closed) {
					return null;
				}
				long left = deadline - System.nanoTime();
				event = (left > 0) ? this.queue.poll(left, TimeUnit.NANOSECONDS) : this.queue.poll();
				if (event == null || event == WAKE_UP) {
					return null;
				}
			}
			Delivery delivery = toDelivery(event);
			if (delivery != null) {
				this.lastDeliveredRevision = Math.max(this.lastDeliveredRevision, delivery.revision());
				return delivery;
			}
		}
	}

	/**
	 * The revision a bookmark may carry now: everything up to it has been delivered.
	 */
	public long bookmarkRevision() {
		long drained = this.store.revisionIfDrained(this);
		return (drained >= 0) ? Math.max(drained, this.lastDeliveredRevision) : this.lastDeliveredRevision;
	}

	/** Whether the watch was ended with "too old resource version", as after a compaction. */
	public boolean expired() {
		return this.expired;
	}

	/** The revision of the last change delivered, for the message of an expiry. */
	public long lastDeliveredRevision() {
		return this.lastDeliveredRevision;
	}

	void expire() {
		this.expired = true;
		close();
	}

	/** Whether the watch was ended because the watcher fell too far behind. */
	public boolean overflowed() {
		return this.overflowed;
	}

	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.store.unsubscribe(this.bucket, this);
			this.queue.clear();
			this.queue.offer(WAKE_UP);
		}
	}

	private Delivery toDelivery(WatchEvent event) {
		StoredObject current = event.object();
		StoredObject previous = event.previous();
		return switch (event.type()) {
			case ADDED -> this.filter.test(current) ? new Delivery(Delivery.Type.ADDED, current, event.revision())
					: null;
			case DELETED -> (previous != null && this.filter.test(previous))
					? new Delivery(Delivery.Type.DELETED, current, event.revision()) : null;
			case MODIFIED -> {
				boolean now = this.filter.test(current);
				boolean before = previous != null && this.filter.test(previous);
				if (now) {
					yield new Delivery(before ? Delivery.Type.MODIFIED : Delivery.Type.ADDED, current,
							event.revision());
				}
				// Stopped matching: the old content, at the revision of the change.
				yield before ? new Delivery(Delivery.Type.DELETED, previous, event.revision()) : null;
			}
		};
	}

	/**
	 * One change as the watcher sees it.
	 * @param type what to send
	 * @param object the object to send; its stored revision may differ from {@code revision} for a selector
	 *        transition, and the sender must then write {@code revision}
	 * @param revision the revision the event carries
	 */
	public record Delivery(Type type, StoredObject object, long revision) {

		/** The watch event types, plus the end of the initial events of a streaming list. */
		public enum Type {
			ADDED, MODIFIED, DELETED, INITIAL_EVENTS_END
		}
	}
}
