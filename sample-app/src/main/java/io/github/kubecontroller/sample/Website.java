package io.github.kubecontroller.sample;

import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Condition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/** A website: a page ({@code spec.content}) served by {@code spec.replicas} nginx pods. */
@KubernetesResource(apiVersion = "demo.kubecontroller.io/v1", kind = "Website", plural = "websites")
public class Website implements KubernetesObject {

	private String apiVersion = "demo.kubecontroller.io/v1";
	private String kind = "Website";
	private V1ObjectMeta metadata = new V1ObjectMeta();
	private Spec spec = new Spec();
	private Status status;

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

	public Website metadata(V1ObjectMeta metadata) {
		this.metadata = metadata;
		return this;
	}

	public Spec getSpec() {
		return spec;
	}

	public Website spec(Spec spec) {
		this.spec = spec;
		return this;
	}

	public Status getStatus() {
		return status;
	}

	/** What the website should be. */
	public static class Spec {

		private String content;
		private Integer replicas;

		public Spec() {
		}

		public Spec(String content, int replicas) {
			this.content = content;
			this.replicas = replicas;
		}

		public String getContent() {
			return content;
		}

		/** Pods serving the site; 1 when not given. */
		public int getReplicas() {
			return replicas == null ? 1 : replicas;
		}
	}

	/** What the operator last did about it. */
	public static class Status {

		private Long observedGeneration;
		private List<V1Condition> conditions = new ArrayList<>();

		public Status() {
		}

		public Status(Long observedGeneration, List<V1Condition> conditions) {
			this.observedGeneration = observedGeneration;
			this.conditions = conditions;
		}

		public Long getObservedGeneration() {
			return observedGeneration;
		}

		public List<V1Condition> getConditions() {
			return conditions;
		}
	}
}
