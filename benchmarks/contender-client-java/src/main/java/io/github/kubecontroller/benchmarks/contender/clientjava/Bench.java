package io.github.kubecontroller.benchmarks.contender.clientjava;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** The benchmark's custom resource as a client-java model (Gson decodes it). */
public class Bench implements KubernetesObject {

	private String apiVersion = "bench.kubecontroller.io/v1";
	private String kind = "Bench";
	private V1ObjectMeta metadata = new V1ObjectMeta();
	private Spec spec;
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

	public Spec getSpec() {
		return spec;
	}

	public Status getStatus() {
		return status;
	}

	/** A number and a short string; the benchmark's updates change them. */
	public static class Spec {

		private Integer replicas;
		private String message;

		public Integer getReplicas() {
			return replicas;
		}

		public String getMessage() {
			return message;
		}
	}

	/** The generation the controller last saw. */
	public static class Status {

		private Long observedGeneration;

		public Long getObservedGeneration() {
			return observedGeneration;
		}
	}
}
