package io.github.kubecontroller.runtime.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentErrorsTest {

	private final ControllerSpec<V1ConfigMap> spec = ControllerSpec.builder("demo", V1ConfigMap.class).build();
	private final MutableClock clock = new MutableClock();

	@Test
	void remembersTheLastErrorOfEachObjectOnOneLineWithAttemptsAndNextRetry() {
		RecentErrors errors = new RecentErrors(10, clock);
		ObjectKey key = ObjectKey.of("ns", "a");
		fail(errors, key, new IllegalStateException("first line\nsecond line"), Duration.ofSeconds(1));
		clock.advance(Duration.ofSeconds(2));
		fail(errors, key, new IllegalStateException("again"), Duration.ofSeconds(4));

		RecentError error = errors.error("demo", key).orElseThrow();
		assertThat(error.message()).isEqualTo("java.lang.IllegalStateException: again");
		assertThat(error.attempts()).isEqualTo(2);
		assertThat(error.at()).isEqualTo(clock.instant());
		assertThat(error.nextRetryAt()).isEqualTo(clock.instant().plusSeconds(4));
		assertThat(error.terminal()).isFalse();
		assertThat(errors.failingObjects("demo")).isEqualTo(1);
		assertThat(errors.failures()).isEqualTo(2);
	}

	@Test
	void multiLineMessagesAndApiAnswersBecomeOneLine() {
		RecentErrors errors = new RecentErrors(10, clock);
		fail(errors, ObjectKey.of("ns", "a"), new IllegalStateException("first line\nsecond line"), Duration.ZERO);
		ApiException conflict = new ApiException(409, Map.of(), "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				+ "\"status\":\"Failure\",\"message\":\"the object has been modified\",\"reason\":\"Conflict\","
				+ "\"code\":409}");
		fail(errors, ObjectKey.of("ns", "b"), conflict, Duration.ZERO);

		assertThat(errors.error("demo", ObjectKey.of("ns", "a")).orElseThrow().message())
				.isEqualTo("java.lang.IllegalStateException: first line");
		assertThat(errors.error("demo", ObjectKey.of("ns", "b")).orElseThrow().message())
				.startsWith("API error 409").contains("the object has been modified").doesNotContain("\n");
	}

	@Test
	void aSuccessClearsTheObjectsErrorAndRestartsItsAttempts() {
		RecentErrors errors = new RecentErrors(10, clock);
		ObjectKey key = ObjectKey.of("ns", "a");
		fail(errors, key, new IllegalStateException("boom"), Duration.ofSeconds(1));
		errors.reconcileFinished(spec, key, ReconcileReason.REQUEUE_AFTER_ERROR, ReconcileOutcome.SUCCESS,
				Duration.ZERO, null, null);
		assertThat(errors.error("demo", key)).isEmpty();
		assertThat(errors.errors("demo")).isEmpty();

		fail(errors, key, new IllegalStateException("boom"), Duration.ofSeconds(1));
		assertThat(errors.error("demo", key).orElseThrow().attempts()).isEqualTo(1);
	}

	@Test
	void aDeletedObjectsErrorIsForgotten() {
		RecentErrors errors = new RecentErrors(10, clock);
		ObjectKey key = ObjectKey.of("ns", "gone");
		fail(errors, key, new IllegalStateException("boom"), Duration.ofSeconds(1));
		errors.primaryDeleted(spec, key);
		assertThat(errors.error("demo", key)).isEmpty();
	}

	@Test
	void aTerminalErrorHasNoNextRetry() {
		RecentErrors errors = new RecentErrors(10, clock);
		ObjectKey key = ObjectKey.of("ns", "a");
		errors.reconcileFinished(spec, key, ReconcileReason.OBJECT_CHANGED, ReconcileOutcome.TERMINAL_ERROR,
				Duration.ZERO, new IllegalArgumentException("bad spec"), null);
		assertThat(errors.error("demo", key).orElseThrow().terminal()).isTrue();
	}

	@Test
	void keepsAtMostTheBoundDroppingTheObjectsThatFailedLongestAgo() {
		RecentErrors errors = new RecentErrors(3, clock);
		for (String name : List.of("a", "b", "c")) {
			fail(errors, ObjectKey.of("ns", name), new IllegalStateException(name), Duration.ZERO);
			clock.advance(Duration.ofSeconds(1));
		}
		// "a" fails again, so "b" is now the one that failed longest ago.
		fail(errors, ObjectKey.of("ns", "a"), new IllegalStateException("a"), Duration.ZERO);
		clock.advance(Duration.ofSeconds(1));
		fail(errors, ObjectKey.of("ns", "d"), new IllegalStateException("d"), Duration.ZERO);

		assertThat(errors.errors("demo")).extracting(error -> error.key().name()).containsExactly("d", "a", "c");
		assertThat(errors.failingObjects("demo")).isEqualTo(3);
		assertThat(errors.errors("other")).isEmpty();
	}

	private void fail(RecentErrors errors, ObjectKey key, Throwable error, Duration retryIn) {
		errors.reconcileFinished(spec, key, ReconcileReason.OBJECT_CHANGED, ReconcileOutcome.ERROR, Duration.ZERO,
				error, retryIn);
	}
}
