package io.github.kubecontroller.autoconfigure.health;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN when a controller cannot make progress: every one of its workers has been on the same reconcile for longer
 * than twice its reconcile timeout (15 minutes when it has none). It never calls the API server, so it is safe in
 * the liveness group: a restart is the cure for workers wedged for good.
 */
public class KubeControllersWorkersHealthIndicator extends AbstractHealthIndicator {

	static final Duration STUCK_WITHOUT_TIMEOUT = Duration.ofMinutes(15);

	private final KubeControllers controllers;

	public KubeControllersWorkersHealthIndicator(KubeControllers controllers) {
		super("Kubernetes controller workers health check failed");
		this.controllers = controllers;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = true;
		Instant now = Instant.now();
		for (Controller<?> controller : controllers.controllers()) {
			Duration stuckAfter = controller.spec().reconcileTimeout().isZero() ? STUCK_WITHOUT_TIMEOUT
					: controller.spec().reconcileTimeout().multipliedBy(2);
			Map<?, Instant> inFlight = controller.reconcilesInFlight();
			long stuck = inFlight.values().stream().filter(since -> since.plus(stuckAfter).isBefore(now)).count();
			boolean wedged = controller.state() == Controller.State.RUNNING && stuck >= controller.spec().concurrency();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("workers", controller.spec().concurrency());
			details.put("busy", inFlight.size());
			details.put("stuckLongerThan" + stuckAfter.toMinutes() + "m", stuck);
			builder.withDetail(controller.spec().name(), details);
			up &= !wedged;
		}
		if (up) {
			builder.up();
		} else {
			builder.down();
		}
	}
}
