package io.github.kubecontroller.runtime.informer;

import io.github.kubecontroller.runtime.resource.ResourceType;
import java.util.Objects;

/**
 * What one shared watch observes: a resource type, optionally limited to one namespace and by label and field
 * selectors. Two requests with equal specs (and the same Java type) share one watch and one cache.
 *
 * @param type the resource type
 * @param namespace the namespace, or null for all namespaces (always null for cluster-scoped kinds)
 * @param labelSelector a label selector in the API's syntax, or null
 * @param fieldSelector a field selector in the API's syntax, or null
 */
public record WatchSpec(ResourceType type, String namespace, String labelSelector, String fieldSelector) {

	public WatchSpec {
		Objects.requireNonNull(type, "type");
		namespace = blankToNull(type.namespaced() ? namespace : null);
		labelSelector = blankToNull(labelSelector);
		fieldSelector = blankToNull(fieldSelector);
	}

	/** Every object of a type, in every namespace. */
	public static WatchSpec all(ResourceType type) {
		return new WatchSpec(type, null, null, null);
	}

	/** This spec limited to one namespace. */
	public WatchSpec inNamespace(String namespace) {
		return new WatchSpec(type, namespace, labelSelector, fieldSelector);
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(type.toString());
		text.append(namespace == null ? " in all namespaces" : " in namespace " + namespace);
		if (labelSelector != null) {
			text.append(" labels ").append(labelSelector);
		}
		if (fieldSelector != null) {
			text.append(" fields ").append(fieldSelector);
		}
		return text.toString();
	}
}
