package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.client.ApiFailure;
import io.github.kubecontroller.runtime.finalizer.Finalizers;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.WorkQueue;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiException;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What each worker does with a key: look the object up in the cache, run the finalizer flow or the reconciler
 * (bounded by the reconcile timeout), and schedule what comes next. Nothing a reconciler does — throwing,
 * returning null, throwing an {@link Error}, running past its timeout — stops its worker or leaves its key stuck
 * in the queue. A reconcile that ignores the timeout's interrupt holds its key until it ends, while its worker
 * goes on with other keys: one object is never reconciled twice at once.
 */
final class ReconcileLoop<T extends KubernetesObject> {

	private static final Logger log = LoggerFactory.getLogger(ResourceReconciler.class);

	/** How often an idle worker checks whether it should go on taking keys. */
	static final Duration IDLE_CHECK = Duration.ofMillis(100);

	private final ControllerSpec<T> spec;
	private final ResourceReconciler<T> reconciler;
	private final ControllerDependencies dependencies;
	private final Watches<T> watches;
	private final WorkQueue<ObjectKey> queue;
	private final Map<ObjectKey, ReconcileReason> pendingReasons;
	private final Finalizers finalizers;
	private final ContextServices<T> services;
	private final @Nullable ExecutorService timeoutExecutor;
	private final Predicate<ObjectKey> gate;
	private final Map<ObjectKey, Future<?>> running = new ConcurrentHashMap<>();
	// The worker processing each key, so that the reconciles of some keys can be interrupted (see interrupt).
	private final Map<ObjectKey, Thread> workers = new ConcurrentHashMap<>();
	// Workers interrupted for one key: they clear the interrupt when done with it, so that it does not end them.
	private final Set<Thread> interruptedForKey = ConcurrentHashMap.newKeySet();
	// The executor's threads, joined at stop: an executor counts as terminated a moment before its threads end.
	private final Set<Thread> reconcileThreads = ConcurrentHashMap.newKeySet();

	ReconcileLoop(ControllerSpec<T> spec, ResourceReconciler<T> reconciler, ControllerDependencies dependencies,
			Watches<T> watches, WorkQueue<ObjectKey> queue, Map<ObjectKey, ReconcileReason> pendingReasons,
			Predicate<ObjectKey> gate) {
		this.spec = spec;
		this.gate = gate;
		this.reconciler = reconciler;
		this.dependencies = dependencies;
		this.watches = watches;
		this.queue = queue;
		this.pendingReasons = pendingReasons;
		this.finalizers = new Finalizers(dependencies.client(), spec.name());
		this.services = new ContextServices<>(spec, dependencies, watches);
		// With a timeout, each reconcile runs on a thread of its own so that the worker can stop waiting for it: the
		// worker is never stuck, and the key is released when the reconcile really ends (see Attempt).
		ThreadFactory threads = dependencies.threads().factory("kube-controller-" + spec.name() + "-reconcile");
		this.timeoutExecutor = spec.reconcileTimeout().isZero() ? null
				: Executors.newCachedThreadPool(task -> {
					Thread thread = threads.newThread(task);
					reconcileThreads.removeIf(made -> made.getState() == Thread.State.TERMINATED);
					reconcileThreads.add(thread);
					return thread;
				});
	}

	/**
	 * Takes and processes keys until the queue shuts down or {@code taking} turns false. An idle worker looks at
	 * {@code taking} every {@link #IDLE_CHECK}, so that standing by never needs to interrupt it. A key the gate
	 * does not let through is dropped unreconciled: whoever opens the gate for it later queues it again.
	 */
	void runWorker(BooleanSupplier taking) {
		while (taking.getAsBoolean()) {
			ObjectKey key;
			try {
				key = queue.poll(IDLE_CHECK).orElse(null);
			} catch (InterruptedException e) {
				return;
			}
			if (key == null) {
				if (queue.isShuttingDown()) {
					return;
				}
				continue;
			}
			// Read after the key was handed out, so that whoever closes the gate and then finds no key of it in
			// flight knows that no worker will reconcile one (see Controller.gate).
			if (!gate.test(key)) {
				pendingReasons.remove(key);
				queue.forget(key);
				queue.done(key);
				continue;
			}
			Attempt attempt = new Attempt(key);
			workers.put(key, Thread.currentThread());
			try {
				process(attempt);
			} catch (RuntimeException | Error unexpected) {
				// process() handles reconciler failures itself; this guards the loop against our own bugs.
				log.error("Controller '{}': unexpected failure while processing {}", spec.name(), key, unexpected);
				queue.addRateLimited(key);
			} finally {
				synchronized (interruptedForKey) {
					workers.remove(key);
					if (interruptedForKey.remove(Thread.currentThread())) {
						Thread.interrupted(); // meant for that key's reconcile, not for this worker
					}
				}
				if (attempt.letGo()) {
					queue.done(key);
				}
			}
		}
	}

	/** Reconciles the attempt's key once and schedules what comes next. */
	private void process(Attempt attempt) {
		ObjectKey key = attempt.key;
		ReconcileReason reason = pendingReasons.remove(key);
		if (reason == null) {
			reason = ReconcileReason.PERIODIC_RESYNC;
		}
		T cached = watches.cachedPrimary(key);
		if (cached == null) {
			// Gone from the cache: deleted (any finalizer of ours ran before the deletion completed).
			queue.forget(key);
			return;
		}
		int failedAttempts = queue.numRequeues(key);
		String objectRef = watches.primaryType().kind() + "/" + key;
		MDC.put("controller", spec.name());
		MDC.put("object.ref", objectRef);
		MDC.put("object.reason", reason.description());
		ControllerObserver observer = dependencies.observer();
		observer.reconcileStarted(spec, key, reason);
		log.debug("Reconciling {} ({})", objectRef, reason.description());
		long started = System.nanoTime();
		try {
			Result result = runGuarded(attempt, objectRef, cached, reason, failedAttempts);
			queue.forget(key);
			// No resync to schedule: the controller's resync sweep comes by every cached object (see ResyncSweep).
			if (result.requeue()) {
				schedule(key, result.requeueAfter(), ReconcileReason.SCHEDULED_REQUEUE);
			}
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			observer.reconcileFinished(spec, key, reason,
					result.requeue() ? ReconcileOutcome.REQUEUE_AFTER : ReconcileOutcome.SUCCESS, took, null,
					result.requeueAfter());
			if (log.isDebugEnabled()) {
				log.debug("Reconciled {} in {} ms{}", objectRef, took.toMillis(),
						result.requeue() ? ", again in " + result.requeueAfter().toMillis() + " ms" : "");
			}
		} catch (Throwable failure) {
			if ((queue.isShuttingDown() || !gate.test(key)) && isInterruption(failure)) {
				// Interrupted by stop(), or because its work moved to another instance: not the reconciler's
				// failure, and there is no retry to schedule here.
				log.info("Reconcile of {} ended by the controller's {}: {}", objectRef,
						queue.isShuttingDown() ? "stop" : "hand-over of its work", describe(failure));
				return;
			}
			Duration retryIn = handleFailure(key, objectRef, failure, failedAttempts + 1);
			observer.reconcileFinished(spec, key, reason,
					retryIn == null ? ReconcileOutcome.TERMINAL_ERROR : ReconcileOutcome.ERROR,
					Duration.ofNanos(System.nanoTime() - started), failure, retryIn);
		} finally {
			MDC.remove("controller");
			MDC.remove("object.ref");
			MDC.remove("object.reason");
		}
	}

	private Result runGuarded(Attempt attempt, String objectRef, T cached, ReconcileReason reason,
			int failedAttempts) throws Exception {
		ObjectKey key = attempt.key;
		Callable<Result> pass = () -> runPass(key, cached, reason, failedAttempts);
		Result result;
		if (timeoutExecutor == null) {
			result = pass.call();
		} else {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			Future<Result> future = timeoutExecutor.submit(() -> {
				if (!attempt.begin()) {
					return null; // the worker stopped waiting and released the key before this run began
				}
				if (mdc != null) {
					MDC.setContextMap(mdc);
				}
				try {
					return pass.call();
				} finally {
					MDC.clear();
					if (attempt.letGo()) {
						// The worker stopped waiting and is done: this run was the last to hold the key.
						queue.done(key);
					}
				}
			});
			running.put(key, future);
			try {
				result = future.get(spec.reconcileTimeout().toMillis(), TimeUnit.MILLISECONDS);
			} catch (TimeoutException e) {
				future.cancel(true);
				throw new ReconcileTimeoutException(objectRef, spec.reconcileTimeout());
			} catch (ExecutionException e) {
				throw rethrowable(e.getCause());
			} catch (CancellationException e) {
				throw new InterruptedException("reconcile of " + objectRef + " cancelled by shutdown");
			} catch (InterruptedException e) {
				future.cancel(true);
				throw e;
			} finally {
				running.remove(key, future);
			}
		}
		if (result == null) {
			throw new IllegalStateException("reconciler " + reconciler.getClass().getName()
					+ " returned null; return Result.done() or Result.requeueAfter(...)");
		}
		return result;
	}

	private Result runPass(ObjectKey key, T cached, ReconcileReason reason, int failedAttempts) throws Exception {
		String finalizer = spec.finalizer();
		T current = cached;
		if (finalizer != null) {
			if (Finalizers.isDeleting(current)) {
				if (!Finalizers.has(current, finalizer)) {
					return Result.done(); // our cleanup already ran, or never had to
				}
				Result result = reconciler.cleanup(current, services.contextFor(key, current, reason, failedAttempts));
				if (result != null && !result.requeue()) {
					watches.writing(key);
					try {
						T stored = finalizers.remove(watches.primaryType(), current, finalizer,
								watches.primaryJavaType());
						if (stored != null) {
							// Events of children deleted with the object may queue it again before the cache has
							// seen the finalizer go: that pass must not clean up a second time.
							watches.wrote(key, stored);
						}
					} finally {
						watches.written(key);
					}
				}
				return result;
			}
			if (!Finalizers.has(current, finalizer)) {
				watches.writing(key);
				try {
					current = finalizers.add(watches.primaryType(), current, finalizer, watches.primaryJavaType());
					watches.wrote(key, current);
				} finally {
					watches.written(key);
				}
			}
		}
		return reconciler.reconcile(current, services.contextFor(key, current, reason, failedAttempts));
	}

	/** Logs the failure and schedules the retry; returns its delay, or null when the reconciler gave up. */
	private @Nullable Duration handleFailure(ObjectKey key, String objectRef, Throwable failure, int attempts) {
		ErrorAction action;
		try {
			action = reconciler.onError(key, failure, attempts);
			if (action == null) {
				action = ErrorAction.retry();
			}
		} catch (RuntimeException hookFailure) {
			log.warn("Controller '{}': onError of {} threw; retrying {}", spec.name(), reconciler.getClass().getName(),
					objectRef, hookFailure);
			action = ErrorAction.retry();
		}
		Duration retryAfter = retryAfter(failure).orElse(Duration.ZERO);
		if (action.minimumDelay() != null && action.minimumDelay().compareTo(retryAfter) > 0) {
			retryAfter = action.minimumDelay();
		}
		if (!action.retryRequested()) {
			// Forgotten, it is no longer failing: the resync sweep queues it again at its next turn.
			queue.forget(key);
			String message = "Reconcile of {} failed (attempt {}): {}; the reconciler gave up, next reconcile when it"
					+ " changes" + (spec.resyncPeriod().isZero() ? "" : " or at the next resync");
			if (isApiAnswer(failure)) {
				log.error(message, objectRef, attempts, describe(failure));
			} else {
				log.error(message, objectRef, attempts, describe(failure), failure);
			}
			return null;
		}
		pendingReasons.putIfAbsent(key, ReconcileReason.REQUEUE_AFTER_ERROR);
		Duration delay = queue.addRateLimited(key, retryAfter);
		// One line per failure with the cause and the next retry. The stack trace comes with the first failure
		// only, because a failing key logs again on every retry, and never with a failed API request (see
		// isApiAnswer).
		String message = "Reconcile of {} failed (attempt {}): {}; next retry in {} ms";
		if (attempts == 1 && !isApiAnswer(failure)) {
			log.warn(message, objectRef, attempts, describe(failure), delay.toMillis(), failure);
		} else {
			log.warn(message, objectRef, attempts, describe(failure), delay.toMillis());
		}
		return delay;
	}

	private void schedule(ObjectKey key, Duration delay, ReconcileReason reason) {
		pendingReasons.putIfAbsent(key, reason);
		queue.addAfter(key, delay);
	}

	void close() {
		services.close();
	}

	/** Interrupts the reconciles running on reconcile threads; the threads stay for later reconciles. */
	void cancelRunning() {
		running.values().forEach(future -> future.cancel(true));
	}

	/**
	 * Interrupts the reconciles of the keys that {@code keys} matches, wherever they run; the workers go on with
	 * other keys.
	 */
	void interrupt(Predicate<ObjectKey> keys) {
		running.forEach((key, future) -> {
			if (keys.test(key)) {
				future.cancel(true);
			}
		});
		if (timeoutExecutor != null) {
			return; // the reconciles run on reconcile threads: their workers only wait for them
		}
		synchronized (interruptedForKey) {
			workers.forEach((key, worker) -> {
				if (keys.test(key)) {
					interruptedForKey.add(worker);
					worker.interrupt();
				}
			});
		}
	}

	/** Interrupts the reconciles still running on reconcile threads, and ends those threads. */
	void interruptRunning() {
		running.values().forEach(future -> future.cancel(true));
		if (timeoutExecutor != null) {
			timeoutExecutor.shutdownNow();
		}
	}

	/** Waits up to {@code timeout} for the reconcile threads to end; true when none is left. */
	boolean awaitReconcileThreads(Duration timeout) throws InterruptedException {
		if (timeoutExecutor == null) {
			return true;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!timeoutExecutor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return false;
		}
		for (Thread thread : reconcileThreads) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			if (thread.isAlive()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Who releases the key of one pass: the worker and, while it runs, the reconcile thread each hold it, and the
	 * last to let go releases it. Normally that is the worker, after the run. When the worker stops waiting (timeout,
	 * shutdown) while the run goes on, the run keeps the key until it really ends, so that a reconciler that ignores
	 * interrupts never runs twice at once for one object; the worker is free for other keys meanwhile.
	 */
	static final class Attempt {

		final ObjectKey key;
		private final AtomicInteger holders = new AtomicInteger(1); // the worker

		Attempt(ObjectKey key) {
			this.key = key;
		}

		/** Called on the reconcile thread before the run; false when the key was already released: do not run. */
		boolean begin() {
			return holders.getAndUpdate(held -> held == 0 ? 0 : held + 1) != 0;
		}

		/** Lets go of the key; true when the caller was the last holder and must release it. */
		boolean letGo() {
			return holders.decrementAndGet() == 0;
		}
	}

	/** A 429's Retry-After (header or Status details) anywhere in the cause chain. */
	static Optional<Duration> retryAfter(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ApiException api && api.getCode() == 429) {
				return ApiFailure.retryAfter(api);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return Optional.empty();
	}

	/** Whether an interrupt caused the failure. */
	private static boolean isInterruption(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
				return true;
			}
		}
		return false;
	}

	/** Whether the failure is an answer of the API server, whose description says all there is to say. */
	/**
	 * An API server's answer, or a request that got none (refused connection, timeout): its one line says it all.
	 * An outage fails every object's reconcile at once, and a stack trace for each would bury the log.
	 */
	private static boolean isApiAnswer(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof ApiException || cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	// client-java's ApiException message spans lines with every header and the whole body: one line instead.
	private static String describe(Throwable failure) {
		return ApiFailure.summary(failure);
	}

	private static Exception rethrowable(Throwable cause) {
		if (cause instanceof Exception exception) {
			return exception;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new RuntimeException(cause);
	}
}
