package io.github.kubecontroller.emulator.resource;

import static io.github.kubecontroller.emulator.resource.ResourceType.ALL_VERBS;

import java.util.List;
import java.util.Map;

import io.github.kubecontroller.emulator.resource.ResourceType.NameRule;
import io.github.kubecontroller.emulator.resource.ResourceType.StorageRules;

/**
 * The built-in kinds the emulator serves, with the storage rules of their kube-apiserver 1.32 strategies.
 */
public final class BuiltInTypes {

	private static final Map<String, String> CORE_EVENT_FIELDS = Map.ofEntries(
			Map.entry("involvedObject.kind", "involvedObject.kind"),
			Map.entry("involvedObject.namespace", "involvedObject.namespace"),
			Map.entry("involvedObject.name", "involvedObject.name"),
			Map.entry("involvedObject.uid", "involvedObject.uid"),
			Map.entry("involvedObject.apiVersion", "involvedObject.apiVersion"),
			Map.entry("involvedObject.resourceVersion", "involvedObject.resourceVersion"),
			Map.entry("involvedObject.fieldPath", "involvedObject.fieldPath"),
			Map.entry("reason", "reason"), Map.entry("reportingComponent", "reportingComponent"),
			Map.entry("source", "source.component"), Map.entry("type", "type"));

	private BuiltInTypes() {
	}

	/**
	 * Every built-in resource in the order discovery lists them: core, then the groups by kube-apiserver's priority
	 * (apps, events.k8s.io, apiextensions.k8s.io, coordination.k8s.io, rbac.authorization.k8s.io).
	 */
	public static List<ResourceType> all() {
		List<String> namespaceVerbs = List.of("create", "delete", "get", "list", "patch", "update", "watch");
		return List.of(
				core("Namespace", "namespaces", false, List.of("ns"), List.of(), namespaceVerbs, true,
						rules(false, NameRule.DNS_LABEL, Map.of("status.phase", "status.phase"))),
				core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), ALL_VERBS, false,
						rules(false, NameRule.DNS_SUBDOMAIN, Map.of())),
				core("Secret", "secrets", true, List.of(), List.of(), ALL_VERBS, false,
						rules(false, NameRule.DNS_SUBDOMAIN, Map.of("type", "type"))),
				core("Pod", "pods", true, List.of("po"), List.of("all"), ALL_VERBS, true,
						new StorageRules(false, false, true, false, true, NameRule.DNS_SUBDOMAIN,
								Map.of("spec.nodeName", "spec.nodeName", "status.phase", "status.phase",
										"spec.serviceAccountName", "spec.serviceAccountName"))),
				core("Service", "services", true, List.of("svc"), List.of("all"), ALL_VERBS, true,
						new StorageRules(false, false, true, false, true, NameRule.DNS_1035_LABEL, Map.of())),
				core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), ALL_VERBS, false,
						new StorageRules(false, false, true, false, true, NameRule.DNS_SUBDOMAIN, Map.of())),
				core("Event", "events", true, List.of("ev"), List.of(), ALL_VERBS, false,
						new StorageRules(false, false, true, true, false, NameRule.DNS_SUBDOMAIN,
								CORE_EVENT_FIELDS)),
				named("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), List.of("all"), true,
						rules(true, NameRule.DNS_SUBDOMAIN, Map.of()), "deployments.apps"),
				// events.k8s.io/v1 shares the storage of core/v1 events, as on a real server.
				named("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), List.of(), false,
						new StorageRules(false, false, true, true, false, NameRule.DNS_SUBDOMAIN, Map.of()),
						"events"),
				named("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
						List.of("crd", "crds"), List.of("api-extensions"), true,
						rules(true, NameRule.DNS_SUBDOMAIN, Map.of()),
						"customresourcedefinitions.apiextensions.k8s.io"),
				named("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of(), false,
						new StorageRules(false, false, true, true, false, NameRule.DNS_SUBDOMAIN, Map.of()),
						"leases.coordination.k8s.io"),
				// RBAC objects are stored, so that manifests apply; the emulator authorizes with its own
				// AccessControl rules, not with them.
				rbac("ClusterRole", "clusterroles", false),
				rbac("ClusterRoleBinding", "clusterrolebindings", false),
				rbac("Role", "roles", true),
				rbac("RoleBinding", "rolebindings", true));
	}

	private static ResourceType rbac(String kind, String plural, boolean namespaced) {
		// RBAC object names are path segments: any name without "/" or "%" is valid, as kube-apiserver's
		// path-segment name validation says; the subdomain rule is the closest the emulator has. Like
		// kube-apiserver's RBAC strategies, a PUT may create.
		return named("rbac.authorization.k8s.io", "v1", kind, plural, namespaced, List.of(), List.of(), false,
				new StorageRules(false, false, true, true, false, NameRule.DNS_SUBDOMAIN, Map.of()),
				plural + ".rbac.authorization.k8s.io");
	}

	private static StorageRules rules(boolean generation, NameRule names, Map<String, String> fields) {
		return new StorageRules(false, generation, true, false, false, names, fields);
	}

	private static ResourceType core(String kind, String plural, boolean namespaced, List<String> shortNames,
			List<String> categories, List<String> verbs, boolean status, StorageRules rules) {
		return new ResourceType("", "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
				shortNames, categories, verbs, status, rules, plural);
	}

	private static ResourceType named(String group, String version, String kind, String plural, boolean namespaced,
			List<String> shortNames, List<String> categories, boolean status, StorageRules rules, String storage) {
		return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
				shortNames, categories, ALL_VERBS, status, rules, storage);
	}
}
