package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTest {

	private final AtomicLong now = new AtomicLong();

	private Backoff backoff(double random) {
		return new Backoff(Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofMinutes(2), now::get,
				() -> random);
	}

	@Test
	void doublesFromTheInitialDelayUpToTheMaximum() {
		Backoff backoff = backoff(0);

		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(800));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1600));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(3200));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(6400));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(12800));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(25600));
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
		for (int i = 0; i < 100; i++) {
			assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
		}
	}

	@Test
	void jitterAddsAtMostAQuarter() {
		Backoff backoff = backoff(0.999_999);

		assertThat(backoff.next()).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2000));
	}

	@Test
	void startsOverAfterAQuietPeriod() {
		Backoff backoff = backoff(0);
		backoff.next();
		backoff.next();
		now.addAndGet(Duration.ofMinutes(1).toNanos());
		assertThat(backoff.next()).as("a minute after the last failure").isEqualTo(Duration.ofMillis(3200));

		now.addAndGet(Duration.ofMinutes(2).toNanos());

		assertThat(backoff.next()).as("two minutes after the last failure").isEqualTo(Duration.ofMillis(800));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1600));
	}
}
