package io.github.kubecontroller.emulator.resource;

import java.util.Map;
import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apiextensions;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Rbac;

/**
 * The field schemas of the built-in kinds, taken from their protobuf descriptors (published in client-java-proto):
 * Kubernetes names every protobuf field after its JSON name, so a descriptor says which JSON members a kind has.
 * What a descriptor cannot say — which Go structs are embedded without a JSON name, and which lists lack
 * {@code omitempty} — is listed here from the Go types of kubernetes/api.
 */
public final class BuiltInSchemas {

	private static final Map<String, FileDescriptor> FILES = Map.of("", V1.getDescriptor(), "apps",
			V1Apps.getDescriptor(), "coordination.k8s.io", V1Coordination.getDescriptor(), "events.k8s.io",
			V1Events.getDescriptor(), "apiextensions.k8s.io", V1Apiextensions.getDescriptor(),
			"rbac.authorization.k8s.io", V1Rbac.getDescriptor());

	private static final String CORE = "k8s.io.api.core.v1.";

	private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

	private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

	/**
	 * Fields ({@code message.field}) of Go structs embedded with {@code json:""}: in JSON their members sit in the
	 * parent object, so a volume is {@code {"name":"v","emptyDir":{}}}, not {@code {"volumeSource":{...}}}.
	 */
	private static final Set<String> INLINE = Set.of(CORE + "Volume.volumeSource",
			CORE + "PersistentVolumeSpec.persistentVolumeSource", CORE + "Probe.handler",
			CORE + "EphemeralContainer.ephemeralContainerCommon", CORE + "ConfigMapEnvSource.localObjectReference",
			CORE + "ConfigMapKeySelector.localObjectReference", CORE + "ConfigMapProjection.localObjectReference",
			CORE + "ConfigMapVolumeSource.localObjectReference", CORE + "SecretEnvSource.localObjectReference",
			CORE + "SecretKeySelector.localObjectReference", CORE + "SecretProjection.localObjectReference");

	/**
	 * Lists whose Go field has no {@code omitempty}: an empty one is written as {@code []}. Every other list and map
	 * of the built-in kinds is left out when empty.
	 */
	private static final Set<String> KEPT_WHEN_EMPTY = Set.of(CORE + "PodSpec.containers",
			CORE + "ProjectedVolumeSource.sources", CORE + "NodeSelector.nodeSelectorTerms",
			CORE + "RBDVolumeSource.monitors", CORE + "RBDPersistentVolumeSource.monitors",
			CORE + "CephFSVolumeSource.monitors", CORE + "CephFSPersistentVolumeSource.monitors",
			CORE + "TopologySelectorLabelRequirement.values", CORE + "ContainerImage.names",
			CORE + "LimitRangeSpec.limits", CORE + "PodExtendedResourceClaimStatus.requestMappings",
			APIEXTENSIONS + "CustomResourceDefinitionSpec.versions",
			APIEXTENSIONS + "CustomResourceDefinitionStatus.conditions",
			APIEXTENSIONS + "CustomResourceDefinitionStatus.storedVersions",
			APIEXTENSIONS + "WebhookConversion.conversionReviewVersions");

	/** Messages whose JSON is free-form or not shaped like their protobuf form. */
	private static final Set<String> OPAQUE = Set.of(META + "Time", META + "MicroTime", META + "Duration",
			META + "FieldsV1", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
			"k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.runtime.RawExtension",
			APIEXTENSIONS + "JSON", APIEXTENSIONS + "JSONSchemaProps");

	private BuiltInSchemas() {
	}

	/** The message describing a built-in kind, or {@code null} (custom resources, unknown kinds). */
	public static Descriptor of(ResourceType type) {
		if (type.isCustom()) {
			return null;
		}
		FileDescriptor file = FILES.get(type.group());
		return (file != null) ? file.findMessageTypeByName(type.kind()) : null;
	}

	/** The message of {@code metadata}, which custom resources share with the built-in kinds. */
	public static Descriptor objectMeta() {
		return Meta.ObjectMeta.getDescriptor();
	}

	/**
	 * The field behind JSON member {@code name} of {@code message}, looking into embedded structs; {@code null} when
	 * the message has no such member.
	 */
	public static FieldDescriptor member(Descriptor message, String name) {
		FieldDescriptor field = message.findFieldByName(name);
		if (field != null && !isInline(field)) {
			return field;
		}
		for (FieldDescriptor candidate : message.getFields()) {
			if (isInline(candidate)) {
				FieldDescriptor inner = member(candidate.getMessageType(), name);
				if (inner != null) {
					return inner;
				}
			}
		}
		return null;
	}

	/** Whether {@code field} is a Go struct embedded without a JSON name, whose members belong to the parent. */
	public static boolean isInline(FieldDescriptor field) {
		return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
				&& INLINE.contains(field.getContainingType().getFullName() + "." + field.getName());
	}

	/**
	 * Whether Go's encoder leaves {@code field} out when it is empty: true for lists and maps with
	 * {@code omitempty}. Structs are never left out: an empty struct, such as {@code emptyDir}, is written as
	 * {@code {}}.
	 */
	public static boolean omittedWhenEmpty(FieldDescriptor field) {
		return field.isRepeated()
				&& !KEPT_WHEN_EMPTY.contains(field.getContainingType().getFullName() + "." + field.getName());
	}

	/** Whether the JSON of {@code message} is free-form or shaped otherwise than its fields (times, quantities). */
	public static boolean isOpaque(Descriptor message) {
		return OPAQUE.contains(message.getFullName());
	}
}
