package io.github.kubecontroller.autoconfigure.endpoint;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code kubecontrollers} endpoint beyond Spring Boot's own {@code access} and {@code cache}.
 */
@ConfigurationProperties("management.endpoint.kubecontrollers")
public class KubeControllersEndpointProperties {

	private final Requeue requeue = new Requeue();

	public Requeue getRequeue() {
		return requeue;
	}

	/** The write operation that queues one object for a reconcile. */
	public static class Requeue {

		/** Whether the endpoint may queue an object for a reconcile. Off by default: it is a write. */
		private boolean enabled;

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}
	}
}
