package io.github.kubecontroller.runtime.resource;

import java.util.Objects;

/**
 * One kind of Kubernetes resource as the API server serves it: group, version, kind, the plural name used in
 * URLs, and whether objects live in namespaces.
 *
 * @param group API group, empty for the core group
 * @param version API version within the group, such as {@code v1}
 * @param kind object kind, such as {@code ConfigMap}
 * @param plural resource name in URLs, such as {@code configmaps}
 * @param namespaced whether objects of this kind live in a namespace
 */
public record ResourceType(String group, String version, String kind, String plural, boolean namespaced) {

	public ResourceType {
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(version, "version");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(plural, "plural");
	}

	/** The {@code apiVersion} field value: {@code v1} for the core group, {@code group/version} otherwise. */
	public String apiVersion() {
		return group.isEmpty() ? version : group + "/" + version;
	}

	/**
	 * The collection path, {@code /api/v1/namespaces/ns/configmaps}; across all namespaces when
	 * {@code namespace} is null or the kind is cluster-scoped.
	 */
	public String collectionPath(String namespace) {
		StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/").append(version);
		if (namespaced && namespace != null) {
			path.append("/namespaces/").append(namespace);
		}
		return path.append('/').append(plural).toString();
	}

	/** The path of one object. */
	public String objectPath(String namespace, String name) {
		return collectionPath(namespace) + "/" + name;
	}

	@Override
	public String toString() {
		return plural + (group.isEmpty() ? "" : "." + group) + "/" + version;
	}
}
