package io.github.kubecontroller.autoconfigure.observation;

import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One Micrometer {@link Observation} named {@code kube.reconcile} per reconcile, which becomes a span with a tracing
 * bridge and a timer with a meter handler. Low-cardinality keys: {@code controller}, {@code result}; high-cardinality:
 * {@code object.ref} ({@code Kind/namespace/name}) and {@code reason}.
 */
public final class ReconcileObservations implements ControllerObserver {

	/** The observation's name. */
	public static final String NAME = "kube.reconcile";

	// A reconcile starts and ends on the same worker thread.
	private final ThreadLocal<Observation> current = new ThreadLocal<>();
	private final ObservationRegistry registry;
	// The kind of each controller's primary type by controller name (names are unique), found once: a reconcile
	// must not pay an annotation lookup and a regular expression each time.
	private final Map<String, String> kinds = new ConcurrentHashMap<>();

	public ReconcileObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void reconcileStarted(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason) {
		if (registry.isNoop()) {
			return;
		}
		Observation previous = current.get();
		if (previous != null) {
			// The previous reconcile on this thread ended without a report (the controller stopped during it).
			previous.stop();
		}
		Observation observation = Observation.createNotStarted(NAME, registry)
				.contextualName("reconcile " + spec.name())
				.lowCardinalityKeyValue("controller", spec.name())
				.highCardinalityKeyValue("object.ref", kinds.computeIfAbsent(spec.name(), name -> kindOf(spec)) + "/" + key)
				.highCardinalityKeyValue("reason", reason.description())
				.start();
		current.set(observation);
	}

	@Override
	public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
			ReconcileOutcome outcome, Duration duration, @Nullable Throwable error, @Nullable Duration nextAttemptIn) {
		Observation observation = current.get();
		current.remove();
		if (observation == null) {
			return;
		}
		observation.lowCardinalityKeyValue("result", outcome.resultLabel());
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	private static String kindOf(ControllerSpec<?> spec) {
		if (spec.primary().kind() != null) {
			return spec.primary().kind();
		}
		KubernetesResource resource = spec.primary().javaType().getAnnotation(KubernetesResource.class);
		if (resource != null) {
			return resource.kind();
		}
		// client-java models are named after their kind behind a version prefix: V1ConfigMap, V2HorizontalPodAutoscaler.
		return spec.primary().javaType().getSimpleName().replaceFirst("^V\\d+(alpha\\d+|beta\\d+)?(?=[A-Z])", "");
	}
}
