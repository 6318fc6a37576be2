package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.controller.ReconcileTimeoutException;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Records controller-runtime's reconcile and work queue metrics. Counters and timers are fed by the observer
 * hooks; gauges read the controller when scraped. Micrometer names are chosen so that Prometheus shows
 * controller-runtime's names: the counter {@code controller.runtime.reconcile} becomes
 * {@code controller_runtime_reconcile_total}, the timer {@code workqueue.queue.duration} becomes
 * {@code workqueue_queue_duration_seconds}.
 */
final class ControllerMetrics implements ControllerObserver {

	/** controller-runtime's reconcile time buckets, 5 ms to 60 s. */
	private static final Duration[] RECONCILE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3,
			0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9,
			10, 15, 20, 25, 30, 40, 50, 60);

	/**
	 * client-go's work queue buckets (powers of ten up to 1000 s) from 1 µs: client-go starts at 10 ns, but
	 * Micrometer's other registries name buckets with six decimals, so that 10 ns and 100 ns would both be "0" and
	 * clash.
	 */
	private static final Duration[] QUEUE_BUCKETS = seconds(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000);

	/** controller-runtime's result label values; {@code requeue} stays 0 here, as results never ask for it. */
	private static final String[] RESULTS = { "success", "error", "requeue", "requeue_after" };

	private final MeterRegistry registry;
	private final Map<String, Meters> byController = new ConcurrentHashMap<>();

	ControllerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Creates every meter of a controller (counters at 0) and the gauges that read it. */
	void bind(Controller<?> controller) {
		String name = controller.spec().name();
		meters(name);
		Tags controllerTag = Tags.of("controller", name);
		Tags queueTags = Tags.of("name", name, "controller", name);
		Gauge.builder("controller.runtime.active.workers", controller, (c) -> c.queueStats().inFlight())
			.description("Number of currently used workers per controller")
			.tags(controllerTag)
			.register(registry);
		Gauge.builder("controller.runtime.max.concurrent.reconciles", controller, (c) -> c.spec().concurrency())
			.description("Maximum number of concurrent reconciles per controller")
			.tags(controllerTag)
			.register(registry);
		Gauge.builder("workqueue.depth", controller, (c) -> c.queueStats().depth())
			.description("Current depth of workqueue")
			.tags(queueTags)
			.register(registry);
		FunctionCounter.builder("workqueue.adds", controller, (c) -> c.queueStats().adds())
			.description("Total number of adds handled by workqueue")
			.tags(queueTags)
			.register(registry);
		FunctionCounter.builder("workqueue.retries", controller, (c) -> c.queueStats().retries())
			.description("Total number of retries handled by workqueue")
			.tags(queueTags)
			.register(registry);
		Gauge.builder("workqueue.unfinished.work", controller, (c) -> seconds(c.queueStats().unfinishedWork()))
			.description("How many seconds of work has been done that is in progress and hasn't been observed "
						+ "by work_duration")
			.baseUnit("seconds")
			.tags(queueTags)
			.register(registry);
		Gauge.builder("workqueue.longest.running.processor", controller,
				(c) -> seconds(c.queueStats().longestRunning()))
			.description("How many seconds has the longest running processor for workqueue been running")
			.baseUnit("seconds")
			.tags(queueTags)
			.register(registry);
	}

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		Meters meters = meters(spec.name());
		meters.reconcileTime.record(duration);
		switch (outcome) {
			case SUCCESS -> meters.success.increment();
			case REQUEUE_AFTER -> meters.requeueAfter.increment();
			case ERROR, TERMINAL_ERROR -> {
				meters.error.increment();
				meters.errors.increment();
				if (outcome == ReconcileOutcome.TERMINAL_ERROR) {
					meters.terminalErrors.increment();
				}
				if (error instanceof ReconcileTimeoutException) {
					meters.timeouts.increment();
				}
			}
		}
	}

	@Override
	public void keyTaken(ControllerSpec<?> spec, ObjectKey key, Duration waited) {
		meters(spec.name()).queueDuration.record(waited);
	}

	@Override
	public void keyDone(ControllerSpec<?> spec, ObjectKey key, Duration worked) {
		meters(spec.name()).workDuration.record(worked);
	}

	private Meters meters(String controller) {
		return byController.computeIfAbsent(controller, (name) -> new Meters(registry, name));
	}

	/** The meters of one controller that the hooks feed, created once. */
	private static final class Meters {

		final Counter success;
		final Counter error;
		final Counter requeueAfter;
		final Counter errors;
		final Counter terminalErrors;
		final Counter timeouts;
		final Timer reconcileTime;
		final Timer queueDuration;
		final Timer workDuration;

		Meters(MeterRegistry registry, String controller) {
			Tags tags = Tags.of("controller", controller);
			Counter[] results = new Counter[RESULTS.length];
			for (int i = 0; i < RESULTS.length; i++) {
				results[i] = Counter.builder("controller.runtime.reconcile")
					.description("Total number of reconciliations per controller")
					.tags(tags.and("result", RESULTS[i]))
					.register(registry);
			}
			success = results[0];
			error = results[1];
			requeueAfter = results[3];
			errors = Counter.builder("controller.runtime.reconcile.errors")
				.description("Total number of reconciliation errors per controller")
				.tags(tags)
				.register(registry);
			terminalErrors = Counter.builder("controller.runtime.terminal.reconcile.errors")
				.description("Total number of terminal reconciliation errors per controller")
				.tags(tags)
				.register(registry);
			timeouts = Counter.builder("controller.runtime.reconcile.timeouts")
				.description("Total number of reconciliation timeouts per controller")
				.tags(tags)
				.register(registry);
			reconcileTime = Timer.builder("controller.runtime.reconcile.time")
				.description("Length of time per reconciliation per controller")
				.serviceLevelObjectives(RECONCILE_BUCKETS)
				.tags(tags)
				.register(registry);
			Tags queueTags = Tags.of("name", controller, "controller", controller);
			queueDuration = Timer.builder("workqueue.queue.duration")
				.description("How long in seconds an item stays in workqueue before being requested")
				.serviceLevelObjectives(QUEUE_BUCKETS)
				.tags(queueTags)
				.register(registry);
			workDuration = Timer.builder("workqueue.work.duration")
				.description("How long in seconds processing an item from workqueue takes")
				.serviceLevelObjectives(QUEUE_BUCKETS)
				.tags(queueTags)
				.register(registry);
		}
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / (double) TimeUnit.SECONDS.toNanos(1);
	}

	private static Duration[] seconds(double... values) {
		Duration[] durations = new Duration[values.length];
		for (int i = 0; i < values.length; i++) {
			durations[i] = Duration.ofNanos(Math.round(values[i] * TimeUnit.SECONDS.toNanos(1)));
		}
		return durations;
	}
}
