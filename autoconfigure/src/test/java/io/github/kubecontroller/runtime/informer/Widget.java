package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** A user class for a custom resource, decoded by Gson: its {@code spec.size} must be a number. */
public class Widget implements KubernetesObject {

	private String apiVersion;
	private String kind;
	private V1ObjectMeta metadata;
	private Spec spec;

	@Override
	public V1ObjectMeta getMetadata() {
		return metadata;
	}

	@Override
	public String getApiVersion() {
		return apiVersion;
	}

	@Override
	public String getKind() {
		return kind;
	}

	public Spec getSpec() {
		return spec;
	}

	/** The widget's desired state. */
	public static class Spec {

		private int size;

		public int getSize() {
			return size;
		}
	}
}
