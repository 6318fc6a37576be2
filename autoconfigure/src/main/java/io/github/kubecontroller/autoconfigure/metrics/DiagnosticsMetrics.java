package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What no peer measures: hot loops detected ({@code kube_controller_hot_loops_total}) and objects stuck on a
 * finalizer ({@code kube_controller_stuck_finalizers}), by controller.
 */
final class DiagnosticsMetrics {

	private final MeterRegistry registry;
	private final @Nullable HotLoopDetector hotLoops;
	private final @Nullable StuckFinalizers stuckFinalizers;

	DiagnosticsMetrics(MeterRegistry registry, @Nullable HotLoopDetector hotLoops,
			@Nullable StuckFinalizers stuckFinalizers) {
		this.registry = registry;
		this.hotLoops = hotLoops;
		this.stuckFinalizers = stuckFinalizers;
	}

	void bind(Controller<?> controller) {
		String name = controller.spec().name();
		if (hotLoops != null) {
			HotLoopDetector detector = hotLoops;
			FunctionCounter.builder("kube.controller.hot.loops", detector, d -> d.occurrences(name))
					.description("Objects warned about as reconciled in a loop (once per object per window)")
					.tag("controller", name)
					.register(registry);
		}
		if (stuckFinalizers != null && controller.spec().finalizer() != null) {
			StuckFinalizers stuck = stuckFinalizers;
			Gauge.builder("kube.controller.stuck.finalizers", controller, c -> stuck.count(c))
					.description("Objects deleted longer than the threshold that still carry the controller's finalizer")
					.tag("controller", name)
					.register(registry);
		}
	}
}
