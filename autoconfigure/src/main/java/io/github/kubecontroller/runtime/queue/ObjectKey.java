package io.github.kubecontroller.runtime.queue;

import java.util.Objects;

/**
 * The usual work-queue key: the namespace and name of an object. Cluster-scoped objects have an empty
 * namespace ({@code null} is normalised to {@code ""}).
 */
public record ObjectKey(String namespace, String name) {

	public ObjectKey {
		namespace = namespace == null ? "" : namespace;
		Objects.requireNonNull(name, "name");
	}

	/** Returns the key of a namespaced object. */
	public static ObjectKey of(String namespace, String name) {
		return new ObjectKey(namespace, name);
	}

	/** Returns the key of a cluster-scoped object. */
	public static ObjectKey clusterScoped(String name) {
		return new ObjectKey("", name);
	}

	/** Returns {@code namespace/name}, or just {@code name} for cluster-scoped objects, like client-go. */
	@Override
	public String toString() {
		return namespace.isEmpty() ? name : namespace + "/" + name;
	}
}
