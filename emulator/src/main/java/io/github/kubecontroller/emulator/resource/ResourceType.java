package io.github.kubecontroller.emulator.resource;

import java.util.List;
import java.util.Map;

/**
 * One served resource at one version: its names, scope and the storage rules the API server applies to it (the
 * "strategy" of kube-apiserver's generic registry).
 *
 * @param group API group, {@code ""} for core
 * @param version API version
 * @param kind object kind
 * @param plural resource name used in paths
 * @param singular singular name
 * @param namespaced whether objects live in namespaces
 * @param shortNames short names for kubectl
 * @param categories categories such as {@code all}
 * @param verbs verbs listed in discovery
 * @param statusSubresource whether {@code /status} is served and the main endpoint ignores status changes
 * @param rules the write rules of this kind
 * @param storage the storage bucket shared by every version of the resource
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
		boolean namespaced, List<String> shortNames, List<String> categories, List<String> verbs,
		boolean statusSubresource, StorageRules rules, String storage) {

	/** Verbs of an ordinary resource, in the order the real server lists them. */
	public static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
			"patch", "update", "watch");

	public ResourceType {
		shortNames = List.copyOf(shortNames);
		categories = List.copyOf(categories);
		verbs = List.copyOf(verbs);
	}

	/** {@code v1} for core, {@code group/version} otherwise. */
	public String apiVersion() {
		return group.isEmpty() ? version : group + "/" + version;
	}

	/** {@code plural.group}, or the plural for core resources: how error messages name the resource. */
	public String qualifiedResource() {
		return group.isEmpty() ? plural : plural + "." + group;
	}

	public String listKind() {
		return kind + "List";
	}

	public boolean isCustom() {
		return rules.custom();
	}

	public boolean supports(String verb) {
		return verbs.contains(verb);
	}

	/**
	 * Storage rules of one kind.
	 *
	 * @param custom a custom resource (unstructured: list items keep kind/apiVersion, no strategic merge patch)
	 * @param generation whether {@code metadata.generation} is maintained
	 * @param unconditionalUpdate whether PUT without {@code metadata.resourceVersion} is allowed
	 * @param createOnUpdate whether PUT creates a missing object
	 * @param returnDeletedObject whether DELETE answers with the object rather than a Status
	 * @param names how object names are validated
	 * @param selectableFields field selector labels beyond {@code metadata.name} and {@code metadata.namespace},
	 *        each mapped to the dotted JSON path of its value
	 */
	public record StorageRules(boolean custom, boolean generation, boolean unconditionalUpdate,
			boolean createOnUpdate, boolean returnDeletedObject, NameRule names, Map<String, String> selectableFields) {

		public StorageRules {
			selectableFields = Map.copyOf(selectableFields);
		}
	}

	/** Which name format a kind requires. */
	public enum NameRule {
		/** RFC 1123 subdomain: most kinds. */
		DNS_SUBDOMAIN,
		/** RFC 1123 label: namespaces. */
		DNS_LABEL,
		/** RFC 1035 label: services. */
		DNS_1035_LABEL
	}
}
