package io.github.kubecontroller.autoconfigure.observation;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A {@code kube.reconcile} observation per reconcile whenever the application has an {@link ObservationRegistry}
 * (Spring Boot makes one with actuator): traces show each reconcile as a span.
 */
@AutoConfiguration(before = KubeControllerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class KubeControllerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReconcileObservations kubeReconcileObservations(ObservationRegistry registry) {
		return new ReconcileObservations(registry);
	}
}
