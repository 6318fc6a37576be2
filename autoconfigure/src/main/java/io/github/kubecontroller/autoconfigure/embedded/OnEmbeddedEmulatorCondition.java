package io.github.kubecontroller.autoconfigure.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code kube.controller.embedded.enabled} is true, or when it is not set and nothing points at a
 * cluster: no {@code kube.controller.client.master-url} or {@code .kubeconfig}, no {@code KUBECONFIG}, no
 * {@code ~/.kube/config}, and not running in a pod.
 */
class OnEmbeddedEmulatorCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		Boolean enabled = environment.getProperty("kube.controller.embedded.enabled", Boolean.class);
		if (enabled != null) {
			return enabled ? ConditionOutcome.match("kube.controller.embedded.enabled is true")
					: ConditionOutcome.noMatch("kube.controller.embedded.enabled is false");
		}
		if (environment.containsProperty("kube.controller.client.master-url")
				|| environment.containsProperty("kube.controller.client.kubeconfig")) {
			return ConditionOutcome.noMatch("a cluster is configured with kube.controller.client.*");
		}
		if (hasText(environment.getProperty("KUBECONFIG"))) {
			return ConditionOutcome.noMatch("KUBECONFIG is set");
		}
		if (hasText(environment.getProperty("KUBERNETES_SERVICE_HOST"))) {
			return ConditionOutcome.noMatch("running in a pod");
		}
		String home = environment.getProperty("user.home");
		if (home != null && Files.isRegularFile(Path.of(home, ".kube", "config"))) {
			return ConditionOutcome.noMatch("~/.kube/config exists");
		}
		return ConditionOutcome.match("no cluster is configured");
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}
}
