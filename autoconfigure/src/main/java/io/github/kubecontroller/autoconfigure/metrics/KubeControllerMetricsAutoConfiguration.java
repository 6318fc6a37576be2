package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizers;
import io.github.kubecontroller.runtime.leader.LeaderElector;
import io.github.kubecontroller.runtime.shard.ShardCoordinator;
import io.github.kubecontroller.runtime.client.ClientRateLimit;
import io.kubernetes.client.openapi.ApiClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of the controllers when the application has a {@link MeterRegistry}: controller-runtime's
 * reconcile, work queue and REST client metrics under the same Prometheus names, the informers' cache and watch
 * health, and API request times by resource. No meter is tagged with an object's name or namespace.
 */
@AutoConfiguration(after = KubeControllerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, ApiClient.class })
@ConditionalOnBean(MeterRegistry.class)
public final class KubeControllerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ControllerMetrics kubeControllerMetrics(MeterRegistry registry) {
		return new ControllerMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	InformerMetrics kubeInformerMetrics(MeterRegistry registry) {
		return new InformerMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	ApiRequestMetrics kubeApiRequestMetrics(MeterRegistry registry) {
		return new ApiRequestMetrics(registry);
	}

	@Bean
	ControllerMetersBinding kubeControllerMetersBinding(ObjectProvider<KubeControllers> controllers,
			ControllerMetrics controllerMetrics, InformerMetrics informerMetrics, MeterRegistry registry,
			ObjectProvider<HotLoopDetector> hotLoops, ObjectProvider<StuckFinalizers> stuckFinalizers) {
		return new ControllerMetersBinding(controllers, controllerMetrics, informerMetrics,
				new DiagnosticsMetrics(registry, hotLoops.getIfAvailable(), stuckFinalizers.getIfAvailable()));
	}

	/**
	 * The time requests waited for the client-side rate limit ({@code kube.controller.client.qps}), when one is
	 * set: a limit set too low shows as waits growing with the load.
	 */
	@Bean
	MeterBinder kubeClientRateLimitMetrics(ObjectProvider<ApiClient> clients) {
		return (registry) -> clients.orderedStream().map(ClientRateLimit::of).flatMap(Optional::stream).findFirst()
			.ifPresent((limit) -> {
				FunctionCounter.builder("kube.controller.client.rate.limit.wait.seconds", limit,
						(l) -> l.waited().toNanos() / 1e9)
					.description("Time API requests waited for the client-side rate limit")
					.register(registry);
				FunctionCounter.builder("kube.controller.client.rate.limit.waits", limit, ClientRateLimit::waits)
					.description("API requests that waited for the client-side rate limit")
					.register(registry);
			});
	}

	/**
	 * Leader election as client-go reports it ({@code leader_election_master_status{name}}: 1 while this instance
	 * leads), and how many times this instance became the leader.
	 */
	@Bean
	MeterBinder kubeLeaderElectionMetrics(ObjectProvider<KubeControllers> controllers) {
		return (registry) -> controllers.ifAvailable((all) -> all.leaderElection().ifPresent((elector) -> {
			Gauge.builder("leader.election.master.status", elector,
					(e) -> (e.role() == LeaderElector.Role.LEADER) ? 1 : 0)
				.description("Whether this instance leads: 1 while it holds the Lease")
				.tag("name", elector.settings().name())
				.register(registry);
			FunctionCounter.builder("kube.controller.leader.transitions", elector, LeaderElector::transitions)
				.description("Times this instance became the leader")
				.tag("name", elector.settings().name())
				.register(registry);
		}));
	}

	/**
	 * Sharding: how many shards this instance holds ({@code kube_controller_shards_held{name}}) and how many moved
	 * to or from it ({@code kube_controller_shard_moves_total{name,direction=acquired|released|lost}}). The shard
	 * index is no tag: the logs and the endpoint name the shards, and a tag per shard would multiply the series by
	 * the shard count for what a rate of moves already tells.
	 */
	@Bean
	MeterBinder kubeShardingMetrics(ObjectProvider<KubeControllers> controllers) {
		return (registry) -> controllers.ifAvailable((all) -> all.sharding().ifPresent((coordinator) -> {
			String name = coordinator.settings().name();
			Gauge.builder("kube.controller.shards.held", coordinator, (c) -> c.heldShards().size())
				.description("Shards this instance holds and reconciles the objects of")
				.tag("name", name)
				.register(registry);
			FunctionCounter.builder("kube.controller.shard.moves", coordinator, ShardCoordinator::acquired)
				.description("Shards that moved to or from this instance")
				.tags("name", name, "direction", "acquired")
				.register(registry);
			FunctionCounter.builder("kube.controller.shard.moves", coordinator, ShardCoordinator::released)
				.description("Shards that moved to or from this instance")
				.tags("name", name, "direction", "released")
				.register(registry);
			FunctionCounter.builder("kube.controller.shard.moves", coordinator, ShardCoordinator::lost)
				.description("Shards that moved to or from this instance")
				.tags("name", name, "direction", "lost")
				.register(registry);
		}));
	}

	// Static, so that the post-processor is created without this configuration and before the ApiClient bean.
	@Bean
	static ApiClientMetricsPostProcessor kubeApiClientMetricsPostProcessor(ObjectProvider<ApiRequestMetrics> metrics) {
		return new ApiClientMetricsPostProcessor(metrics);
	}
}
