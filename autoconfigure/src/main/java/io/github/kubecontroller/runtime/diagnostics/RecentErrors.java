package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the last error of every object whose reconciles fail, per controller, until a reconcile of the object
 * succeeds. Each controller keeps at most {@code maxKeys} objects: the one that failed longest ago is forgotten
 * first. Objects deleted while failing are forgotten the same way.
 */
public final class RecentErrors implements ControllerObserver {

	/** Default number of failing objects remembered per controller. */
	public static final int DEFAULT_MAX_KEYS = 100;

	private final int maxKeys;
	private final Clock clock;
	private final Map<String, PerController> controllers = new ConcurrentHashMap<>();
	private final AtomicLong failures = new AtomicLong();

	/** Remembers up to {@link #DEFAULT_MAX_KEYS} objects per controller. */
	public RecentErrors() {
		this(DEFAULT_MAX_KEYS, Clock.systemUTC());
	}

	/** Remembers up to {@code maxKeys} objects per controller, timed by {@code clock}. */
	public RecentErrors(int maxKeys, Clock clock) {
		if (maxKeys < 1) {
			throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
		}
		this.maxKeys = maxKeys;
		this.clock = clock;
	}

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		PerController errors = controllers.computeIfAbsent(spec.name(), name -> new PerController(maxKeys));
		if (outcome == ReconcileOutcome.ERROR || outcome == ReconcileOutcome.TERMINAL_ERROR) {
			Instant now = clock.instant();
			String message = error == null ? "failed" : FailureMessages.oneLine(error);
			Instant retryAt = outcome == ReconcileOutcome.ERROR && nextAttemptIn != null ? now.plus(nextAttemptIn) : null;
			errors.failed(key, attempts -> new RecentError(key, message, now, attempts, reason, retryAt));
			failures.incrementAndGet();
		} else {
			errors.succeeded(key);
		}
	}

	/** The last error of each object of the controller that fails now, latest first. */
	public List<RecentError> errors(String controller) {
		PerController errors = controllers.get(controller);
		if (errors == null) {
			return List.of();
		}
		List<RecentError> result = errors.snapshot();
		result.sort(Comparator.comparing(RecentError::at).reversed());
		return result;
	}

	/** The last error of one object, if its last reconcile failed. */
	public Optional<RecentError> error(String controller, ObjectKey key) {
		PerController errors = controllers.get(controller);
		return errors == null ? Optional.empty() : Optional.ofNullable(errors.get(key));
	}

	/** How many objects of the controller fail now (as far as the bound lets this know). */
	public int failingObjects(String controller) {
		PerController errors = controllers.get(controller);
		return errors == null ? 0 : errors.size();
	}

	/** How many failed reconciles were seen, of every controller, since start. */
	public long failures() {
		return failures.get();
	}

	/** One controller's failing objects, least recently failed first. */
	/** A deleted object's errors are of no more use. */
	@Override
	public void primaryDeleted(ControllerSpec<?> spec, ObjectKey key) {
		PerController perController = controllers.get(spec.name());
		if (perController != null) {
			perController.succeeded(key);
		}
	}

	private static final class PerController {

		private final Map<ObjectKey, RecentError> byKey;

		PerController(int maxKeys) {
			this.byKey = new LinkedHashMap<>() {
				@Override
				protected boolean removeEldestEntry(Map.Entry<ObjectKey, RecentError> eldest) {
					return size() > maxKeys;
				}
			};
		}

		synchronized void failed(ObjectKey key, IntFunction<RecentError> errorWithAttempts) {
			// Removed and put again, so that an object failing again moves to the young end and the bound drops
			// the objects that failed longest ago.
			RecentError previous = byKey.remove(key);
			byKey.put(key, errorWithAttempts.apply(previous == null ? 1 : previous.attempts() + 1));
		}

		synchronized void succeeded(ObjectKey key) {
			byKey.remove(key);
		}

		synchronized @Nullable RecentError get(ObjectKey key) {
			return byKey.get(key);
		}

		synchronized List<RecentError> snapshot() {
			return new ArrayList<>(byKey.values());
		}

		synchronized int size() {
			return byKey.size();
		}
	}
}
