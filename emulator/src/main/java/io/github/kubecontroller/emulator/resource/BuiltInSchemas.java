package io.github.kubecontroller.emulator.resource;

import java.util.Map;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apiextensions;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Events;

/**
 * The field schemas of the built-in kinds, taken from their protobuf descriptors (published in client-java-proto):
 * Kubernetes names every protobuf field after its JSON name, so a descriptor says which JSON members a kind has.
 */
public final class BuiltInSchemas {

	private static final Map<String, FileDescriptor> FILES = Map.of("", V1.getDescriptor(), "apps",
			V1Apps.getDescriptor(), "coordination.k8s.io", V1Coordination.getDescriptor(), "events.k8s.io",
			V1Events.getDescriptor(), "apiextensions.k8s.io", V1Apiextensions.getDescriptor());

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
}
