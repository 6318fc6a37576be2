package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the controller schedules passes: one object never reconciled twice at once, failures retried with a growing,
 * capped backoff and after a 429's Retry-After, one failing object not holding back the others, and an
 * {@code onError} that gives up.
 */
class ReconcileSchedulingTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	@Test
	void oneObjectIsNeverReconciledTwiceAtOnce() throws Exception {
		Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
		Map<String, Long> reconciledGeneration = new ConcurrentHashMap<>();
		AtomicInteger runningAtOnce = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		AtomicBoolean overlap = new AtomicBoolean();
		cluster.run(ControllerSpec.builder("exclusive", Widget.class).concurrency(8).build(), (widget, context) -> {
			String name = context.key().name();
			if (running.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet() > 1) {
				overlap.set(true);
			}
			mostAtOnce.accumulateAndGet(runningAtOnce.incrementAndGet(), Math::max);
			try {
				Thread.sleep(5); // widens the window in which a second pass of the same object could start
				reconciledGeneration.put(name, widget.getMetadata().getGeneration());
				return Result.done();
			} finally {
				runningAtOnce.decrementAndGet();
				running.get(name).decrementAndGet();
			}
		});
		List<String> names = List.of("hot-a", "hot-b", "hot-c");
		for (String name : names) {
			cluster.createWidget(NS, name, "0");
		}

		// Two writers per object, 20 changes each.
		ExecutorService writers = Executors.newFixedThreadPool(6);
		try {
			List<Future<?>> writes = new ArrayList<>();
			for (String name : names) {
				for (int writer = 0; writer < 2; writer++) {
					int id = writer;
					writes.add(writers.submit(() -> {
						for (int change = 1; change <= 20; change++) {
							cluster.replaceContent(NS, name, id + "-" + change);
						}
						return null;
					}));
				}
			}
			for (Future<?> write : writes) {
				write.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			}
		} finally {
			writers.shutdownNow();
		}

		await().atMost(DEADLINE).untilAsserted(() -> {
			for (String name : names) {
				assertThat(reconciledGeneration.get(name)).as(name)
						.isEqualTo(cluster.widget(NS, name).getMetadata().getGeneration());
			}
		});
		assertThat(cluster.widget(NS, "hot-a").getMetadata().getGeneration()).isEqualTo(41);
		assertThat(overlap).as("two passes of one object overlapped").isFalse();
		assertThat(mostAtOnce.get()).as("different objects were reconciled at once").isGreaterThan(1);
	}

	@Test
	void failuresAreRetriedWithAGrowingBackoffThatStopsAtItsCap() throws Exception {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		cluster.run(ControllerSpec.builder("backoff", Widget.class)
				.backoff(Duration.ofMillis(100), Duration.ofMillis(400)).build(), (widget, context) -> {
					attempts.add(System.nanoTime());
					throw new IllegalStateException("always failing");
				});

		cluster.createWidget(NS, "failing", "content");

		await().atMost(DEADLINE).until(() -> attempts.size() >= 8);
		List<Long> gaps = gapsInMillis(attempts);
		assertThat(gaps.get(0)).as("first retry").isGreaterThanOrEqualTo(100);
		assertThat(gaps.get(1)).as("second retry").isGreaterThanOrEqualTo(200);
		assertThat(gaps.get(2)).as("third retry").isGreaterThanOrEqualTo(400);
		// The cap: later retries wait as long as the third, not twice as long each time.
		assertThat(gaps.subList(3, 7)).allSatisfy(gap -> assertThat(gap).isBetween(400L, 5_000L));
	}

	@Test
	void aThrottledReconcileWaitsForRetryAfter() throws Exception {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		cluster.run(ControllerSpec.builder("throttled", Widget.class).build(), (widget, context) -> {
			attempts.add(System.nanoTime());
			if (attempts.size() == 1) {
				throw new ApiException("throttled", 429, Map.of("Retry-After", List.of("2")),
						"Too many requests, please try again later.");
			}
			return Result.done();
		});

		cluster.createWidget(NS, "throttled", "content");

		await().atMost(DEADLINE).until(() -> attempts.size() >= 2);
		assertThat(gapsInMillis(attempts).get(0)).isGreaterThanOrEqualTo(2_000);
	}

	@Test
	void aFailingObjectDoesNotHoldBackTheOthers() throws Exception {
		AtomicInteger poisonFailures = new AtomicInteger();
		Map<String, Boolean> healthy = new ConcurrentHashMap<>();
		cluster.run(ControllerSpec.builder("poisoned", Widget.class).concurrency(2)
				.backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build(), (widget, context) -> {
					if (context.key().name().equals("poison")) {
						poisonFailures.incrementAndGet();
						throw new IllegalStateException("poisoned");
					}
					context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
							Digests.of(widget.getSpec().content)));
					healthy.put(context.key().name(), true);
					return Result.done();
				});

		cluster.createWidget(NS, "poison", "content");
		await().atMost(DEADLINE).until(() -> poisonFailures.get() >= 5);
		for (int i = 0; i < 20; i++) {
			cluster.createWidget(NS, "healthy-" + i, "content");
		}

		await().atMost(DEADLINE).untilAsserted(() -> assertThat(healthy).hasSize(20));
		int failuresWhenHealthyDone = poisonFailures.get();
		await().atMost(DEADLINE).until(() -> poisonFailures.get() > failuresWhenHealthyDone + 3);
		assertThat(cluster.widgets(NS)).filteredOn(widget -> widget.getMetadata().getName().startsWith("healthy-"))
				.hasSize(20).allSatisfy(widget -> assertThat(widget.getStatus()).isNotNull());
		assertThat(cluster.widget(NS, "poison").getStatus()).isNull();
	}

	@Test
	void anOnErrorThatGivesUpStopsRetriesUntilTheObjectChanges() throws Exception {
		Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();
		List<Integer> reportedAttempts = new CopyOnWriteArrayList<>();
		cluster.run(ControllerSpec.builder("giving-up", Widget.class).build(), new ResourceReconciler<Widget>() {
			@Override
			public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
				passes.computeIfAbsent(context.key().name(), name -> new AtomicInteger()).incrementAndGet();
				if (widget.getSpec().content.startsWith("bad")) {
					throw new IllegalArgumentException("invalid content " + widget.getSpec().content);
				}
				if (context.key().name().equals("ticker")) {
					return Result.requeueAfter(Duration.ofMillis(50));
				}
				context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(),
						Digests.of(widget.getSpec().content)));
				return Result.done();
			}

			@Override
			public ErrorAction onError(ObjectKey key, Throwable error, int attempts) {
				reportedAttempts.add(attempts);
				return ErrorAction.giveUp();
			}
		});

		cluster.createWidget(NS, "invalid", "bad");
		await().atMost(DEADLINE).until(() -> count(passes, "invalid") == 1);
		// A clock made of another object's passes, 50 ms apart: by its tenth pass, retries with the default
		// backoff (5 ms, then 10, 20...) would have run several times.
		cluster.createWidget(NS, "ticker", "fine");
		await().atMost(DEADLINE).until(() -> count(passes, "ticker") >= 10);
		assertThat(count(passes, "invalid")).as("passes after giving up").isEqualTo(1);

		cluster.setContent(NS, "invalid", "bad again");
		await().atMost(DEADLINE).until(() -> count(passes, "invalid") == 2);
		int tickerPasses = count(passes, "ticker");
		await().atMost(DEADLINE).until(() -> count(passes, "ticker") >= tickerPasses + 10);
		assertThat(count(passes, "invalid")).isEqualTo(2);
		assertThat(reportedAttempts).as("giving up forgets the failures").containsExactly(1, 1);

		cluster.setContent(NS, "invalid", "good");
		await().atMost(DEADLINE).untilAsserted(
				() -> assertThat(cluster.widget(NS, "invalid").getStatus().digest).isEqualTo(Digests.of("good")));
	}

	private static int count(Map<String, AtomicInteger> passes, String name) {
		AtomicInteger count = passes.get(name);
		return count == null ? 0 : count.get();
	}

	private static List<Long> gapsInMillis(List<Long> nanoTimes) {
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < nanoTimes.size(); i++) {
			gaps.add(TimeUnit.NANOSECONDS.toMillis(nanoTimes.get(i) - nanoTimes.get(i - 1)));
		}
		return gaps;
	}
}
