package io.github.kubecontroller.runtime.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detector fed by hand, as a controller would feed it, with a clock the test moves. */
class HotLoopDetectorTest {

	private static final String TOUCHED = "example.com/touched";

	private final ControllerSpec<V1ConfigMap> spec = ControllerSpec.builder("demo", V1ConfigMap.class).build();
	private final MutableClock clock = new MutableClock();
	private final List<String> warnings = new ArrayList<>();
	private final HotLoopDetector detector = new HotLoopDetector(10, Duration.ofMinutes(1), clock, warnings::add);
	private final ObjectKey key = ObjectKey.of("ns", "looping");
	private int version = 1;

	@Test
	void anObjectReconciledAfterEachOwnWriteIsWarnedAboutOncePerWindow() {
		V1ConfigMap current = configMap("t0");
		for (int i = 1; i <= 30; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("t" + i);
			detector.primaryChanged(spec, current, next, true);
			current = next;
			clock.advance(Duration.ofMillis(100));
		}

		assertThat(warnings).hasSize(1);
		assertThat(warnings.get(0)).contains("'demo'").contains("ConfigMap ns/looping")
				.contains("metadata.annotations['example.com/touched']").contains("values masked")
				.contains("deterministic").doesNotContain("t1").doesNotContain("resourceVersion");
		assertThat(detector.occurrences()).isEqualTo(1);
		assertThat(detector.suspects()).singleElement().satisfies(suspect -> {
			assertThat(suspect.cause()).isEqualTo(HotLoopSuspect.Cause.OWN_WRITES);
			assertThat(suspect.objectRef()).isEqualTo("ConfigMap ns/looping");
			assertThat(suspect.fields()).containsExactly("metadata.annotations['example.com/touched']");
			assertThat(suspect.reconciles()).isGreaterThan(10);
			assertThat(suspect.window()).isEqualTo(Duration.ofMinutes(1));
		});

		clock.advance(Duration.ofMinutes(1));
		for (int i = 0; i < 12; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("u" + i);
			detector.primaryChanged(spec, current, next, true);
			current = next;
		}
		assertThat(warnings).hasSize(2);
		assertThat(detector.occurrences()).isEqualTo(2);
	}

	@Test
	void suspectsAreForgottenAWindowAfterTheLoopStopped() {
		V1ConfigMap current = configMap("t0");
		for (int i = 1; i <= 15; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("t" + i);
			detector.primaryChanged(spec, current, next, true);
			current = next;
		}
		assertThat(detector.suspects("demo")).hasSize(1);
		clock.advance(Duration.ofSeconds(61));
		assertThat(detector.suspects("demo")).isEmpty();
	}

	@Test
	void twoWritersSettingOneAnnotationInTurnAreAPingPong() {
		V1ConfigMap current = configMap("ours");
		for (int i = 1; i <= 20; i++) {
			boolean ours = i % 2 == 0;
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap(ours ? "ours" : "theirs");
			detector.primaryChanged(spec, current, next, ours);
			current = next;
		}
		assertThat(warnings).singleElement().asString()
				.contains("another writer").contains("metadata.annotations['example.com/touched']")
				.contains("server-side apply").doesNotContain("ours").doesNotContain("theirs");
		assertThat(detector.suspects()).singleElement()
				.satisfies(suspect -> assertThat(suspect.cause()).isEqualTo(HotLoopSuspect.Cause.PING_PONG));
	}

	@Test
	void aLoopFirstTakenForOwnWritesIsWarnedAboutAgainOnceItShowsAsAFight() {
		V1ConfigMap current = configMap("t0");
		// The other writer's changes are seen late: the first diagnosis can only be own writes.
		for (int i = 1; i <= 11; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("t" + i);
			detector.primaryChanged(spec, current, next, true);
			current = next;
		}
		assertThat(warnings).singleElement().asString().contains("its own write");
		for (int i = 1; i <= 8; i++) {
			boolean ours = i % 2 == 0;
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap(ours ? "ours" : "theirs");
			detector.primaryChanged(spec, current, next, ours);
			current = next;
		}
		detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);

		assertThat(warnings).hasSize(2);
		assertThat(warnings.get(1)).contains("another writer");
		assertThat(detector.occurrences()).as("one loop, diagnosed twice").isEqualTo(1);
	}

	@Test
	void frequentReconcilesWithoutWritesAreNotSuspected() {
		for (int i = 0; i < 50; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.REQUEUE_AFTER_ERROR);
		}
		// Someone else changes the object now and then: not a loop of this controller.
		detector.primaryChanged(spec, configMap("a"), configMap("b"), false);
		detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
		assertThat(warnings).isEmpty();
		assertThat(detector.suspects()).isEmpty();
	}

	@Test
	void aFewOwnWritesWithinTheWindowAreFine() {
		V1ConfigMap current = configMap("t0");
		for (int i = 1; i <= 10; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("t" + i);
			detector.primaryChanged(spec, current, next, true);
			current = next;
			clock.advance(Duration.ofSeconds(7));
		}
		assertThat(warnings).isEmpty();
	}

	@Test
	void anObjectSomeoneElseKeepsChangingWhileTheControllerWritesItsStatusIsNoLoop() {
		// Another writer updates the spec 30 times a minute; each update is reconciled and the reconcile writes the
		// status. The status write's own event is reconciled too (no generation filter), and that pass writes
		// nothing: every write of the controller answers a change of someone else's.
		V1ConfigMap current = withStatus(configMap("spec-0"), "observed-0");
		for (int i = 1; i <= 30; i++) {
			V1ConfigMap updated = withStatus(configMap("spec-" + i), "observed-" + (i - 1));
			detector.primaryChanged(spec, current, updated, false);
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap written = withStatus(updated, "observed-" + i);
			detector.primaryChanged(spec, updated, written, true);
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			current = written;
			clock.advance(Duration.ofSeconds(2));
		}

		assertThat(warnings).isEmpty();
		assertThat(detector.suspects()).isEmpty();
		assertThat(detector.occurrences()).isZero();
	}

	@Test
	void aLoopOnOwnWritesIsStillFoundWhenSomeoneElseWritesNowAndThen() {
		V1ConfigMap current = configMap("t0");
		for (int i = 1; i <= 30; i++) {
			detector.reconcileStarted(spec, key, ReconcileReason.OBJECT_CHANGED);
			V1ConfigMap next = configMap("t" + i);
			// Every tenth change is someone else's; the controller's own writes go on in between.
			detector.primaryChanged(spec, current, next, i % 10 != 0);
			current = next;
			clock.advance(Duration.ofMillis(500));
		}

		assertThat(warnings).singleElement().asString().contains("its own write")
				.contains("metadata.annotations['example.com/touched']");
		assertThat(detector.suspects()).singleElement()
				.satisfies(suspect -> assertThat(suspect.cause()).isEqualTo(HotLoopSuspect.Cause.OWN_WRITES));
	}

	@Test
	void changedFieldsNameNestedPathsAndIgnoreWhatTheServerBumps() {
		V1ConfigMap before = configMap("a");
		V1ConfigMap after = configMap("b");
		after.getMetadata().generation(7L);
		after.data(Map.of("plain", "changed", "dotted.key", "v"));
		assertThat(ChangedFields.between(before, after).keySet()).containsExactly("data.plain", "data['dotted.key']",
				"metadata.annotations['example.com/touched']");
	}

	/** The same object after a write of its status, here a key of its data. */
	private V1ConfigMap withStatus(V1ConfigMap object, String observed) {
		V1ConfigMap written = configMap(object.getMetadata().getAnnotations().get(TOUCHED));
		written.data(Map.of("plain", "value", "observed", observed));
		return written;
	}

	private V1ConfigMap configMap(String touched) {
		return new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
				.metadata(new V1ObjectMeta().namespace("ns").name("looping").resourceVersion(String.valueOf(version++))
						.annotations(Map.of(TOUCHED, touched)))
				.data(Map.of("plain", "value"));
	}
}
