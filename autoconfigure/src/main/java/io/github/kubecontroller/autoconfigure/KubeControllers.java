package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.leader.LeaderElectionSettings;
import io.github.kubecontroller.runtime.leader.LeaderElector;
import io.github.kubecontroller.runtime.shard.ShardCoordinator;
import io.github.kubecontroller.runtime.shard.ShardingSettings;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's controllers, started and stopped with the application context. Start-up opens every watch,
 * waits until every cache has synced (failing the start-up with the reason when one does not sync in time), then
 * starts the workers. Stopping lets reconciles in flight finish within the grace period. With
 * {@code kube.controller.auto-startup=false} they are not started with the context (their specs can still be read,
 * for instance to export their RBAC rules); {@link #start()} starts them.
 *
 * <p>With leader election, every instance opens its watches and syncs its caches, then stands by: only the instance
 * holding the Lease runs workers. One that loses the Lease stops taking keys at once, gives the reconciles in flight
 * half the margin between the renew deadline and the lease duration (then interrupts them), and campaigns again;
 * stopping drains the reconciles in flight before the Lease is released, so that a successor starts at once and
 * never beside them.
 *
 * <p>With sharding, every instance opens its watches, syncs its caches and runs its workers, which reconcile only
 * the objects of the shards this instance holds; stopping drains the reconciles in flight, then releases the
 * shards so that the other instances take them over at once.
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
	private final @Nullable LeaderElector elector;
	private final @Nullable ShardCoordinator coordinator;
	private volatile boolean running;

	KubeControllers(List<Controller<?>> controllers, Duration shutdownGracePeriod, boolean autoStartup,
			@Nullable ApiClient client, @Nullable LeaderElectionSettings leaderElection,
			@Nullable ShardingSettings sharding) {
		this.controllers = List.copyOf(controllers);
		this.shutdownGracePeriod = shutdownGracePeriod;
		this.autoStartup = autoStartup;
		this.elector = (leaderElection == null || client == null) ? null
				: new LeaderElector(client, leaderElection, new Leadership(leaderElection));
		// Made now, so that the controllers are gated before anything can start their workers.
		this.coordinator = (sharding == null || client == null) ? null
				: new ShardCoordinator(client, sharding, this.controllers);
	}

	/** The leader election of these controllers, when it is on. */
	public Optional<LeaderElector> leaderElection() {
		return Optional.ofNullable(elector);
	}

	/** The sharding of these controllers' objects among the application's instances, when it is on. */
	public Optional<ShardCoordinator> sharding() {
		return Optional.ofNullable(coordinator);
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
		if (elector != null) {
			try {
				elector.checkAccess();
			} catch (RuntimeException e) {
				stopAll(controllers);
				throw e;
			}
			controllers.forEach(controller -> controller.standBy(Duration.ZERO));
			running = true;
			elector.start();
			log.info("{} controller(s) synced and standing by until this instance ({}) leads: {}", controllers.size(),
					elector.settings().identity(), names());
			return;
		}
		if (coordinator != null) {
			try {
				coordinator.checkAccess();
			} catch (RuntimeException e) {
				stopAll(controllers);
				throw e;
			}
			controllers.forEach(Controller::startWorkers); // gated: they reconcile nothing before a shard is held
			running = true;
			coordinator.start();
			log.info("{} controller(s) synced and running on the shards this instance ({}) holds: {}",
					controllers.size(), coordinator.settings().identity(), names());
			return;
		}
		controllers.forEach(Controller::startWorkers);
		running = true;
		if (!controllers.isEmpty()) {
			log.info("{} controller(s) running: {}", controllers.size(), names());
		}
	}

	private List<String> names() {
		return controllers.stream().map(controller -> controller.spec().name()).toList();
	}

	@Override
	public void stop() {
		running = false;
		// The reconciles in flight end before the Lease is released: a successor never runs beside them.
		stopAll(controllers);
		if (elector != null) {
			elector.close();
		}
		if (coordinator != null) {
			coordinator.close();
		}
	}

	/** Starts the workers when this instance leads, stands them by when it stops leading. */
	private final class Leadership implements LeaderElector.Listener {

		private final Duration handoverGrace;

		Leadership(LeaderElectionSettings settings) {
			// The leader stops at the renew deadline; nobody else starts before the lease duration: in-flight
			// reconciles get half of that margin.
			this.handoverGrace = settings.leaseDuration().minus(settings.renewDeadline()).dividedBy(2);
		}

		@Override
		public void startedLeading() {
			for (Controller<?> controller : controllers) {
				try {
					controller.startWorkers();
				} catch (IllegalStateException e) {
					log.debug("Controller '{}' not started on leading: {}", controller.spec().name(), e.getMessage());
				}
			}
			log.info("Leading: {} controller(s) running: {}", controllers.size(), names());
		}

		@Override
		public void stoppedLeading() {
			List<Thread> standing = new ArrayList<>();
			for (Controller<?> controller : controllers) {
				Thread thread = new Thread(() -> controller.standBy(handoverGrace),
						"kube-controller-standby-" + controller.spec().name());
				standing.add(thread);
				thread.start();
			}
			for (Thread thread : standing) {
				try {
					thread.join();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		@Override
		public void leaderChanged(@Nullable String identity) {
			log.info("Leader of {}: {}", elector == null ? "" : elector.settings().name(),
					(identity == null) ? "none" : identity);
		}
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
