package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** A small custom resource for the controller tests: spec.content and status.observedGeneration. */
@KubernetesResource(apiVersion = "test.kubecontroller.io/v1", kind = "Widget", plural = "widgets")
public class Widget implements KubernetesObject {

	private String apiVersion = "test.kubecontroller.io/v1";
	private String kind = "Widget";
	private V1ObjectMeta metadata;
	private Spec spec;
	private Status status;

	public static Widget named(String namespace, String name, String content) {
		Widget widget = new Widget();
		widget.metadata = new V1ObjectMeta().namespace(namespace).name(name);
		widget.spec = new Spec();
		widget.spec.content = content;
		return widget;
	}

	@Override
	public String getApiVersion() {
		return apiVersion;
	}

	@Override
	public String getKind() {
		return kind;
	}

	@Override
	public V1ObjectMeta getMetadata() {
		return metadata;
	}

	public Spec getSpec() {
		return spec;
	}

	public Status getStatus() {
		return status;
	}

	public static class Spec {
		public String content;
	}

	public static class Status {
		public Long observedGeneration;
		public String digest;

		public Status() {
		}

		public Status(Long observedGeneration, String digest) {
			this.observedGeneration = observedGeneration;
			this.digest = digest;
		}
	}
}
