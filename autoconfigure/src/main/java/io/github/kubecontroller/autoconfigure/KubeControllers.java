package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.controller.Controller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's controllers, started and stopped with the application context. Start-up opens every watch,
 * waits until every cache has synced (failing the start-up with the reason when one does not sync in time), then
 * starts the workers. Stopping lets reconciles in flight finish within the grace period. With
 * {@code kube.controller.auto-startup=false} they are not started with the context (their specs can still be read,
 * for instance to export their RBAC rules); {@link #start()} starts them.
 */
public final class KubeControllers implements SmartLifecycle {

	/**
	 * Started after the web server (so health probes answer while caches sync) and stopped before it.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Logger log = LoggerFactory.getLogger(KubeControllers.class);

	private final List<Controller<?>> controllers;
	private final Duration shutdownGracePeriod;
	private final boolean autoStartup;
	private volatile boolean running;

	KubeControllers(List<Controller<?>> controllers, Duration shutdownGracePeriod, boolean autoStartup) {
		this.controllers = List.copyOf(controllers);
		this.shutdownGracePeriod = shutdownGracePeriod;
		this.autoStartup = autoStartup;
	}

	/** Every controller of the application. */
	public List<Controller<?>> controllers() {
		return controllers;
	}

	/** The controller with this name. */
	public Optional<Controller<?>> controller(String name) {
		return controllers.stream().filter(controller -> controller.spec().name().equals(name)).findFirst();
	}

	/** Whether every controller's caches have synced. */
	public boolean cachesSynced() {
		return controllers.stream().allMatch(Controller::cachesSynced);
	}

	@Override
	public void start() {
		List<Controller<?>> started = new ArrayList<>();
		try {
			// Open every watch first so the caches of all controllers fill in parallel.
			for (Controller<?> controller : controllers) {
				controller.start();
				started.add(controller);
			}
			for (Controller<?> controller : controllers) {
				controller.awaitCachesSynced();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			stopAll(started);
			throw new IllegalStateException("Interrupted while waiting for the controllers' caches to sync", e);
		} catch (RuntimeException e) {
			stopAll(started);
			throw e;
		}
		controllers.forEach(Controller::startWorkers);
		running = true;
		if (!controllers.isEmpty()) {
			log.info("{} controller(s) running: {}", controllers.size(),
					controllers.stream().map(controller -> controller.spec().name()).toList());
		}
	}

	@Override
	public void stop() {
		running = false;
		stopAll(controllers);
	}

	private void stopAll(List<Controller<?>> toStop) {
		// Stop in parallel so the grace period is shared, not multiplied by the number of controllers.
		List<Thread> stoppers = new ArrayList<>();
		for (Controller<?> controller : toStop) {
			Thread stopper = new Thread(() -> controller.stop(shutdownGracePeriod),
					"kube-controller-stop-" + controller.spec().name());
			stoppers.add(stopper);
			stopper.start();
		}
		for (Thread stopper : stoppers) {
			try {
				stopper.join();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isAutoStartup() {
		return autoStartup;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}
}
