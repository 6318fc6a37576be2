package io.github.kubecontroller.test;

import io.github.kubecontroller.runtime.resource.ResourceType;
import org.jspecify.annotations.Nullable;

/**
 * One object: its resource type, namespace ({@code null} for cluster-scoped kinds) and name.
 */
record ObjectRef(ResourceType type, @Nullable String namespace, String name) {

	ObjectRef {
		if (!type.namespaced()) {
			namespace = null;
		}
		else if (namespace == null || namespace.isEmpty()) {
			throw new IllegalArgumentException(type.kind() + " " + name + " is namespaced: give its namespace");
		}
	}

	String path() {
		return this.type.objectPath(this.namespace, this.name);
	}

	/** {@code Website default/blog}, or {@code Namespace team-a} for cluster-scoped kinds. */
	@Override
	public String toString() {
		return this.type.kind() + " " + (this.namespace == null ? "" : this.namespace + "/") + this.name;
	}

}
