package io.github.kubecontroller.autoconfigure.leader;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpointAutoConfiguration;
import io.github.kubecontroller.autoconfigure.health.KubeControllersHealthAutoConfiguration;
import io.github.kubecontroller.autoconfigure.metrics.KubeControllerMetricsAutoConfiguration;
import io.github.kubecontroller.runtime.leader.LeaderElector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * One instance (replica) of the operator under test: an application context with the controller auto-configuration,
 * the {@link WidgetStatusReconciler} and a meter registry of its own, as a real replica in its own pod would have.
 * Unlike an {@code ApplicationContextRunner}'s context, which ends with the block that uses it, an instance lives
 * until it is killed or closed, so that instances can come and go in any order during a test.
 */
final class OperatorInstance implements AutoCloseable {

	private final String identity;
	private final AnnotationConfigApplicationContext context;
	private final MeterRegistry registry;
	private final ReconcileRecorder recorder;

	private OperatorInstance(String identity, AnnotationConfigApplicationContext context, MeterRegistry registry,
			ReconcileRecorder recorder) {
		this.identity = identity;
		this.context = context;
		this.registry = registry;
		this.recorder = recorder;
	}

	/**
	 * Starts an instance with these properties (its leader election identity among them); returns once its caches
	 * have synced and its elector campaigns.
	 */
	static OperatorInstance start(String identity, ReconcileRecorder recorder, List<String> properties) {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		List<String> all = new ArrayList<>(properties);
		all.add("kube.controller.leader-election.identity=" + identity);
		all.add("kube.controller.sharding.identity=" + identity);
		TestPropertyValues.of(all).applyTo(context);
		context.registerBean(WidgetStatusReconciler.class, () -> new WidgetStatusReconciler(identity, recorder));
		context.registerBean(MeterRegistry.class, () -> registry);
		context.register(Configurations.getClasses(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
				KubeControllersEndpointAutoConfiguration.class, KubeControllersHealthAutoConfiguration.class,
				KubeControllerMetricsAutoConfiguration.class)));
		context.refresh();
		// Without the actuator nothing binds the MeterBinder beans: bind them as its post-processor would.
		context.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
		return new OperatorInstance(identity, context, registry, recorder);
	}

	String identity() {
		return identity;
	}

	KubeControllers controllers() {
		return context.getBean(KubeControllers.class);
	}

	LeaderElector elector() {
		return controllers().leaderElection().orElseThrow();
	}

	boolean leads() {
		return elector().role() == LeaderElector.Role.LEADER;
	}

	/** The shards this instance holds now, with sharding on. */
	List<Integer> heldShards() {
		return controllers().sharding().orElseThrow().heldShards();
	}

	/** What this instance's metrics and the recorder say about it now. */
	InstanceFigures figures() {
		return new InstanceFigures(identity, recorder.count(identity), requests("429"), requests("<error>"),
				requests("401"), functionCounters(registry.find("kube.controller.watch.restarts")),
				functionCounters(registry.find("kube.controller.relists").tag("reason", "expired")),
				functionCounters(registry.find("kube.controller.leader.transitions")),
				registry.find("leader.election.master.status").gauges().stream().mapToDouble(Gauge::value).sum(),
				functionCounters(registry.find("kube.controller.shard.moves").tag("direction", "acquired")),
				functionCounters(registry.find("kube.controller.shard.moves").tag("direction", "lost")));
	}

	private long requests(String code) {
		return (long) registry.find("rest.client.requests").tag("code", code).counters().stream()
				.mapToDouble(Counter::count).sum();
	}

	private static long functionCounters(Search search) {
		return (long) search.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
	}

	/**
	 * Kills the instance as its pod's termination would: the controllers stop (the reconciles in flight drain, then
	 * the Lease is released), then the context closes.
	 */
	void kill() {
		controllers().stop();
		close();
	}

	@Override
	public void close() {
		context.close();
	}

	/**
	 * One instance's figures.
	 *
	 * @param reconciles reconciles it ran, failed ones included
	 * @param throttled requests answered 429 ({@code rest_client_requests_total{code="429"}}), retries included
	 * @param connectionErrors requests without an answer ({@code code="<error>"})
	 * @param unauthorized requests answered 401
	 * @param watchRestarts {@code kube_controller_watch_restarts_total}
	 * @param expiredRelists {@code kube_controller_relists_total{reason="expired"}}
	 * @param transitions {@code kube_controller_leader_transitions_total}: times it became the leader
	 * @param leading {@code leader_election_master_status}
	 * @param shardsAcquired {@code kube_controller_shard_moves_total{direction="acquired"}}: shards it took
	 * @param shardsLost {@code kube_controller_shard_moves_total{direction="lost"}}: shards not renewed in time
	 */
	record InstanceFigures(String identity, long reconciles, long throttled, long connectionErrors, long unauthorized,
			long watchRestarts, long expiredRelists, long transitions, double leading, long shardsAcquired,
			long shardsLost) {

		@Override
		public String toString() {
			return String.format("%s: %d reconciles, became leader %d time(s), took %d shards, lost %d, %d 429s,"
					+ " %d <error>s, %d 401s, %d watch restarts, %d expired relists", identity, reconciles,
					transitions, shardsAcquired, shardsLost, throttled, connectionErrors, unauthorized, watchRestarts,
					expiredRelists);
		}
	}
}
