package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.informer.Informer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Creates the meters of every controller and informer once the controllers have started: an informer exists only
 * after its controller opened its watches. Meters fed by the observer hooks may already exist by then; creating
 * them again returns the same meters.
 */
final class ControllerMetersBinding implements SmartLifecycle {

	private final ObjectProvider<KubeControllers> controllers;
	private final ControllerMetrics controllerMetrics;
	private final InformerMetrics informerMetrics;
	private final DiagnosticsMetrics diagnosticsMetrics;
	private volatile boolean running;

	ControllerMetersBinding(ObjectProvider<KubeControllers> controllers, ControllerMetrics controllerMetrics,
			InformerMetrics informerMetrics, DiagnosticsMetrics diagnosticsMetrics) {
		this.controllers = controllers;
		this.controllerMetrics = controllerMetrics;
		this.informerMetrics = informerMetrics;
		this.diagnosticsMetrics = diagnosticsMetrics;
	}

	@Override
	public void start() {
		controllers.ifAvailable((all) -> {
			for (Controller<?> controller : all.controllers()) {
				controllerMetrics.bind(controller);
				diagnosticsMetrics.bind(controller);
				for (Informer<?> informer : controller.informers()) {
					informerMetrics.bind(informer);
				}
			}
		});
		running = true;
	}

	@Override
	public void stop() {
		// The meters stay: their last values remain readable while the application shuts down.
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Right after the controllers, whose start returns once their caches have synced. */
	@Override
	public int getPhase() {
		return KubeControllers.PHASE + 1;
	}
}
