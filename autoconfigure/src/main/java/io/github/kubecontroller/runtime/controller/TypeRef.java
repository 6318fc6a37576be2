package io.github.kubecontroller.runtime.controller;

import io.kubernetes.client.common.KubernetesObject;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Java type standing for a Kubernetes kind. {@code apiVersion} and {@code kind} are needed only for
 * {@link io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject} or to override what the class says.
 *
 * @param javaType the Java class objects are decoded to
 * @param apiVersion the API version, or null to take it from the class
 * @param kind the kind, or null to take it from the class
 * @param <T> the Java type
 */
public record TypeRef<T extends KubernetesObject>(Class<T> javaType, @Nullable String apiVersion, @Nullable String kind) {

	public TypeRef {
		Objects.requireNonNull(javaType, "javaType");
		apiVersion = blankToNull(apiVersion);
		kind = blankToNull(kind);
		if ((apiVersion == null) != (kind == null)) {
			throw new IllegalArgumentException("apiVersion and kind must be given together for " + javaType.getName());
		}
	}

	/** The kind the class itself names. */
	public static <T extends KubernetesObject> TypeRef<T> of(Class<T> javaType) {
		return new TypeRef<>(javaType, null, null);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value;
	}
}
