package io.github.kubecontroller.runtime.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate-limited, delaying work queue with client-go semantics: a key waits at most once, is handed to at
 * most one worker at a time, and a key added while it is being processed is handed out again after
 * {@link #done}. Workers loop on {@link #take()} … {@link #done(Object)}; keys must have value semantics.
 *
 * @param <K> the key type, e.g. {@link ObjectKey}
 */
public final class WorkQueue<K> {

	// Keeps "now + delay" far from overflowing, so that nanoTime values can always be compared by subtraction.
	private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

	private final String name;
	private final RateLimiter<? super K> rateLimiter;
	private final Ticker ticker;
	private final Observer<? super K> observer;

	// One lock guards everything below; the critical sections are tiny, and a single lock keeps the
	// queue / dirty / processing invariants trivially consistent.
	private final ReentrantLock lock = new ReentrantLock();
	private final Condition keyReady = lock.newCondition();
	private final Condition delayedChanged = lock.newCondition();
	private final Condition processingEmpty = lock.newCondition();

	// Invariant: every key in queue is in dirty; a key in dirty and in processing is not in queue.
	private final ArrayDeque<K> queue = new ArrayDeque<>();
	private final Set<K> dirty = new HashSet<>();
	private final Map<K, Long> processing = new HashMap<>(); // key -> ticker time it was handed out
	private final Map<K, Long> dirtySince = new HashMap<>(); // key -> ticker time it last became dirty
	private final TreeSet<Waiting<K>> waiting = new TreeSet<>(Waiting.ORDER);
	private final Map<K, Waiting<K>> waitingByKey = new HashMap<>();
	private long sequence;
	private long adds;
	private long retries;
	private boolean shuttingDown;
	private Thread timer;

	/** A queue using {@link RateLimiters#controllerDefault()} and the system clock. */
	public WorkQueue(String name) {
		this(name, RateLimiters.controllerDefault());
	}

	/** A queue using the given rate limiter for {@link #addRateLimited} and the system clock. */
	public WorkQueue(String name, RateLimiter<? super K> rateLimiter) {
		this(name, rateLimiter, Ticker.system());
	}

	/**
	 * A queue with an explicit time source. The delay timer waits on real time for the ticker's differences,
	 * so a fake ticker only makes sense in tests.
	 */
	public WorkQueue(String name, RateLimiter<? super K> rateLimiter, Ticker ticker) {
		this(name, rateLimiter, ticker, Observer.NONE);
	}

	/** A queue that reports how long keys wait and are worked on, for metrics. */
	public WorkQueue(String name, RateLimiter<? super K> rateLimiter, Ticker ticker, Observer<? super K> observer) {
		Objects.requireNonNull(name, "name");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		this.name = name;
		this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	/** Returns the queue's name. */
	public String name() {
		return name;
	}

	/** Queues {@code key} unless it is already waiting; ignored after shutdown. */
	public void add(K key) {
		Objects.requireNonNull(key, "key");
		lock.lock();
		try {
			addLocked(key);
		} finally {
			lock.unlock();
		}
	}

	private void addLocked(K key) {
		if (shuttingDown || !dirty.add(key)) {
			return; // already waiting, or already marked for another pass: N adds collapse into one
		}
		dirtySince.put(key, ticker.nanoTime());
		adds++;
		if (processing.containsKey(key)) {
			return; // done() puts it back; handing it out now would let two workers process the same key
		}
		queue.addLast(key);
		keyReady.signal();
	}

	/**
	 * Queues {@code key} after {@code delay}. If the key already has a pending delayed add, the earlier of the
	 * two ready times is kept. A zero or negative delay adds immediately.
	 */
	public void addAfter(K key, Duration delay) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(delay, "delay");
		if (delay.isZero() || delay.isNegative()) {
			add(key);
			return;
		}
		long delayNanos = cappedNanos(delay);
		lock.lock();
		try {
			if (shuttingDown) {
				return;
			}
			long readyAt = ticker.nanoTime() + delayNanos;
			Waiting<K> existing = waitingByKey.get(key);
			if (existing != null) {
				if (readyAt - existing.readyAt() >= 0) {
					return;
				}
				waiting.remove(existing);
			}
			Waiting<K> entry = new Waiting<>(key, readyAt, sequence++);
			waiting.add(entry);
			waitingByKey.put(key, entry);
			if (waiting.first() == entry) {
				startTimerIfNeeded();
				delayedChanged.signal(); // the timer may be sleeping until a later ready time
			}
		} finally {
			lock.unlock();
		}
	}

	/** Queues {@code key} after the rate limiter's delay for it (counts as a retry). */
	public void addRateLimited(K key) {
		addRateLimited(key, Duration.ZERO);
	}

	/**
	 * Queues {@code key} after the longer of the rate limiter's delay and {@code minimumDelay}, e.g. a 429's
	 * Retry-After.
	 *
	 * @return the delay the key was queued with
	 */
	public Duration addRateLimited(K key, Duration minimumDelay) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(minimumDelay, "minimumDelay");
		Duration delay = rateLimiter.when(key);
		if (minimumDelay.compareTo(delay) > 0) {
			delay = minimumDelay;
		}
		lock.lock();
		try {
			if (!shuttingDown) {
				retries++;
			}
		} finally {
			lock.unlock();
		}
		addAfter(key, delay);
		return delay;
	}

	/** Resets the rate limiter's failure count for {@code key}; call it after a successful pass. */
	public void forget(K key) {
		rateLimiter.forget(key);
	}

	/** Returns how often {@code key} was rate limited since the last {@link #forget}. */
	public int numRequeues(K key) {
		return rateLimiter.numRequeues(key);
	}

	/**
	 * Blocks until a key is ready and hands it to the caller, who must call {@link #done} with it.
	 *
	 * @return the key, or {@code null} once the queue is shut down
	 */
	public K take() throws InterruptedException {
		return next(false, 0L);
	}

	/**
	 * Like {@link #take()} but gives up after {@code timeout}.
	 *
	 * @return the key, or empty on timeout or once the queue is shut down
	 */
	public Optional<K> poll(Duration timeout) throws InterruptedException {
		Objects.requireNonNull(timeout, "timeout");
		long nanos = cappedNanos(timeout);
		return Optional.ofNullable(next(true, nanos));
	}

	private K next(boolean timed, long nanos) throws InterruptedException {
		K taken;
		Duration waited;
		lock.lockInterruptibly();
		try {
			while (queue.isEmpty()) {
				if (shuttingDown || (timed && nanos <= 0)) {
					return null;
				}
				try {
					if (timed) {
						nanos = keyReady.awaitNanos(nanos);
					} else {
						keyReady.await();
					}
				} catch (InterruptedException e) {
					// We may have consumed the signal meant for a key; pass it on so it is not stranded.
					if (!queue.isEmpty()) {
						keyReady.signal();
					}
					throw e;
				}
			}
			K key = queue.pollFirst();
			dirty.remove(key);
			long now = ticker.nanoTime();
			processing.put(key, now);
			Long since = dirtySince.remove(key);
			waited = Duration.ofNanos(since == null ? 0 : Math.max(0, now - since));
			if (!queue.isEmpty()) {
				keyReady.signal(); // covers a signal that went to a poller which timed out meanwhile
			}
			taken = key;
		} finally {
			lock.unlock();
		}
		observer.taken(taken, waited);
		return taken;
	}

	/**
	 * Marks the processing of {@code key} as finished. If the key was added meanwhile it is queued again.
	 * Unknown keys are ignored.
	 */
	public void done(K key) {
		Objects.requireNonNull(key, "key");
		Duration worked;
		lock.lock();
		try {
			Long since = processing.remove(key);
			if (since == null) {
				return;
			}
			worked = Duration.ofNanos(Math.max(0, ticker.nanoTime() - since));
			if (!shuttingDown && dirty.contains(key)) {
				queue.addLast(key);
				keyReady.signal();
			}
			if (processing.isEmpty()) {
				processingEmpty.signalAll();
			}
		} finally {
			lock.unlock();
		}
		observer.done(key, worked);
	}

	/**
	 * Stops the queue: no more keys are accepted or handed out, waiting and delayed keys are dropped, and
	 * blocked {@link #take()} calls return {@code null}. Idempotent.
	 */
	public void shutDown() {
		lock.lock();
		try {
			shuttingDown = true;
			queue.clear();
			dirty.clear();
			dirtySince.clear();
			waiting.clear();
			waitingByKey.clear();
			keyReady.signalAll();
			delayedChanged.signalAll(); // lets the timer thread exit
		} finally {
			lock.unlock();
		}
	}

	/**
	 * {@link #shutDown()}, then waits up to {@code timeout} for the keys being processed to be {@link #done}.
	 *
	 * @return true if no key was in flight any more before the timeout
	 */
	public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
		shutDown();
		long nanos = cappedNanos(timeout);
		lock.lock();
		try {
			while (!processing.isEmpty()) {
				if (nanos <= 0) {
					return false;
				}
				nanos = processingEmpty.awaitNanos(nanos);
			}
			return true;
		} finally {
			lock.unlock();
		}
	}

	/** Returns whether {@link #shutDown()} was called. */
	public boolean isShuttingDown() {
		lock.lock();
		try {
			return shuttingDown;
		} finally {
			lock.unlock();
		}
	}

	/** Returns the number of keys ready to be taken (not counting keys in flight or delayed). */
	public int len() {
		lock.lock();
		try {
			return queue.size();
		} finally {
			lock.unlock();
		}
	}

	/** Returns the keys currently being processed and how long each has been in flight. */
	public Map<K, Duration> inFlight() {
		lock.lock();
		try {
			long now = ticker.nanoTime();
			Map<K, Duration> result = new LinkedHashMap<>();
			processing.forEach((key, since) -> result.put(key, Duration.ofNanos(Math.max(0, now - since))));
			return result;
		} finally {
			lock.unlock();
		}
	}

	/** Returns a consistent snapshot of the queue's counters, for metrics. */
	public Stats stats() {
		lock.lock();
		try {
			long now = ticker.nanoTime();
			long longest = 0;
			long total = 0;
			for (long since : processing.values()) {
				long running = Math.max(0, now - since);
				longest = Math.max(longest, running);
				total += running;
			}
			return new Stats(queue.size(), waiting.size(), processing.size(), adds, retries,
					Duration.ofNanos(longest), Duration.ofNanos(total));
		} finally {
			lock.unlock();
		}
	}

	/**
	 * A snapshot of the queue for metrics.
	 *
	 * @param depth keys ready to be taken
	 * @param delayed keys with a pending delayed add
	 * @param inFlight keys being processed
	 * @param adds keys accepted since creation (adds merged into a waiting key are not counted)
	 * @param retries calls of {@code addRateLimited} since creation
	 * @param longestRunning how long the oldest in-flight key has been processed
	 * @param unfinishedWork the sum of the processing times so far of all in-flight keys
	 */
	public record Stats(int depth, int delayed, int inFlight, long adds, long retries, Duration longestRunning,
			Duration unfinishedWork) {
	}

	/**
	 * Sees how long keys wait before a worker takes them and how long workers take, as client-go's
	 * {@code workqueue_queue_duration_seconds} and {@code workqueue_work_duration_seconds}. Called outside the
	 * queue's lock, on the worker's thread; must be quick.
	 */
	public interface Observer<K> {

		/** Observes nothing. */
		Observer<Object> NONE = new Observer<>() {
		};

		/** {@code key} was handed to a worker after waiting {@code waited} since it was added. */
		default void taken(K key, Duration waited) {
		}

		/** A worker finished {@code key} after {@code worked}. */
		default void done(K key, Duration worked) {
		}
	}

	/** Moves every delayed key whose ready time has come into the queue; returns how many. */
	int promoteReadyDelayed() {
		lock.lock();
		try {
			return promoteLocked();
		} finally {
			lock.unlock();
		}
	}

	private int promoteLocked() {
		long now = ticker.nanoTime();
		int promoted = 0;
		while (!waiting.isEmpty() && waiting.first().readyAt() - now <= 0) {
			Waiting<K> entry = waiting.pollFirst();
			waitingByKey.remove(entry.key());
			addLocked(entry.key());
			promoted++;
		}
		return promoted;
	}

	private void startTimerIfNeeded() {
		if (timer == null) {
			timer = new Thread(this::runTimer, "kube-controller-queue-" + name);
			timer.setDaemon(true);
			timer.start();
		}
	}

	// One thread per queue, started on the first delayed add. It sleeps until the earliest ready time (or until
	// an earlier entry arrives), so there is neither a thread per key nor any polling.
	private void runTimer() {
		lock.lock();
		try {
			while (!shuttingDown) {
				promoteLocked();
				try {
					if (waiting.isEmpty()) {
						delayedChanged.await();
					} else {
						delayedChanged.awaitNanos(waiting.first().readyAt() - ticker.nanoTime());
					}
				} catch (InterruptedException e) {
					// Nobody but shutDown() should stop this thread, and it does so through the flag.
				}
			}
		} finally {
			lock.unlock();
		}
	}

	private record Waiting<K>(K key, long readyAt, long seq) {
		// Ready time first (compared by subtraction: nanoTime may wrap), then insertion order for equal times.
		static final Comparator<Waiting<?>> ORDER = (a, b) -> {
			int byTime = Long.signum(a.readyAt - b.readyAt);
			return byTime != 0 ? byTime : Long.compare(a.seq, b.seq);
		};
	}

	@Override
	public String toString() {
		return "WorkQueue[" + name + "]";
	}

	private static long cappedNanos(Duration d) {
		if (d.isNegative()) {
			return 0;
		}
		return d.compareTo(Duration.ofNanos(MAX_DELAY_NANOS)) > 0 ? MAX_DELAY_NANOS : d.toNanos();
	}
}
