package io.github.kubecontroller.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueDelayTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final FakeTicker ticker = new FakeTicker();
	private final RateLimiter<ObjectKey> limiter = new ItemExponentialRateLimiter<>(Duration.ofSeconds(1), Duration.ofMinutes(5));
	private final WorkQueue<ObjectKey> queue = new WorkQueue<>("delay-test", limiter, ticker);

	@AfterEach
	void tearDown() {
		queue.shutDown();
	}

	private static ObjectKey key(String name) {
		return ObjectKey.of("default", name);
	}

	private static Set<ObjectKey> takeAll(WorkQueue<ObjectKey> q, int count) throws InterruptedException {
		Set<ObjectKey> taken = new HashSet<>();
		for (int i = 0; i < count; i++) {
			ObjectKey k = q.take();
			taken.add(k);
			q.done(k);
		}
		return taken;
	}

	@Test
	void tenThousandDelayedKeysAreAllKept() throws InterruptedException {
		Set<ObjectKey> added = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			added.add(key("k" + i));
			queue.addAfter(key("k" + i), Duration.ofSeconds(1));
		}
		assertThat(queue.stats().delayed()).isEqualTo(10_000);
		assertThat(queue.len()).isZero();

		ticker.advance(Duration.ofMillis(999));
		assertThat(queue.promoteReadyDelayed()).isZero();
		ticker.advance(Duration.ofMillis(1));
		assertThat(queue.promoteReadyDelayed()).isEqualTo(10_000);

		assertThat(queue.len()).isEqualTo(10_000);
		assertThat(queue.stats().delayed()).isZero();
		assertThat(takeAll(queue, 10_000)).isEqualTo(added);
	}

	@Test
	void tenThousandDelayedKeysArriveOnTheRealClock() throws InterruptedException {
		WorkQueue<ObjectKey> real = new WorkQueue<>("real-clock", limiter);
		try {
			Set<ObjectKey> added = new HashSet<>();
			for (int i = 0; i < 10_000; i++) {
				added.add(key("k" + i));
				real.addAfter(key("k" + i), Duration.ofMillis(20 + i % 50));
			}
			await().atMost(DEADLINE).until(() -> real.len() == 10_000);
			assertThat(real.stats().delayed()).isZero();
			assertThat(takeAll(real, 10_000)).isEqualTo(added);
		} finally {
			real.shutDown();
		}
	}

	@Test
	void delayedKeysComeOutInReadyTimeOrder() throws InterruptedException {
		queue.addAfter(key("late"), Duration.ofSeconds(3));
		queue.addAfter(key("early"), Duration.ofSeconds(1));
		queue.addAfter(key("middle"), Duration.ofSeconds(2));
		ticker.advance(Duration.ofSeconds(3));
		queue.promoteReadyDelayed();
		assertThat(queue.take()).isEqualTo(key("early"));
		assertThat(queue.take()).isEqualTo(key("middle"));
		assertThat(queue.take()).isEqualTo(key("late"));
	}

	@Test
	void aShorterDelayMovesTheKeyEarlier() {
		queue.addAfter(key("a"), Duration.ofSeconds(10));
		queue.addAfter(key("a"), Duration.ofSeconds(1));
		assertThat(queue.stats().delayed()).isEqualTo(1);

		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(1);
		assertThat(queue.stats().delayed()).as("the later entry was replaced, not kept").isZero();
	}

	@Test
	void aLongerDelayDoesNotPostponeTheKey() {
		queue.addAfter(key("a"), Duration.ofSeconds(1));
		queue.addAfter(key("a"), Duration.ofSeconds(10));
		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(1);
		assertThat(queue.stats().delayed()).isZero();
	}

	@Test
	void zeroOrNegativeDelayAddsImmediately() {
		queue.addAfter(key("a"), Duration.ZERO);
		queue.addAfter(key("b"), Duration.ofSeconds(-1));
		assertThat(queue.len()).isEqualTo(2);
		assertThat(queue.stats().delayed()).isZero();
	}

	@Test
	void aDelayedKeyThatIsAlreadyWaitingIsNotDuplicated() throws InterruptedException {
		queue.add(key("a"));
		queue.addAfter(key("a"), Duration.ofSeconds(1));
		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(1);
		assertThat(queue.take()).isEqualTo(key("a"));
	}

	@Test
	void aDelayedKeyThatBecomesReadyWhileInFlightWaitsForDone() throws InterruptedException {
		queue.add(key("a"));
		ObjectKey taken = queue.take();
		queue.addAfter(key("a"), Duration.ofSeconds(1));
		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isZero();
		queue.done(taken);
		assertThat(queue.take()).isEqualTo(key("a"));
	}

	@Test
	void addRateLimitedWaitsForTheLimitersDelay() {
		queue.addRateLimited(key("a")); // 1 s
		queue.addRateLimited(key("b")); // 1 s
		queue.addRateLimited(key("b")); // 2 s, but the 1 s entry is earlier and wins
		ticker.advance(Duration.ofMillis(999));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isZero();
		ticker.advance(Duration.ofMillis(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(2);
		assertThat(queue.numRequeues(key("b"))).isEqualTo(2);
		assertThat(queue.stats().retries()).isEqualTo(3);
	}

	@Test
	void minimumDelayWinsOverAShorterLimiterDelay() {
		queue.addRateLimited(key("throttled"), Duration.ofSeconds(30)); // limiter says 1 s, Retry-After 30 s
		ticker.advance(Duration.ofSeconds(29));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isZero();
		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(1);
		assertThat(queue.numRequeues(key("throttled"))).isEqualTo(1);
	}

	@Test
	void limiterDelayWinsOverAShorterMinimumDelay() {
		for (int i = 0; i < 4; i++) {
			limiter.when(key("a")); // 1, 2, 4, 8 s: the next one is 16 s
		}
		queue.addRateLimited(key("a"), Duration.ofSeconds(5));
		ticker.advance(Duration.ofSeconds(15));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isZero();
		ticker.advance(Duration.ofSeconds(1));
		queue.promoteReadyDelayed();
		assertThat(queue.len()).isEqualTo(1);
	}

	@Test
	void theTimerThreadIsOneNamedDaemonThatStopsOnShutDown() {
		WorkQueue<ObjectKey> real = new WorkQueue<>("named", limiter);
		assertThat(timerThreads("named")).as("started lazily").isEmpty();
		for (int i = 0; i < 100; i++) {
			real.addAfter(key("k" + i), Duration.ofHours(1));
		}
		assertThat(timerThreads("named")).singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());
		real.shutDown();
		await().atMost(DEADLINE).until(() -> timerThreads("named").isEmpty());
	}

	@Test
	void aRealTimerWakesUpEarlyForAnEarlierKey() throws InterruptedException {
		WorkQueue<ObjectKey> real = new WorkQueue<>("wake", limiter);
		try {
			real.addAfter(key("later"), Duration.ofHours(1));
			real.addAfter(key("sooner"), Duration.ofMillis(10));
			Optional<ObjectKey> taken = real.poll(DEADLINE);
			assertThat(taken).contains(key("sooner"));
			assertThat(real.stats().delayed()).isEqualTo(1);
		} finally {
			real.shutDown();
		}
	}

	private static Set<Thread> timerThreads(String queueName) {
		Set<Thread> result = new HashSet<>();
		for (Thread t : Thread.getAllStackTraces().keySet()) {
			if (t.getName().equals("kube-controller-queue-" + queueName) && t.isAlive()) {
				result.add(t);
			}
		}
		return result;
	}
}
