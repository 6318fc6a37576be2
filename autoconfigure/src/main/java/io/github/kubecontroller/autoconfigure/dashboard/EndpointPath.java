package io.github.kubecontroller.autoconfigure.dashboard;

import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The path of the {@code kubecontrollers} endpoint under the servlet context, such as
 * {@code /actuator/kubecontrollers}: as the actuator mapped it, which covers {@code management.endpoints.web.base-path}
 * and {@code management.endpoints.web.path-mapping.kubecontrollers}, or as those properties say when the actuator's
 * web mapping is not there to ask.
 */
final class EndpointPath implements Supplier<String> {

	static final EndpointId ENDPOINT = EndpointId.of("kubecontrollers");

	private final ObjectProvider<PathMappedEndpoints> endpoints;
	private final Environment environment;

	EndpointPath(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		this.endpoints = endpoints;
		this.environment = environment;
	}

	@Override
	public String get() {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String path = mapped == null ? null : mapped.getPath(ENDPOINT);
		return path != null ? path : fromProperties();
	}

	private String fromProperties() {
		WebEndpointProperties web = Binder.get(environment)
				.bind("management.endpoints.web", WebEndpointProperties.class)
				.orElseGet(WebEndpointProperties::new);
		String mapping = web.getPathMapping().getOrDefault(ENDPOINT.toString(), ENDPOINT.toString());
		return web.getBasePath() + "/" + mapping;
	}
}
