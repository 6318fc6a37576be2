package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.informer.Informer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Creates the meters of every controller and its informers as soon as the controller opened its watches (an informer
 * exists only from then on), so that they are there, at 0, while the caches sync. Each controller and each informer
 * (informers are shared between controllers) is bound once: Micrometer warns about a gauge registered twice.
 */
final class ControllerMetersBinding implements SmartLifecycle, ControllerObserver {

	private final ObjectProvider<KubeControllers> controllers;
	private final ControllerMetrics controllerMetrics;
	private final InformerMetrics informerMetrics;
	private final DiagnosticsMetrics diagnosticsMetrics;
	private final Set<Controller<?>> boundControllers = ConcurrentHashMap.newKeySet();
	private final Set<Informer<?>> boundInformers = ConcurrentHashMap.newKeySet();
	private volatile boolean running;

	ControllerMetersBinding(ObjectProvider<KubeControllers> controllers, ControllerMetrics controllerMetrics,
			InformerMetrics informerMetrics, DiagnosticsMetrics diagnosticsMetrics) {
		this.controllers = controllers;
		this.controllerMetrics = controllerMetrics;
		this.informerMetrics = informerMetrics;
		this.diagnosticsMetrics = diagnosticsMetrics;
	}

	/** Meters exist as soon as a controller opened its watches, so a slow cache sync is visible too. */
	@Override
	public void controllerStarted(Controller<?> controller) {
		bind(controller);
	}

	@Override
	public void start() {
		// Covers controllers started before this observer existed; those seen at controllerStarted are skipped.
		controllers.ifAvailable((all) -> all.controllers().forEach(this::bind));
		running = true;
	}

	private void bind(Controller<?> controller) {
		if (boundControllers.add(controller)) {
			controllerMetrics.bind(controller);
			diagnosticsMetrics.bind(controller);
		}
		for (Informer<?> informer : controller.informers()) {
			if (boundInformers.add(informer)) {
				informerMetrics.bind(informer);
			}
		}
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
