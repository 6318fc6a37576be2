package io.github.kubecontroller.autoconfigure.health;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.WatchHealth;
import io.github.kubecontroller.runtime.informer.WatchState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP once every controller runs with synced caches; DOWN while caches sync, when a controller failed, or when a watch
 * has been failing for longer than a tolerance (a stale cache). Meant for the readiness group: it depends on the API
 * server, so keep it out of liveness.
 */
public class KubeControllersHealthIndicator extends AbstractHealthIndicator {

	private final KubeControllers controllers;
	private final Duration unhealthyWatchAfter;

	public KubeControllersHealthIndicator(KubeControllers controllers, Duration unhealthyWatchAfter) {
		super("Kubernetes controllers health check failed");
		this.controllers = controllers;
		this.unhealthyWatchAfter = unhealthyWatchAfter;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = controllers.isRunning();
		Instant now = Instant.now();
		for (Controller<?> controller : controllers.controllers()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", controller.state().name());
			details.put("cachesSynced", controller.cachesSynced());
			Map<String, Object> watches = new LinkedHashMap<>();
			for (Informer<?> informer : controller.informers()) {
				WatchHealth health = informer.health();
				Map<String, Object> watch = new LinkedHashMap<>();
				watch.put("state", health.state().name());
				watch.put("synced", health.synced());
				if (health.lastError() != null) {
					watch.put("lastError", health.lastError());
				}
				watches.put(informer.spec().toString(), watch);
				// Failing since longer than the tolerance: the cache may be stale.
				up &= !(health.state() == WatchState.BACKING_OFF && health.since() != null
						&& health.since().plus(unhealthyWatchAfter).isBefore(now));
			}
			details.put("watches", watches);
			builder.withDetail(controller.spec().name(), details);
			// A follower of leader election stands by with warm caches: ready to take over, so ready.
			up &= (controller.state() == Controller.State.RUNNING || controller.state() == Controller.State.STANDBY)
					&& controller.cachesSynced();
		}
		controllers.leaderElection().ifPresent(elector -> builder.withDetail("leaderElection",
				Map.of("identity", elector.settings().identity(), "role", elector.role().name(),
						"leader", String.valueOf(elector.leader()))));
		// Every instance runs its workers with sharding, whether it holds shards now or not: ready either way.
		controllers.sharding().ifPresent(coordinator -> builder.withDetail("sharding",
				Map.of("identity", coordinator.settings().identity(), "held", coordinator.heldShards(),
						"members", coordinator.members())));
		if (up) {
			builder.up();
		} else {
			builder.down();
		}
	}
}
