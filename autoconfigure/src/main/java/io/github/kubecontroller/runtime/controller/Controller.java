package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.WatchHealth;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.RateLimiters;
import io.github.kubecontroller.runtime.queue.Ticker;
import io.github.kubecontroller.runtime.queue.WorkQueue;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller: its informers feed a rate-limited work queue, and {@code concurrency} workers reconcile
 * the queued objects, each object by one worker at a time. Lifecycle: {@link #start()} resolves the kinds and
 * opens the watches, {@link #awaitCachesSynced()} blocks until every cache has its first list (or fails with the
 * reason), {@link #startWorkers()} begins reconciling, {@link #stop(Duration)} drains and ends.
 *
 * @param <T> the primary Java type
 */
public final class Controller<T extends KubernetesObject> {

	private static final Logger log = LoggerFactory.getLogger(Controller.class);

	/** How long {@link #stop(Duration)} waits for threads after interrupting them. */
	private static final Duration THREAD_END_TIMEOUT = Duration.ofSeconds(5);

	private final ControllerSpec<T> spec;
	private final ResourceReconciler<T> reconciler;
	private final ControllerDependencies dependencies;
	private final WorkQueue<ObjectKey> queue;
	private final Map<ObjectKey, ReconcileReason> pendingReasons = new ConcurrentHashMap<>();
	private final List<Thread> workers = new ArrayList<>();
	private final Object lifecycle = new Object();

	private volatile @Nullable Watches<T> watches;
	private volatile @Nullable ReconcileLoop<T> loop;
	private @Nullable ResyncSweep resync; // guarded by lifecycle
	private volatile State state = State.NEW;
	// Whether workers go on taking keys; false stops them at their next key (an idle one within 100 ms).
	private volatile boolean taking;
	// Which keys the workers reconcile; the others are dropped (see gate).
	private volatile Predicate<ObjectKey> gate = key -> true;

	/**
	 * Where a controller is in its life. {@code STANDBY} is a synced controller whose workers do not run: an
	 * instance that is not the leader, whose caches stay warm and whose queue keeps collecting keys.
	 */
	public enum State {
		NEW, STARTING, WAITING_FOR_CACHES, STANDBY, RUNNING, STOPPING, STOPPED, FAILED
	}

	public Controller(ControllerSpec<T> spec, ResourceReconciler<T> reconciler, ControllerDependencies dependencies) {
		this.spec = Objects.requireNonNull(spec, "spec");
		this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
		this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
		ControllerObserver observer = dependencies.observer();
		this.queue = new WorkQueue<>(spec.name(), RateLimiters.controllerDefault(spec.backoffBase(), spec.backoffCap()),
				Ticker.system(), new WorkQueue.Observer<ObjectKey>() {
					@Override
					public void taken(ObjectKey key, Duration waited) {
						observer.keyTaken(spec, key, waited);
					}

					@Override
					public void done(ObjectKey key, Duration worked) {
						observer.keyDone(spec, key, worked);
					}
				});
	}

	/**
	 * Resolves the primary, owned and watched kinds through API discovery and opens their shared watches. Events
	 * start filling the queue at once; nothing is reconciled before {@link #startWorkers()}.
	 *
	 * @throws io.github.kubecontroller.runtime.resource.ResourceNotFoundException if a kind is not served
	 */
	public void start() {
		synchronized (lifecycle) {
			if (state != State.NEW) {
				throw new IllegalStateException("Controller '" + spec.name() + "' was already started");
			}
			state = State.STARTING;
			try {
				Watches<T> opened = Watches.open(spec, dependencies, this::enqueue);
				watches = opened;
				loop = new ReconcileLoop<>(spec, reconciler, dependencies, opened, queue, pendingReasons,
						key -> gate.test(key));
				state = State.WAITING_FOR_CACHES;
				dependencies.observer().controllerStarted(this);
			} catch (ResourceNotFoundException e) {
				state = State.FAILED;
				// Discovery names the kind; an application with several controllers also needs to know whose.
				throw new ResourceNotFoundException("Controller '" + spec.name() + "' cannot start: " + e.getMessage());
			} catch (RuntimeException e) {
				state = State.FAILED;
				throw e;
			}
		}
	}

	/**
	 * Waits up to the spec's sync timeout for every cache this controller reads to have synced.
	 *
	 * @throws CacheSyncException naming each resource that did not sync and why
	 */
	public void awaitCachesSynced() throws InterruptedException {
		Watches<T> current = requireStarted();
		long deadline = System.nanoTime() + spec.syncTimeout().toNanos();
		List<Informer<?>> notSynced = new ArrayList<>();
		for (Informer<?> informer : current.all()) {
			long left = deadline - System.nanoTime();
			if (!informer.awaitSynced(Duration.ofNanos(Math.max(0, left)))) {
				notSynced.add(informer);
			}
		}
		if (!notSynced.isEmpty()) {
			state = State.FAILED;
			StringBuilder message = new StringBuilder("Controller '").append(spec.name())
					.append("' could not start: its caches did not sync within ").append(spec.syncTimeout().toMillis())
					.append(" ms");
			for (Informer<?> informer : notSynced) {
				WatchHealth health = informer.health();
				message.append("\n  - ").append(informer.spec()).append(": ")
						.append(health.lastError() != null ? health.lastError()
								: "no list completed yet (state " + health.state() + ")");
			}
			message.append("\nRaise kube.controller.reconcilers.").append(spec.name())
					.append(".sync-timeout if the lists are merely slow.");
			throw new CacheSyncException(message.toString());
		}
	}

	/**
	 * Starts the workers; call after {@link #awaitCachesSynced()}, or to end a {@link #standBy(Duration) stand-by}.
	 * Objects whose reconciles failed before the stand-by are retried at once, not after the backoff they had
	 * reached then: an instance that leads again after an outage does not keep the long delays of its failures.
	 */
	public void startWorkers() {
		synchronized (lifecycle) {
			Watches<T> current = requireStarted();
			if (state != State.WAITING_FOR_CACHES && state != State.STANDBY) {
				throw new IllegalStateException("Controller '" + spec.name() + "' is " + state);
			}
			if (!current.allSynced()) {
				throw new IllegalStateException("Controller '" + spec.name() + "': caches have not synced");
			}
			ReconcileLoop<T> reconcileLoop = Objects.requireNonNull(loop);
			var factory = dependencies.threads().factory("kube-controller-" + spec.name() + "-worker");
			// Before the workers start: none can be failing a key meanwhile, which would then be retried twice.
			int retried = retryFailedNow(current);
			workers.clear();
			taking = true;
			for (int i = 0; i < spec.concurrency(); i++) {
				Thread worker = factory.newThread(() -> reconcileLoop.runWorker(() -> taking));
				workers.add(worker);
				worker.start();
			}
			state = State.RUNNING;
			startResync(current);
			log.info("Controller '{}' started: {} workers reconciling {}{}", spec.name(), spec.concurrency(),
					current.primaryType(), retried == 0 ? "" : "; " + retried + " objects that had failed retried now");
		}
	}

	// Once, at the first start of the workers; it sweeps only while they run (see resyncIfIdle).
	private void startResync(Watches<T> current) {
		if (resync != null || spec.resyncPeriod().isZero()) {
			return;
		}
		resync = new ResyncSweep(spec.name(), spec.resyncPeriod(),
				dependencies.threads().factory("kube-controller-" + spec.name() + "-resync"),
				() -> cachedKeys(current), this::resyncIfIdle, () -> state == State.RUNNING);
		resync.start();
	}

	/**
	 * Queues {@code key} for its periodic resync, unless it waits already. Skipped: a key another instance
	 * reconciles (the workers would drop it), and a failing key, whose retry is scheduled already: a failing object
	 * is left to its retries, and is resynced again once it succeeds or its reconciler gives up. While standing by
	 * nothing is swept: the queue of an instance that does not lead holds no entry per object.
	 */
	private void resyncIfIdle(ObjectKey key) {
		if (gate.test(key) && queue.numRequeues(key) == 0) {
			enqueueIfAbsent(key, ReconcileReason.PERIODIC_RESYNC);
		}
	}

	private int retryFailedNow(Watches<T> current) {
		int retried = 0;
		for (ObjectKey key : cachedKeys(current)) {
			if (queue.numRequeues(key) > 0) {
				queue.forget(key);
				enqueueIfAbsent(key, ReconcileReason.REQUEUE_AFTER_ERROR);
				retried++;
			}
		}
		return retried;
	}

	/**
	 * Lets the workers reconcile only the keys that {@code gate} accepts; the others are taken off the queue
	 * unreconciled, with their backoff forgotten. Whoever opens the gate for keys later must queue them again, with
	 * {@link #requeueCached(Predicate)}. The gate is asked after a worker took a key, so that once it turns a key
	 * away and {@link #reconciling(Predicate)} says false for it, no worker reconciles it: that is how instances
	 * that share the work hand keys over without reconciling one object twice at once. Accepts every key unless
	 * set; it must be quick and thread-safe.
	 */
	public void gate(Predicate<ObjectKey> gate) {
		this.gate = Objects.requireNonNull(gate, "gate");
	}

	/** Whether a reconcile of a key that {@code keys} accepts is in flight now. */
	public boolean reconciling(Predicate<ObjectKey> keys) {
		return queue.inFlight().keySet().stream().anyMatch(keys);
	}

	/**
	 * Interrupts the reconciles in flight of the keys that {@code keys} accepts; they end when the reconciler
	 * honours the interrupt. The workers go on with other keys.
	 */
	public void interruptReconciles(Predicate<ObjectKey> keys) {
		ReconcileLoop<T> reconcileLoop = loop;
		if (reconcileLoop != null) {
			reconcileLoop.interrupt(keys);
		}
	}

	/**
	 * Queues every cached primary object whose key {@code keys} accepts, with its backoff forgotten: the work on
	 * these objects moves to this instance, which must not keep delays from failures of before.
	 *
	 * @return how many objects were queued
	 */
	public int requeueCached(Predicate<ObjectKey> keys) {
		Watches<T> current = watches;
		if (current == null) {
			return 0;
		}
		int queued = 0;
		for (ObjectKey key : cachedKeys(current)) {
			if (keys.test(key)) {
				queue.forget(key);
				enqueueIfAbsent(key, ReconcileReason.PERIODIC_RESYNC);
				queued++;
			}
		}
		return queued;
	}

	// From the cache's keys, not its objects: a compact cache would decode every object to tell its key.
	private List<ObjectKey> cachedKeys(Watches<T> current) {
		List<ObjectKey> keys = new ArrayList<>();
		List<Informer<T>> primary = current.informersOf(spec.primary());
		if (primary != null) {
			for (Informer<T> informer : primary) {
				for (String key : informer.getIndexer().listKeys()) {
					keys.add(keyOf(key));
				}
			}
		}
		return keys;
	}

	// A cache key is "namespace/name", or "name" for a cluster-scoped object; neither part may hold a slash.
	private static ObjectKey keyOf(String cacheKey) {
		int slash = cacheKey.indexOf('/');
		return slash < 0 ? ObjectKey.clusterScoped(cacheKey)
				: ObjectKey.of(cacheKey.substring(0, slash), cacheKey.substring(slash + 1));
	}

	private void enqueueIfAbsent(ObjectKey key, ReconcileReason reason) {
		pendingReasons.putIfAbsent(key, reason);
		queue.add(key);
	}

	/**
	 * Makes a controller whose caches synced wait without workers: from {@code WAITING_FOR_CACHES} at once; from
	 * {@code RUNNING} its workers stop taking keys at once, the reconciles in flight get up to {@code grace} to
	 * end, then are interrupted, and the call returns when the workers have ended (a few seconds more at most).
	 * Watches go on and keys keep queueing, so {@link #startWorkers()} resumes with warm caches and a full queue.
	 * Does nothing in any other state.
	 */
	public void standBy(Duration grace) {
		synchronized (lifecycle) {
			if (state == State.WAITING_FOR_CACHES && requireStarted().allSynced()) {
				state = State.STANDBY;
				return;
			}
			if (state != State.RUNNING) {
				return;
			}
			state = State.STANDBY;
			taking = false;
			long deadline = System.nanoTime() + grace.toNanos();
			try {
				joinWorkers(deadline);
				ReconcileLoop<T> reconcileLoop = loop;
				if (reconcileLoop != null && workers.stream().anyMatch(Thread::isAlive)) {
					log.warn("Controller '{}': reconciles still running {} ms after standing by: interrupting {}",
							spec.name(), grace.toMillis(), queue.inFlight().keySet());
					// Reconciles run on reconcile threads (with a timeout) or on the workers themselves (without).
					reconcileLoop.cancelRunning();
					workers.forEach(Thread::interrupt);
					joinWorkers(System.nanoTime() + THREAD_END_TIMEOUT.toNanos());
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			log.info("Controller '{}' stands by: no reconciles until it leads again", spec.name());
		}
	}

	private void joinWorkers(long deadline) throws InterruptedException {
		for (Thread worker : workers) {
			worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
	}

	/**
	 * Stops taking new work, waits up to {@code grace} for the reconciles in flight, then interrupts what is left
	 * and waits a few more seconds for the threads to end. Informers are shared and stay open: they belong to the
	 * registry.
	 */
	public void stop(Duration grace) {
		synchronized (lifecycle) {
			if (state == State.STOPPED || state == State.STOPPING || state == State.NEW) {
				if (state == State.NEW) {
					state = State.STOPPED;
				}
				return;
			}
			state = State.STOPPING;
		}
		stopResync();
		Watches<T> current = watches;
		if (current != null) {
			current.detach();
		}
		try {
			if (!queue.shutDownWithDrain(grace)) {
				log.warn("Controller '{}': reconciles still running after the grace period of {} ms: interrupting {}",
						spec.name(), grace.toMillis(), queue.inFlight().keySet());
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		ReconcileLoop<T> reconcileLoop = loop;
		if (reconcileLoop != null) {
			reconcileLoop.interruptRunning();
		}
		for (Thread worker : workers) {
			worker.interrupt();
		}
		long deadline = System.nanoTime() + THREAD_END_TIMEOUT.toNanos();
		try {
			for (Thread worker : workers) {
				worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			if (reconcileLoop != null && !reconcileLoop.awaitReconcileThreads(
					Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				log.warn("Controller '{}': reconciles ignored the interrupt and still run {} ms later", spec.name(),
						THREAD_END_TIMEOUT.toMillis());
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		if (reconcileLoop != null) {
			reconcileLoop.close();
		}
		state = State.STOPPED;
	}

	private void stopResync() {
		ResyncSweep sweep;
		synchronized (lifecycle) {
			sweep = resync;
		}
		if (sweep == null) {
			return;
		}
		try {
			sweep.stop();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** The controller's settings. */
	public ControllerSpec<T> spec() {
		return spec;
	}

	/** The current state. */
	public State state() {
		return state;
	}

	/** The resolved primary kind; null before {@link #start()}. */
	public @Nullable ResourceType primaryType() {
		Watches<T> current = watches;
		return current == null ? null : current.primaryType();
	}

	/** Every informer this controller reads, primary first; empty before {@link #start()}. */
	public List<Informer<?>> informers() {
		Watches<T> current = watches;
		return current == null ? List.of() : current.all();
	}

	/** Whether every cache this controller reads has synced. */
	public boolean cachesSynced() {
		Watches<T> current = watches;
		return current != null && current.allSynced();
	}

	/** The work queue's counters. */
	public WorkQueue.Stats queueStats() {
		return queue.stats();
	}

	/** The objects being reconciled now and since when. */
	public Map<ObjectKey, Instant> reconcilesInFlight() {
		Instant now = Instant.now();
		Map<ObjectKey, Instant> result = new LinkedHashMap<>();
		queue.inFlight().forEach((key, running) -> result.put(key, now.minus(running)));
		return result;
	}

	/** Queues {@code key} for a reconcile now, e.g. from an operator's own trigger. */
	public void requeue(ObjectKey key) {
		enqueue(key, ReconcileReason.OBJECT_CHANGED);
	}

	private void enqueue(ObjectKey key, ReconcileReason reason) {
		pendingReasons.put(key, reason);
		queue.add(key);
	}

	private Watches<T> requireStarted() {
		Watches<T> current = watches;
		if (current == null) {
			throw new IllegalStateException("Controller '" + spec.name() + "' has not been started");
		}
		return current;
	}

	@Override
	public String toString() {
		return "Controller[" + spec.name() + ", " + state + "]";
	}

	/** Receives the keys the informers' event handlers decide to reconcile. */
	@FunctionalInterface
	interface Enqueuer {
		void enqueue(ObjectKey key, ReconcileReason reason);
	}

	/** Forwards informer events to a handler until detached, because shared informers cannot drop handlers. */
	static final class DetachableHandler<U extends KubernetesObject> implements ResourceEventHandler<U> {

		private final ResourceEventHandler<U> delegate;
		private volatile boolean attached = true;

		DetachableHandler(ResourceEventHandler<U> delegate) {
			this.delegate = delegate;
		}

		void detach() {
			attached = false;
		}

		@Override
		public void onAdd(U obj) {
			if (attached) {
				delegate.onAdd(obj);
			}
		}

		@Override
		public void onUpdate(U oldObj, U newObj) {
			if (attached) {
				delegate.onUpdate(oldObj, newObj);
			}
		}

		@Override
		public void onDelete(U obj, boolean deletedFinalStateUnknown) {
			if (attached) {
				delegate.onDelete(obj, deletedFinalStateUnknown);
			}
		}
	}
}
