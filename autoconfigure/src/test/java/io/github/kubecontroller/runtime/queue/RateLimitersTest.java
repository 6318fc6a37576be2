package io.github.kubecontroller.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitersTest {

	private static Duration ms(long millis) {
		return Duration.ofMillis(millis);
	}

	@Test
	void exponentialDoublesFromBasePerKey() {
		var limiter = new ItemExponentialRateLimiter<String>(ms(5), Duration.ofSeconds(1000));
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			delays.add(limiter.when("a"));
		}
		assertThat(delays).containsExactly(ms(5), ms(10), ms(20), ms(40), ms(80), ms(160));
		assertThat(limiter.when("b")).as("keys are independent").isEqualTo(ms(5));
		assertThat(limiter.numRequeues("a")).isEqualTo(6);
		assertThat(limiter.numRequeues("b")).isEqualTo(1);
	}

	@Test
	void exponentialReachesTheCapAndStaysThere() {
		var limiter = new ItemExponentialRateLimiter<String>(ms(5), Duration.ofSeconds(1000));
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			delays.add(limiter.when("a"));
		}
		// 5 ms * 2^17 = 655.36 s is the last uncapped step; 5 ms * 2^18 = 1310.72 s exceeds the cap.
		assertThat(delays.get(17)).isEqualTo(ms(655_360));
		assertThat(delays.subList(18, 20)).containsOnly(Duration.ofSeconds(1000));
	}

	@Test
	void exponentialNeverOverflowsAfterTenThousandFailures() {
		var limiter = new ItemExponentialRateLimiter<String>(ms(5), Duration.ofMinutes(5));
		Duration previous = Duration.ZERO;
		for (int i = 0; i < 10_000; i++) {
			Duration d = limiter.when("a");
			assertThat(d).as("failure %d", i + 1).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(Duration.ofMinutes(5));
			previous = d;
		}
		assertThat(previous).isEqualTo(Duration.ofMinutes(5));
		// client-java wraps to 5 ms, 10 ms … exactly at failures 65, 66, …; make sure that region is covered.
		assertThat(limiter.numRequeues("a")).isEqualTo(10_000);
	}

	@Test
	void exponentialWithHugeCapDoesNotOverflowEither() {
		var limiter = new ItemExponentialRateLimiter<String>(Duration.ofNanos(1), Duration.ofNanos(Long.MAX_VALUE));
		for (int i = 0; i < 63; i++) {
			assertThat(limiter.when("a")).isEqualTo(Duration.ofNanos(1L << i));
		}
		assertThat(limiter.when("a")).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
		assertThat(limiter.when("a")).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
	}

	@Test
	void forgetResetsTheFailureCount() {
		var limiter = new ItemExponentialRateLimiter<String>(ms(5), Duration.ofSeconds(10));
		limiter.when("a");
		limiter.when("a");
		limiter.when("a");
		limiter.forget("a");
		assertThat(limiter.numRequeues("a")).isZero();
		assertThat(limiter.when("a")).isEqualTo(ms(5));
	}

	@Test
	void exponentialRejectsNonsense() {
		assertThatThrownBy(() -> new ItemExponentialRateLimiter<String>(Duration.ZERO, ms(5)))
				.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new ItemExponentialRateLimiter<String>(ms(10), ms(5)))
				.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void bucketAllowsBurstThenSpacesByOneOverQps() {
		FakeTicker ticker = new FakeTicker();
		var bucket = new BucketRateLimiter<String>(10, 100, ticker);
		for (int i = 0; i < 100; i++) {
			assertThat(bucket.when("k" + i)).as("burst token %d", i).isEqualTo(Duration.ZERO);
		}
		// The overdraft accumulates: each further reservation waits 100 ms behind the previous one.
		assertThat(bucket.when("x")).isEqualTo(ms(100));
		assertThat(bucket.when("y")).isEqualTo(ms(200));
		assertThat(bucket.when("z")).isEqualTo(ms(300));
		assertThat(bucket.numRequeues("x")).isZero();
	}

	@Test
	void bucketRefillsAtQpsUpToBurst() {
		FakeTicker ticker = new FakeTicker();
		var bucket = new BucketRateLimiter<String>(10, 100, ticker);
		for (int i = 0; i < 102; i++) {
			bucket.when("k");
		}
		// Two tokens overdrawn; one second refills ten, so eight are free and the ninth waits.
		ticker.advance(Duration.ofSeconds(1));
		for (int i = 0; i < 8; i++) {
			assertThat(bucket.when("k")).isEqualTo(Duration.ZERO);
		}
		assertThat(bucket.when("k")).isEqualTo(ms(100));
		// A long idle period refills only up to the burst, not beyond.
		ticker.advance(Duration.ofHours(1));
		for (int i = 0; i < 100; i++) {
			assertThat(bucket.when("k")).isEqualTo(Duration.ZERO);
		}
		assertThat(bucket.when("k")).isEqualTo(ms(100));
	}

	@Test
	void maxOfTakesTheLongestDelayAndForwardsForget() {
		FakeTicker ticker = new FakeTicker();
		RateLimiter<String> limiter = new MaxOfRateLimiter<>(
				new ItemExponentialRateLimiter<>(ms(5), Duration.ofSeconds(1000)),
				new BucketRateLimiter<>(10, 2, ticker));
		assertThat(limiter.when("a")).isEqualTo(ms(5)); // exponential wins while the bucket has tokens
		assertThat(limiter.when("a")).isEqualTo(ms(10));
		assertThat(limiter.when("b")).isEqualTo(ms(100)); // bucket exhausted: it wins over 5 ms
		assertThat(limiter.numRequeues("a")).isEqualTo(2);
		limiter.forget("a");
		assertThat(limiter.numRequeues("a")).isZero();
	}

	@Test
	void controllerDefaultIsExponentialFrom5msCombinedWithTenQpsBurstHundred() {
		FakeTicker ticker = new FakeTicker();
		RateLimiter<String> limiter = RateLimiters.controllerDefault(RateLimiters.DEFAULT_CAP, ticker);
		for (int i = 0; i < 100; i++) {
			assertThat(limiter.when("key-" + i)).isEqualTo(ms(5));
		}
		assertThat(limiter.when("key-100")).isEqualTo(ms(100));
		for (int i = 0; i < 1000; i++) {
			limiter.when("hot");
		}
		ticker.advance(Duration.ofDays(1));
		assertThat(limiter.when("hot")).isEqualTo(Duration.ofMinutes(5));
		assertThat(RateLimiters.DEFAULT_CAP).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void controllerDefaultWithSystemClockStartsAt5ms() {
		RateLimiter<String> limiter = RateLimiters.controllerDefault();
		assertThat(limiter.when("a")).isEqualTo(ms(5));
		assertThat(limiter.when("a")).isEqualTo(ms(10));
	}

	@Test
	void objectKeyFormatsLikeClientGo() {
		assertThat(ObjectKey.of("ns", "a")).hasToString("ns/a").isEqualTo(new ObjectKey("ns", "a"));
		assertThat(ObjectKey.clusterScoped("node-1")).hasToString("node-1").isEqualTo(new ObjectKey(null, "node-1"));
		assertThatThrownBy(() -> ObjectKey.of("ns", null)).isInstanceOf(NullPointerException.class);
	}
}
