package io.github.kubecontroller.autoconfigure.rbac;

import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.rbac.PolicyRule;
import io.github.kubecontroller.runtime.rbac.RbacManifest;
import io.github.kubecontroller.runtime.rbac.RbacPolicy;
import io.kubernetes.client.openapi.ApiClient;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The RBAC rules of the application's controllers and their manifest, planned from the controllers' specs with
 * {@link RbacPolicy} and named after {@code kube.controller.rbac.*}. Each call asks API discovery again (from its
 * cache), so kinds installed since are resolved.
 */
public final class KubeControllersRbac {

	private final KubeControllers controllers;

	private final ResourceDiscovery discovery;

	private final ApiClient client;

	private final KubeControllerProperties.Rbac settings;

	private final String name;

	/**
	 * @param applicationName the default name of the roles ({@code spring.application.name}), or null
	 */
	public KubeControllersRbac(KubeControllers controllers, ResourceDiscovery discovery, ApiClient client,
			KubeControllerProperties.Rbac settings, @Nullable String applicationName) {
		this.controllers = Objects.requireNonNull(controllers, "controllers");
		this.discovery = Objects.requireNonNull(discovery, "discovery");
		this.client = Objects.requireNonNull(client, "client");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.name = firstSet(settings.getName(), applicationName, "kube-controller");
	}

	/** The rules the controllers need, with the configured extra rules. */
	public RbacPolicy policy() {
		RbacPolicy.Builder builder = RbacPolicy.builder(discovery, client).events(settings.isEvents());
		for (Controller<?> controller : controllers.controllers()) {
			builder.controller(controller.spec());
		}
		controllers.leaderElection()
			.ifPresent(elector -> builder.leaderElection(elector.settings().namespace()));
		controllers.sharding().ifPresent(coordinator -> builder.sharding(coordinator.settings().namespace()));
		int index = 0;
		for (KubeControllerProperties.Rbac.ExtraRule extra : settings.getExtraRules()) {
			String property = "kube.controller.rbac.extra-rules[" + index++ + "]";
			PolicyRule rule = rule(extra, property);
			if (extra.getNamespaces().isEmpty()) {
				builder.rule(null, rule, "added by " + property);
			}
			for (String namespace : extra.getNamespaces()) {
				builder.rule(namespace, rule, "added by " + property);
			}
		}
		return builder.build();
	}

	/** The manifest: ServiceAccount, ClusterRole, Roles and their bindings, as YAML. */
	public String yaml() {
		return manifest().yaml(policy());
	}

	/**
	 * The names the manifest uses.
	 *
	 * @throws IllegalArgumentException when one is not a valid Kubernetes name (checked here rather than at start-up,
	 * so that an application name such as "My Operator" fails only the manifest, naming the setting to give)
	 */
	public RbacManifest manifest() {
		try {
			return new RbacManifest(name, firstSet(settings.getServiceAccount(), name, name),
					settings.getServiceAccountNamespace());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(ex.getMessage() + "; set kube.controller.rbac.name,"
					+ " kube.controller.rbac.service-account or kube.controller.rbac.service-account-namespace", ex);
		}
	}

	private static PolicyRule rule(KubeControllerProperties.Rbac.ExtraRule extra, String property) {
		if (extra.getResources().isEmpty() || extra.getVerbs().isEmpty()) {
			throw new IllegalStateException(property + " needs resources and verbs");
		}
		// A bound empty value ("api-groups=") means the core group, as it does in a Role.
		return new PolicyRule(extra.getApiGroups().isEmpty() ? List.of("") : extra.getApiGroups(),
				extra.getResources(), extra.getVerbs());
	}

	private static String firstSet(@Nullable String first,
			@Nullable String second, String fallback) {
		if (first != null && !first.isBlank()) {
			return first;
		}
		return (second != null && !second.isBlank()) ? second : fallback;
	}
}
