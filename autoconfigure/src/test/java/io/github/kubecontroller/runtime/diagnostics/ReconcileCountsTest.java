package io.github.kubecontroller.runtime.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReconcileCountsTest {

	private final ControllerSpec<V1ConfigMap> demo = ControllerSpec.builder("demo", V1ConfigMap.class).build();
	private final ControllerSpec<V1ConfigMap> other = ControllerSpec.builder("other", V1ConfigMap.class).build();

	@Test
	void countsEveryFinishedReconcileAndTheFailedOnesPerController() {
		ReconcileCounts counts = new ReconcileCounts();
		finish(counts, demo, ReconcileOutcome.SUCCESS);
		finish(counts, demo, ReconcileOutcome.REQUEUE_AFTER);
		finish(counts, demo, ReconcileOutcome.ERROR);
		finish(counts, demo, ReconcileOutcome.TERMINAL_ERROR);
		finish(counts, other, ReconcileOutcome.SUCCESS);

		assertThat(counts.of("demo")).isEqualTo(new ReconcileCounts.Counts(4, 2));
		assertThat(counts.of("other")).isEqualTo(new ReconcileCounts.Counts(1, 0));
	}

	@Test
	void aControllerWithoutReconcilesHasZeroTotals() {
		ReconcileCounts counts = new ReconcileCounts();
		assertThat(counts.of("never")).isEqualTo(ReconcileCounts.Counts.NONE);
		assertThat(counts.of("never").reconciles()).isZero();
		assertThat(counts.of("never").failed()).isZero();
	}

	@Test
	void startedReconcilesAndDeletionsDoNotCountAndTotalsSurviveADeletion() {
		ReconcileCounts counts = new ReconcileCounts();
		ObjectKey key = ObjectKey.of("ns", "a");
		counts.reconcileStarted(demo, key, ReconcileReason.OBJECT_CHANGED);
		assertThat(counts.of("demo").reconciles()).isZero();
		counts.reconcileFinished(demo, key, ReconcileReason.OBJECT_CHANGED, ReconcileOutcome.ERROR, Duration.ZERO,
				new IllegalStateException("boom"), Duration.ofSeconds(1));
		counts.primaryDeleted(demo, key);
		assertThat(counts.of("demo")).isEqualTo(new ReconcileCounts.Counts(1, 1));
	}

	@Test
	void concurrentWorkersLoseNoCountAndReadersNeverSeeMoreFailuresThanReconciles() throws Exception {
		ReconcileCounts counts = new ReconcileCounts();
		int workers = 4;
		int perWorker = 10_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < workers; i++) {
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int n = 0; n < perWorker; n++) {
					finish(counts, demo, n % 2 == 0 ? ReconcileOutcome.ERROR : ReconcileOutcome.SUCCESS);
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		boolean consistent = true;
		while (threads.stream().anyMatch(Thread::isAlive)) {
			ReconcileCounts.Counts seen = counts.of("demo");
			consistent &= seen.failed() <= seen.reconciles();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(consistent).isTrue();
		assertThat(counts.of("demo")).isEqualTo(new ReconcileCounts.Counts(workers * perWorker, workers * perWorker / 2));
	}

	private static void finish(ReconcileCounts counts, ControllerSpec<?> spec, ReconcileOutcome outcome) {
		boolean failed = outcome == ReconcileOutcome.ERROR || outcome == ReconcileOutcome.TERMINAL_ERROR;
		counts.reconcileFinished(spec, ObjectKey.of("ns", "a"), ReconcileReason.OBJECT_CHANGED, outcome,
				Duration.ofMillis(3), failed ? new IllegalStateException("boom") : null,
				outcome == ReconcileOutcome.ERROR ? Duration.ofMillis(5) : null);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
