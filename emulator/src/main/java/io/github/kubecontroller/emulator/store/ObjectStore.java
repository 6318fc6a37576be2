package io.github.kubecontroller.emulator.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The emulator's etcd: objects per storage bucket, one cluster-wide revision counter, and a bounded history of
 * changes from which watches resume and consistent list pages are served.
 *
 * <p>
 * Writes run one at a time under a single lock, as etcd serialises revisions. Reads of single objects need no lock;
 * list pages and watch registration take the lock only to copy references.
 */
public final class ObjectStore {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition revisionAdvanced = this.lock.newCondition();

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Deque<HistoryEntry> history = new ArrayDeque<>();

	private final Clock clock;

	private final Duration historyWindow;

	private final int historyMaxEvents;

	private volatile long revision;

	/** A watch may start at any revision at or after this one; older ones are gone. */
	private long compactedRevision;

	public ObjectStore(Clock clock, Duration historyWindow, int historyMaxEvents) {
		this.clock = clock;
		this.historyWindow = historyWindow;
		this.historyMaxEvents = historyMaxEvents;
	}

	/** The revision of the latest write. */
	public long revision() {
		return this.revision;
	}

	/** The oldest revision a watch or an exact list can still be served at. */
	public long compactedRevision() {
		this.lock.lock();
		try {
			return this.compactedRevision;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The current state of one object, or {@code null}. */
	public StoredObject get(String storage, String key) {
		Bucket bucket = this.buckets.get(storage);
		return (bucket != null) ? bucket.objects.get(key) : null;
	}

	/** Runs {@code work} as one atomic write: nobody else writes or registers a watch meanwhile. */
	public <T> T write(Function<Transaction, T> work) {
		this.lock.lock();
		try {
			return work.apply(new Transaction());
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Every current object of a bucket inside one key range (a namespace, or all when {@code null}). */
	public List<StoredObject> current(String storage, String namespace) {
		Bucket bucket = this.buckets.get(storage);
		if (bucket == null) {
			return List.of();
		}
		return new ArrayList<>(range(bucket.objects, namespace).values());
	}

	/**
	 * One page of a list at a revision.
	 * @param query what to read
	 * @return the page
	 * @throws ResourceVersionExpiredException if the revision is no longer in the history
	 */
	public ListPage list(String storage, ListQuery query) throws ResourceVersionExpiredException {
		this.lock.lock();
		try {
			long at = (query.atRevision() <= 0) ? this.revision : query.atRevision();
			if (at < this.compactedRevision) {
				throw new ResourceVersionExpiredException(at, this.compactedRevision);
			}
			Bucket bucket = bucket(storage);
			NavigableMap<String, StoredObject> live = range(bucket.objects, query.namespace());
			Map<String, StoredObject> overrides = (at == this.revision) ? Map.of() : stateBefore(bucket, at);
			return page(live, overrides, at, query);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until the store has reached {@code target}, at most {@code timeout}.
	 * @return whether it did
	 */
	public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (this.revision < target) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.revisionAdvanced.awaitNanos(left);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Starts a watch.
	 * @param fromRevision deliver every change after this revision; {@code 0} to start now
	 * @param initialEvents whether to deliver the current state as synthetic additions first
	 * @param filter which objects the watcher sees (selector transitions are derived from it)
	 * @param capacity how many undelivered changes may pile up before the watch is ended
	 * @throws ResourceVersionExpiredException if {@code fromRevision} is older than the history
	 */
	public Subscription watch(String storage, String namespace, long fromRevision, boolean initialEvents,
			Predicate<StoredObject> filter, int capacity) throws ResourceVersionExpiredException {
		this.lock.lock();
		try {
			Bucket bucket = bucket(storage);
			List<WatchEvent> backlog = new ArrayList<>();
			long start = this.revision;
			if (initialEvents) {
				// A snapshot at the latest revision is "not older than" any revision the client may ask for.
				for (StoredObject object : range(bucket.objects, namespace).values()) {
					backlog.add(new WatchEvent(object.resourceVersion(), WatchEvent.Type.ADDED, object, null));
				}
			}
			else if (fromRevision > 0) {
				if (fromRevision < this.compactedRevision) {
					throw new ResourceVersionExpiredException(fromRevision, this.compactedRevision);
				}
				for (WatchEvent event : bucket.history) {
					if (event.revision() > fromRevision && inRange(event.object(), namespace)) {
						backlog.add(event);
					}
				}
			}
			Subscription subscription = new Subscription(this, bucket, namespace, filter, capacity, backlog,
					initialEvents, start);
			bucket.watchers.add(subscription);
			return subscription;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Forgets the whole history now: older revisions are answered with 410 Expired from here on. */
	public void compact() {
		this.lock.lock();
		try {
			this.history.clear();
			this.buckets.values().forEach((bucket) -> bucket.history.clear());
			this.compactedRevision = this.revision;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Ends every open watch; clients see their stream close and resume. */
	public void closeAllWatches() {
		this.buckets.values().forEach((bucket) -> bucket.watchers.forEach(Subscription::close));
	}

	/** Ends every open watch with an ERROR 410 event: clients must relist. */
	public void expireAllWatches() {
		this.buckets.values().forEach((bucket) -> bucket.watchers.forEach(Subscription::expire));
	}

	/** How many watches are open, over all buckets. */
	public int openWatches() {
		return this.buckets.values().stream().mapToInt((bucket) -> bucket.watchers.size()).sum();
	}

	void unsubscribe(Bucket bucket, Subscription subscription) {
		bucket.watchers.remove(subscription);
	}

	/**
	 * Whether every change up to the current revision has been handed to the subscription's queue; used to pick a
	 * bookmark revision.
	 */
	long revisionIfDrained(Subscription subscription) {
		this.lock.lock();
		try {
			return subscription.isQueueEmpty() ? this.revision : -1;
		}
		finally {
			this.lock.unlock();
		}
	}

	private Bucket bucket(String storage) {
		return this.buckets.computeIfAbsent(storage, (s) -> new Bucket());
	}

	private static NavigableMap<String, StoredObject> range(NavigableMap<String, StoredObject> objects,
			String namespace) {
		if (namespace == null) {
			return objects;
		}
		// Keys are "namespace/name"; '0' is the character after '/'.
		return objects.subMap(namespace + "/", true, namespace + "0", false);
	}

	private static boolean inRange(StoredObject object, String namespace) {
		return namespace == null || namespace.equals(object.namespace());
	}

	/**
	 * The state at revision {@code at} of every key changed after it: the earliest later change's previous state, or
	 * {@code null} where the key did not exist yet.
	 */
	private static Map<String, StoredObject> stateBefore(Bucket bucket, long at) {
		Map<String, StoredObject> overrides = new HashMap<>();
		Iterator<WatchEvent> newestFirst = bucket.history.descendingIterator();
		while (newestFirst.hasNext()) {
			WatchEvent event = newestFirst.next();
			if (event.revision() <= at) {
				break;
			}
			overrides.put(event.object().key(), event.previous());
		}
		return overrides;
	}

	/**
	 * One page of the view "live objects, except those changed after the page's revision, which take their earlier
	 * state". The two sorted sources are merged while iterating, so a page costs its own size plus the changes, not
	 * a copy of the whole range.
	 */
	private static ListPage page(NavigableMap<String, StoredObject> live, Map<String, StoredObject> overrides,
			long at, ListQuery query) {
		String after = query.afterKey();
		NavigableMap<String, StoredObject> liveTail = (after == null) ? live : live.tailMap(after, false);
		TreeMap<String, StoredObject> changed = new TreeMap<>();
		overrides.forEach((key, state) -> {
			boolean inRange = query.namespace() == null || key.startsWith(query.namespace() + "/");
			if (inRange && (after == null || key.compareTo(after) > 0)) {
				changed.put(key, state);
			}
		});
		// Counting what remains means walking the rest of the range; the pages after the first carry the count.
		boolean counting = query.countRemaining() && query.knownRemaining() == null;
		List<StoredObject> items = new ArrayList<>();
		String lastKey = null;
		boolean more = false;
		long remaining = 0;
		Iterator<StoredObject> candidates = merged(liveTail, changed);
		while (candidates.hasNext()) {
			StoredObject object = candidates.next();
			if (!query.filter().test(object)) {
				continue;
			}
			if (query.limit() > 0 && items.size() >= query.limit()) {
				more = true;
				if (!counting) {
					break;
				}
				remaining++;
				continue;
			}
			items.add(object);
			lastKey = object.key();
		}
		Long remainingItemCount = null;
		if (more && query.countRemaining()) {
			remainingItemCount = counting ? remaining : query.knownRemaining() - items.size();
		}
		return new ListPage(at, items, more ? lastKey : null, remainingItemCount);
	}

	/** Merges two key-sorted sources; where both have a key, {@code changed} wins, and a null there means absent. */
	private static Iterator<StoredObject> merged(NavigableMap<String, StoredObject> live,
			NavigableMap<String, StoredObject> changed) {
		if (changed.isEmpty()) {
			return live.values().iterator();
		}
		return new MergedIterator(live.entrySet().iterator(), changed.entrySet().iterator());
	}

	private static final class MergedIterator implements Iterator<StoredObject> {

		private final Iterator<Map.Entry<String, StoredObject>> live;

		private final Iterator<Map.Entry<String, StoredObject>> changed;

		private Map.Entry<String, StoredObject> nextLive;

		private Map.Entry<String, StoredObject> nextChanged;

		private StoredObject next;

		MergedIterator(Iterator<Map.Entry<String, StoredObject>> live,
				Iterator<Map.Entry<String, StoredObject>> changed) {
			this.live = live;
			this.changed = changed;
			this.nextLive = live.hasNext() ? live.next() : null;
			this.nextChanged = changed.hasNext() ? changed.next() : null;
			advance();
		}

		private void advance() {
			this.next = null;
			while (this.next == null && (this.nextLive != null || this.nextChanged != null)) {
				int order = (this.nextLive == null) ? 1
						: (this.nextChanged == null) ? -1 : this.nextLive.getKey().compareTo(this.nextChanged.getKey());
				if (order < 0) {
					this.next = this.nextLive.getValue();
					this.nextLive = this.live.hasNext() ? this.live.next() : null;
					continue;
				}
				this.next = this.nextChanged.getValue();
				if (order == 0) {
					this.nextLive = this.live.hasNext() ? this.live.next() : null;
				}
				this.nextChanged = this.changed.hasNext() ? this.changed.next() : null;
			}
		}

		@Override
		public boolean hasNext() {
			return this.next != null;
		}

		@Override
		public StoredObject next() {
			if (this.next == null) {
				throw new java.util.NoSuchElementException();
			}
			StoredObject current = this.next;
			advance();
			return current;
		}
	}



	/** A write in progress; valid only inside {@link ObjectStore#write}. */
	public final class Transaction {

		private Transaction() {
		}

		public StoredObject get(String storage, String key) {
			return ObjectStore.this.get(storage, key);
		}

		/** Reserves the revision the next stored state will carry. */
		public long nextRevision() {
			return ObjectStore.this.revision + 1;
		}

		/** Stores a new state (its revision must be {@link #nextRevision()}) and tells the watchers. */
		public WatchEvent put(String storage, StoredObject object) {
			Bucket bucket = bucket(storage);
			StoredObject previous = bucket.objects.put(object.key(), object);
			return commit(storage, bucket, new WatchEvent(object.resourceVersion(),
					(previous == null) ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, object, previous));
		}

		/** Removes an object; {@code lastState} is its final state carrying {@link #nextRevision()}. */
		public WatchEvent delete(String storage, StoredObject lastState) {
			Bucket bucket = bucket(storage);
			StoredObject previous = bucket.objects.remove(lastState.key());
			return commit(storage, bucket,
					new WatchEvent(lastState.resourceVersion(), WatchEvent.Type.DELETED, lastState, previous));
		}

		public List<StoredObject> current(String storage, String namespace) {
			return ObjectStore.this.current(storage, namespace);
		}

		private WatchEvent commit(String storage, Bucket bucket, WatchEvent event) {
			if (event.revision() != ObjectStore.this.revision + 1) {
				throw new IllegalStateException("revision " + event.revision() + " is not the next revision");
			}
			ObjectStore.this.revision = event.revision();
			bucket.history.addLast(event);
			ObjectStore.this.history.addLast(new HistoryEntry(storage, event, ObjectStore.this.clock.millis()));
			trimHistory();
			for (Subscription watcher : bucket.watchers) {
				watcher.offer(event);
			}
			ObjectStore.this.revisionAdvanced.signalAll();
			return event;
		}
	}

	private void trimHistory() {
		long oldestKept = this.clock.millis() - this.historyWindow.toMillis();
		while (!this.history.isEmpty() && (this.history.size() > this.historyMaxEvents
				|| this.history.peekFirst().committedAtMillis() < oldestKept)) {
			HistoryEntry dropped = this.history.removeFirst();
			Bucket bucket = this.buckets.get(dropped.storage());
			bucket.history.removeFirst();
			this.compactedRevision = Math.max(this.compactedRevision, dropped.event().revision());
		}
	}

	static final class Bucket {

		final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

		final ArrayDeque<WatchEvent> history = new ArrayDeque<>();

		final List<Subscription> watchers = new CopyOnWriteArrayList<>();

	}

	private record HistoryEntry(String storage, WatchEvent event, long committedAtMillis) {
	}

	/**
	 * What a list reads.
	 * @param namespace restrict to one namespace, or {@code null}
	 * @param filter label and field selectors
	 * @param atRevision the revision to read at, {@code 0} for the latest
	 * @param afterKey continue after this key, or {@code null}
	 * @param limit page size, {@code 0} for everything
	 * @param countRemaining whether to count the items after the page
	 * @param knownRemaining how many items follow {@code afterKey} at this revision (from the previous page), so the
	 *        count needs no walk of the rest; {@code null} to count
	 */
	public record ListQuery(String namespace, Predicate<StoredObject> filter, long atRevision, String afterKey,
			int limit, boolean countRemaining, Long knownRemaining) {

		public ListQuery(String namespace, Predicate<StoredObject> filter, long atRevision, String afterKey, int limit,
				boolean countRemaining) {
			this(namespace, filter, atRevision, afterKey, limit, countRemaining, null);
		}
	}

	/**
	 * One page of a list.
	 * @param revision the revision the page was read at
	 * @param items the objects
	 * @param continueAfterKey the key to continue after, or {@code null} when nothing remains
	 * @param remainingItemCount how many items remain, when counted
	 */
	public record ListPage(long revision, List<StoredObject> items, String continueAfterKey,
			Long remainingItemCount) {
	}
}
