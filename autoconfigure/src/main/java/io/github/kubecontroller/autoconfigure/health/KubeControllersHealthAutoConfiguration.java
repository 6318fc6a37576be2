package io.github.kubecontroller.autoconfigure.health;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health of the application's controllers when Spring Boot's health support is present: {@code kubeControllers}
 * (caches synced, for readiness) and {@code kubeControllersWorkers} (workers not wedged, for liveness). Disable both
 * with {@code management.health.kubecontrollers.enabled=false}.
 */
@AutoConfiguration(after = KubeControllerAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(KubeControllers.class)
@ConditionalOnEnabledHealthIndicator("kubecontrollers")
public final class KubeControllersHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "kubeControllersHealthIndicator")
	KubeControllersHealthIndicator kubeControllersHealthIndicator(KubeControllers controllers,
			KubeControllerProperties properties) {
		return new KubeControllersHealthIndicator(controllers, properties.getDiagnostics().getUnhealthyWatchAfter());
	}

	@Bean
	@ConditionalOnMissingBean(name = "kubeControllersWorkersHealthIndicator")
	KubeControllersWorkersHealthIndicator kubeControllersWorkersHealthIndicator(KubeControllers controllers) {
		return new KubeControllersWorkersHealthIndicator(controllers);
	}
}
