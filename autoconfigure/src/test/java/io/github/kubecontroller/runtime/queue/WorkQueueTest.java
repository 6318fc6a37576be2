package io.github.kubecontroller.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final FakeTicker ticker = new FakeTicker();
	private final WorkQueue<ObjectKey> queue =
			new WorkQueue<>("test", RateLimiters.controllerDefault(RateLimiters.DEFAULT_CAP, ticker), ticker);
	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void tearDown() throws InterruptedException {
		queue.shutDown();
		executor.shutdownNow();
		assertThat(executor.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	private static ObjectKey key(String name) {
		return ObjectKey.of("default", name);
	}

	@Test
	void addingAWaitingKeyIsANoOp() throws InterruptedException {
		queue.add(key("a"));
		queue.add(key("a"));
		queue.add(key("b"));
		queue.add(key("a"));

		assertThat(queue.len()).isEqualTo(2);
		assertThat(queue.take()).isEqualTo(key("a"));
		assertThat(queue.take()).isEqualTo(key("b"));
		assertThat(queue.poll(Duration.ZERO)).isEmpty();
		assertThat(queue.stats().adds()).isEqualTo(2);
	}

	@Test
	void distinctKeysComeOutInFifoOrder() throws InterruptedException {
		List<ObjectKey> added = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			added.add(key("k" + i));
			queue.add(key("k" + i));
		}
		List<ObjectKey> taken = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			taken.add(queue.take());
		}
		assertThat(taken).containsExactlyElementsOf(added);
	}

	@Test
	void addsDuringProcessingAreMergedIntoOneMorePassAfterDone() throws InterruptedException {
		queue.add(key("a"));
		ObjectKey taken = queue.take();

		for (int i = 0; i < 5; i++) {
			queue.add(taken);
		}
		assertThat(queue.len()).as("not handed out while in flight").isZero();
		assertThat(queue.poll(Duration.ZERO)).isEmpty();

		queue.done(taken);
		assertThat(queue.len()).isEqualTo(1);
		assertThat(queue.take()).isEqualTo(key("a"));
		queue.done(key("a"));
		assertThat(queue.poll(Duration.ZERO)).as("five adds gave exactly one extra pass").isEmpty();
	}

	@Test
	void doneWithoutAddsDoesNotRequeue() throws InterruptedException {
		queue.add(key("a"));
		queue.done(queue.take());
		queue.done(key("never-taken")); // ignored
		assertThat(queue.len()).isZero();
		assertThat(queue.inFlight()).isEmpty();
	}

	@Test
	void dirtyKeyTakesItsTurnBehindKeysAddedBeforeDone() throws InterruptedException {
		queue.add(key("a"));
		queue.take();
		queue.add(key("a"));
		queue.add(key("b"));
		queue.done(key("a"));
		assertThat(queue.take()).isEqualTo(key("b"));
		assertThat(queue.take()).isEqualTo(key("a"));
	}

	@Test
	void aKeyIsNeverProcessedByTwoWorkersAtOnce() throws Exception {
		int workers = 8;
		int keys = 50;
		Set<ObjectKey> inProgress = ConcurrentHashMap.newKeySet();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicLong passes = new AtomicLong();
		// Version of the latest add per key and the version seen by the latest pass that started after it:
		// every add must be followed by a pass, so that no add is lost while keys are merged.
		AtomicLongArray addedVersion = new AtomicLongArray(keys);
		AtomicLongArray processedVersion = new AtomicLongArray(keys);
		AtomicBoolean producing = new AtomicBoolean(true);

		List<Future<?>> futures = new ArrayList<>();
		for (int w = 0; w < workers; w++) {
			futures.add(executor.submit(() -> {
				ObjectKey k;
				while ((k = queue.take()) != null) {
					int index = Integer.parseInt(k.name());
					if (!inProgress.add(k)) {
						overlaps.incrementAndGet();
					}
					long seen = addedVersion.get(index);
					processedVersion.accumulateAndGet(index, seen, Math::max);
					// Re-add our own key while holding it: without the processing set another worker would take it
					// right now, and the spin below gives it the time to collide with us.
					if (producing.get() && ThreadLocalRandom.current().nextBoolean()) {
						addedVersion.incrementAndGet(index);
						queue.add(k);
					}
					long spinUntil = System.nanoTime() + 20_000;
					while (System.nanoTime() < spinUntil) {
						Thread.onSpinWait();
					}
					inProgress.remove(k);
					passes.incrementAndGet();
					queue.done(k);
				}
				return null;
			}));
		}
		for (int p = 0; p < 4; p++) {
			futures.add(executor.submit(() -> {
				for (int i = 0; i < 20_000; i++) {
					int index = ThreadLocalRandom.current().nextInt(keys);
					addedVersion.incrementAndGet(index);
					queue.add(key(Integer.toString(index)));
				}
				return null;
			}));
		}

		for (Future<?> producer : futures.subList(workers, futures.size())) {
			producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
		producing.set(false);
		await().atMost(DEADLINE).untilAsserted(() -> {
			for (int i = 0; i < keys; i++) {
				assertThat(processedVersion.get(i)).as("key %d", i).isEqualTo(addedVersion.get(i));
			}
		});
		await().atMost(DEADLINE).until(() -> queue.len() == 0 && queue.inFlight().isEmpty());

		assertThat(overlaps).as("passes that overlapped another pass of the same key").hasValue(0);
		assertThat(passes.get()).isPositive();
		queue.shutDown();
		for (Future<?> worker : futures.subList(0, workers)) {
			worker.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
	}

	@Test
	void shutDownReleasesBlockedWorkersAndRejectsNewKeys() throws Exception {
		List<CompletableFuture<ObjectKey>> takers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			takers.add(CompletableFuture.supplyAsync(() -> {
				try {
					return queue.take();
				} catch (InterruptedException e) {
					throw new IllegalStateException(e);
				}
			}, executor));
		}
		CompletableFuture<Optional<ObjectKey>> poller = CompletableFuture.supplyAsync(() -> {
			try {
				return queue.poll(Duration.ofHours(1));
			} catch (InterruptedException e) {
				throw new IllegalStateException(e);
			}
		}, executor);

		queue.shutDown();

		for (CompletableFuture<ObjectKey> taker : takers) {
			assertThat(taker.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isNull();
		}
		assertThat(poller.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEmpty();
		assertThat(queue.isShuttingDown()).isTrue();

		queue.add(key("a"));
		queue.addAfter(key("b"), Duration.ofMillis(1));
		queue.addRateLimited(key("c"));
		assertThat(queue.len()).isZero();
		assertThat(queue.stats().delayed()).isZero();
		assertThat(queue.take()).isNull();
	}

	@Test
	void shutDownDropsWaitingKeysAndDoesNotRequeueDirtyOnes() throws InterruptedException {
		queue.add(key("a"));
		queue.add(key("b"));
		queue.take();
		queue.add(key("a")); // dirty while in flight
		queue.shutDown();
		assertThat(queue.len()).isZero();
		queue.done(key("a"));
		assertThat(queue.take()).isNull();
	}

	@Test
	void shutDownWithDrainWaitsForKeysInFlight() throws Exception {
		queue.add(key("a"));
		queue.add(key("b"));
		ObjectKey first = queue.take();
		ObjectKey second = queue.take();

		CompletableFuture<Boolean> drain = CompletableFuture.supplyAsync(() -> {
			try {
				return queue.shutDownWithDrain(Duration.ofHours(1));
			} catch (InterruptedException e) {
				throw new IllegalStateException(e);
			}
		}, executor);
		await().atMost(DEADLINE).until(queue::isShuttingDown);
		assertThat(queue.take()).as("nothing is handed out while draining").isNull();

		queue.done(first);
		assertThat(queue.inFlight()).containsOnlyKeys(second);
		assertThat(drain).isNotDone();

		queue.done(second);
		assertThat(drain.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void shutDownWithDrainGivesUpAfterTheTimeout() throws InterruptedException {
		queue.add(key("stuck"));
		queue.take();
		assertThat(queue.shutDownWithDrain(Duration.ofMillis(10))).isFalse();
		assertThat(queue.inFlight()).containsOnlyKeys(key("stuck"));
		assertThat(queue.shutDownWithDrain(Duration.ZERO)).isFalse();
		queue.done(key("stuck"));
		assertThat(queue.shutDownWithDrain(Duration.ZERO)).isTrue();
	}

	@Test
	void pollTimesOutEmptyWithoutKeys() throws InterruptedException {
		assertThat(queue.poll(Duration.ofMillis(1))).isEmpty();
		queue.add(key("a"));
		assertThat(queue.poll(Duration.ofMillis(1))).contains(key("a"));
	}

	@Test
	void takeIsInterruptible() throws Exception {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		Future<Object> taker = executor.submit(() -> {
			thread.complete(Thread.currentThread());
			return queue.take();
		});
		thread.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).interrupt();
		await().atMost(DEADLINE).until(taker::isDone);
		assertThat(taker).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(InterruptedException.class);
	}

	@Test
	void statsAndInFlightReportWhatMetricsNeed() throws InterruptedException {
		queue.add(key("a"));
		queue.add(key("b"));
		queue.add(key("c"));
		queue.take();
		ticker.advance(Duration.ofSeconds(3));
		queue.take();
		ticker.advance(Duration.ofSeconds(2));
		queue.addAfter(key("d"), Duration.ofMinutes(1));
		queue.addRateLimited(key("e"));

		WorkQueue.Stats stats = queue.stats();
		assertThat(stats.depth()).isEqualTo(1);
		assertThat(stats.delayed()).isEqualTo(2);
		assertThat(stats.inFlight()).isEqualTo(2);
		assertThat(stats.adds()).isEqualTo(3);
		assertThat(stats.retries()).isEqualTo(1);
		assertThat(stats.longestRunning()).isEqualTo(Duration.ofSeconds(5));
		assertThat(stats.unfinishedWork()).isEqualTo(Duration.ofSeconds(7));
		assertThat(queue.inFlight())
				.containsEntry(key("a"), Duration.ofSeconds(5))
				.containsEntry(key("b"), Duration.ofSeconds(2))
				.hasSize(2);
	}

	@Test
	void keysDoNotHaveToBeObjectKeys() throws InterruptedException {
		WorkQueue<String> strings = new WorkQueue<>("strings");
		try {
			strings.add("x");
			assertThat(strings.take()).isEqualTo("x");
			strings.done("x");
			assertThat(strings.name()).isEqualTo("strings");
		} finally {
			strings.shutDown();
		}
	}

	@Test
	void forgetAndNumRequeuesDelegateToTheRateLimiter() {
		queue.addRateLimited(key("a"));
		queue.addRateLimited(key("a"));
		assertThat(queue.numRequeues(key("a"))).isEqualTo(2);
		queue.forget(key("a"));
		assertThat(queue.numRequeues(key("a"))).isZero();
	}
}
