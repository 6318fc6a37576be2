package io.github.kubecontroller.runtime.rbac;

import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Yaml;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes an {@link RbacPolicy} as YAML for {@code kubectl apply -f}: the ServiceAccount, the ClusterRole and its
 * ClusterRoleBinding (when any rule is cluster-wide), and a Role and RoleBinding in each namespace that needs one,
 * all named {@code name} and bound to the ServiceAccount. Every Role is preceded by comments saying which controller
 * needs each rule and why. The same policy always gives the same text, so it can be committed and diffed.
 *
 * @param name the name of the roles and bindings
 * @param serviceAccount the name of the ServiceAccount the application runs as
 * @param serviceAccountNamespace the ServiceAccount's namespace
 */
public record RbacManifest(String name, String serviceAccount, String serviceAccountNamespace) {

	private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

	private static final String RBAC_VERSION = RBAC_GROUP + "/v1";

	// A DNS subdomain, as the API server requires of these names.
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

	public RbacManifest {
		requireName(name, "name");
		requireName(serviceAccount, "serviceAccount");
		requireName(serviceAccountNamespace, "serviceAccountNamespace");
	}

	/** The YAML documents, separated by {@code ---}. */
	public String yaml(RbacPolicy policy) {
		Objects.requireNonNull(policy, "policy");
		StringBuilder out = new StringBuilder();
		out.append("# RBAC of ").append(name).append(", generated from its controllers: the rules the runtime needs"
				+ " for them.\n# Reads and writes a reconciler makes on its own (kinds it neither owns nor watches)"
				+ " need rules of their own.\n");
		document(out, serviceAccountModel());
		List<PolicyRule> clusterRules = policy.clusterRules();
		if (!clusterRules.isEmpty()) {
			out.append("---\n# ClusterRole ").append(name).append(": every namespace and cluster-scoped kinds.\n");
			comments(out, policy, null, clusterRules);
			out.append(dump(new V1ClusterRole().apiVersion(RBAC_VERSION).kind("ClusterRole").metadata(metadata(null))
				.rules(clusterRules.stream().map(RbacManifest::model).toList())));
			document(out, new V1ClusterRoleBinding().apiVersion(RBAC_VERSION).kind("ClusterRoleBinding")
				.metadata(metadata(null))
				.roleRef(new V1RoleRef().apiGroup(RBAC_GROUP).kind("ClusterRole").name(name))
				.subjects(List.of(subject())));
		}
		policy.namespaceRules().forEach((namespace, rules) -> {
			out.append("---\n# Role ").append(name).append(" in namespace ").append(namespace).append(".\n");
			comments(out, policy, namespace, rules);
			out.append(dump(new V1Role().apiVersion(RBAC_VERSION).kind("Role").metadata(metadata(namespace))
				.rules(rules.stream().map(RbacManifest::model).toList())));
			document(out, new V1RoleBinding().apiVersion(RBAC_VERSION).kind("RoleBinding")
				.metadata(metadata(namespace))
				.roleRef(new V1RoleRef().apiGroup(RBAC_GROUP).kind("Role").name(name))
				.subjects(List.of(subject())));
		});
		return out.toString();
	}

	private V1ServiceAccount serviceAccountModel() {
		return new V1ServiceAccount().apiVersion("v1").kind("ServiceAccount")
			.metadata(new V1ObjectMeta().name(serviceAccount).namespace(serviceAccountNamespace).labels(null)
				.annotations(null));
	}

	private RbacV1Subject subject() {
		return new RbacV1Subject().kind("ServiceAccount").name(serviceAccount).namespace(serviceAccountNamespace);
	}

	private V1ObjectMeta metadata(@Nullable String namespace) {
		// client-java's models start with empty maps, which would be written as "labels: {}".
		return new V1ObjectMeta().name(name).namespace(namespace).labels(null).annotations(null);
	}

	private static void comments(StringBuilder out, RbacPolicy policy, @Nullable String namespace,
			List<PolicyRule> rules) {
		for (PolicyRule rule : rules) {
			out.append("#  ").append(rule.apiGroups().get(0).isEmpty() ? "core" : rule.apiGroups().get(0)).append(' ')
				.append(String.join(", ", rule.resources())).append(": ").append(String.join(", ", rule.verbs()))
				.append('\n');
			for (String reason : policy.reasons(namespace, rule)) {
				out.append("#    ").append(reason.replace('\n', ' ')).append('\n');
			}
		}
	}

	private static void document(StringBuilder out, Object model) {
		out.append("---\n").append(dump(model));
	}

	private static String dump(Object model) {
		String yaml = Yaml.dump(model);
		return yaml.endsWith("\n") ? yaml : yaml + "\n";
	}

	private static V1PolicyRule model(PolicyRule rule) {
		return new V1PolicyRule().apiGroups(rule.apiGroups()).resources(rule.resources()).verbs(rule.verbs());
	}

	private static void requireName(String value, String what) {
		Objects.requireNonNull(value, what);
		if (!NAME.matcher(value).matches()) {
			throw new IllegalArgumentException(what + " \"" + value + "\" is not a valid Kubernetes name: use lower-case"
					+ " letters, digits, '-' and '.', starting and ending with a letter or digit");
		}
	}
}
