package io.github.kubecontroller.autoconfigure.endpoint;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.RecentErrors;
import io.github.kubecontroller.runtime.diagnostics.ReconcileCounts;
import io.github.kubecontroller.runtime.diagnostics.RunningReconciles;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizers;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Diagnostics of the controllers (recent errors, running reconciles, reconcile counts, hot-loop warnings, stuck
 * finalizers) and, when
 * Spring Boot Actuator is present and the endpoint is exposed, the {@code kubecontrollers} endpoint that shows them.
 *
 * <p>The diagnostics need no actuator: the hot-loop WARN is worth having in every application, and metrics read the
 * same beans. So they are registered whenever the controllers are, and only the endpoint waits for the actuator.
 * Thresholds come from {@code kube.controller.diagnostics.*}.
 */
@AutoConfiguration(after = KubeControllerAutoConfiguration.class)
@ConditionalOnBean(KubeControllers.class)
public final class KubeControllersEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecentErrors kubeControllersRecentErrors(KubeControllerProperties properties) {
		return new RecentErrors(properties.getDiagnostics().getRecentErrors(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	RunningReconciles kubeControllersRunningReconciles() {
		return new RunningReconciles();
	}

	@Bean
	@ConditionalOnMissingBean
	ReconcileCounts kubeControllersReconcileCounts() {
		return new ReconcileCounts();
	}

	@Bean
	@ConditionalOnMissingBean
	HotLoopDetector kubeControllersHotLoopDetector(KubeControllerProperties properties) {
		KubeControllerProperties.Diagnostics diagnostics = properties.getDiagnostics();
		return new HotLoopDetector(diagnostics.getHotLoopThreshold(), diagnostics.getHotLoopWindow(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	StuckFinalizers kubeControllersStuckFinalizers(RecentErrors errors, KubeControllerProperties properties) {
		return new StuckFinalizers(errors, properties.getDiagnostics().getStuckFinalizerAfter(), Clock.systemUTC());
	}

	// The class guard names its classes as strings and the availability condition sits on the method: every
	// condition class on one element is loaded before any is evaluated, so without the actuator a class-level
	// @ConditionalOnAvailableEndpoint would fail instead of not matching.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	@EnableConfigurationProperties(KubeControllersEndpointProperties.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		KubeControllersEndpoint kubeControllersEndpoint(KubeControllers controllers, RecentErrors errors,
				RunningReconciles running, HotLoopDetector hotLoops, StuckFinalizers stuckFinalizers,
				ReconcileCounts counts, KubeControllersEndpointProperties properties) {
			return new KubeControllersEndpoint(controllers, errors, running, hotLoops, stuckFinalizers, counts,
					properties.getRequeue().isEnabled());
		}
	}
}
