package io.github.kubecontroller.autoconfigure.dashboard;

import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpoint;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpointAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard: a page at {@code kube.controller.dashboard.path} ({@code /kubecontrollers}) that shows every
 * controller live by reading the {@code kubecontrollers} actuator endpoint every two seconds. It is served when
 * {@code kube.controller.dashboard.enabled=true} in a Spring MVC application whose endpoint is exposed over HTTP;
 * with the property on and the endpoint not exposed, one WARN says how to expose it.
 */
@AutoConfiguration(after = KubeControllersEndpointAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { "org.springframework.web.servlet.function.RouterFunction",
		"org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBooleanProperty("kube.controller.dashboard.enabled")
@ConditionalOnBean(KubeControllers.class)
public final class KubeControllersDashboardAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(KubeControllersDashboardAutoConfiguration.class);

	// As in the endpoint's configuration, the actuator's conditions sit on methods: the class guard above is
	// evaluated first, by name, so an application without the actuator gets no dashboard instead of a failure.
	@Bean
	@ConditionalOnBean(KubeControllersEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = KubeControllersEndpoint.class, exposure = EndpointExposure.WEB)
	RouterFunction<ServerResponse> kubeControllersDashboard(KubeControllerProperties properties,
			ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		if (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
			log.warn("The kube controllers dashboard at {} is served on the application's port, but the actuator "
					+ "listens on management.server.port: the page cannot read the kubecontrollers endpoint unless "
					+ "a proxy serves both under one origin", properties.getDashboard().getPath());
		}
		DashboardPage page = DashboardPage.load(new EndpointPath(endpoints, environment));
		return RouterFunctions.route().GET(properties.getDashboard().getPath(), page::render).build();
	}

	@Bean
	@Conditional(EndpointNotExposed.class)
	EndpointNotExposedWarning kubeControllersDashboardEndpointNotExposedWarning() {
		return new EndpointNotExposedWarning();
	}

	/** Matches when the {@code kubecontrollers} endpoint is not available over HTTP. */
	static final class EndpointNotExposed extends NoneNestedConditions {

		EndpointNotExposed() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnAvailableEndpoint(endpoint = KubeControllersEndpoint.class, exposure = EndpointExposure.WEB)
		static final class Exposed {
		}
	}
}
