package io.github.kubecontroller.autoconfigure.rbac;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The RBAC rules of the application's controllers ({@link KubeControllersRbac}), and, when Spring Boot Actuator is
 * present and the endpoint exposed, the {@code kuberbac} endpoint that serves them as YAML. Names come from
 * {@code kube.controller.rbac.*}.
 */
@AutoConfiguration(after = KubeControllerAutoConfiguration.class)
@ConditionalOnBean(KubeControllers.class)
public final class KubeControllerRbacAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KubeControllersRbac kubeControllersRbac(KubeControllers controllers, ResourceDiscovery discovery, ApiClient client,
			KubeControllerProperties properties, Environment environment) {
		return new KubeControllersRbac(controllers, discovery, client, properties.getRbac(),
				environment.getProperty("spring.application.name"));
	}

	// As for the kubecontrollers endpoint: the class guard names its classes as strings and the availability
	// condition sits on the method, so that an application without the actuator does not fail on them.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		KubeRbacEndpoint kubeRbacEndpoint(KubeControllersRbac rbac) {
			return new KubeRbacEndpoint(rbac);
		}
	}
}
