package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The version and kind a client-java model class stands for, read from its generated name: {@code V1Deployment}
 * is version {@code v1}, kind {@code Deployment}; {@code EventsV1Event} adds the group prefix {@code Events}.
 *
 * <p>The group is not in the name unless two groups define the same kind, so it is left to discovery. client-java's
 * {@code ModelMapper} reads the same names, but it loads every model class on first use (seconds at startup) and
 * still reports the core group for {@code V1Deployment} or {@code V1Lease}, whose groups are {@code apps} and
 * {@code coordination.k8s.io}; its discovery-backed lookup needs a refresh of every group version of the server
 * into global state.
 *
 * @param groupPrefix the group prefix, such as {@code Events} or {@code Core}, or null when the name has none
 * @param version the API version, such as {@code v1} or {@code v1beta1}
 * @param kind the kind, such as {@code Deployment}
 */
record ModelName(@Nullable String groupPrefix, String version, String kind) {

	static final String MODELS_PACKAGE = "io.kubernetes.client.openapi.models";

	// An optional capitalised group prefix, the version (V1, V1beta1, V2alpha3), then the kind.
	private static final Pattern NAME = Pattern.compile("([A-Z][a-z]+)?(V\\d+(?:(?:alpha|beta)\\d+)?)([A-Z]\\w*)");

	/** The name of a client-java model class of a resource, or empty for any other class. */
	static Optional<ModelName> of(Class<?> javaType) {
		if (!MODELS_PACKAGE.equals(javaType.getPackageName()) || !KubernetesObject.class.isAssignableFrom(javaType)
				|| KubernetesListObject.class.isAssignableFrom(javaType)) {
			return Optional.empty();
		}
		Matcher name = NAME.matcher(javaType.getSimpleName());
		if (!name.matches()) {
			return Optional.empty();
		}
		return Optional.of(new ModelName(name.group(1), name.group(2).toLowerCase(Locale.ROOT), name.group(3)));
	}

	/**
	 * Whether {@code group} is the one the prefix names. The generator takes the prefix from the group's first
	 * label: {@code Events} for {@code events.k8s.io}, {@code Rbac} for {@code rbac.authorization.k8s.io},
	 * {@code Core} for the core group.
	 */
	boolean prefixNames(String group) {
		if (groupPrefix == null) {
			return false;
		}
		if (group.isEmpty()) {
			return groupPrefix.equals("Core");
		}
		int dot = group.indexOf('.');
		return groupPrefix.equalsIgnoreCase((dot < 0) ? group : group.substring(0, dot));
	}
}
