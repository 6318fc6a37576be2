package io.github.kubecontroller.benchmarks.contender.josdk;

/** A number and a short string; the benchmark's updates change them. */
public class BenchSpec {

	private Integer replicas;

	private String message;

	public Integer getReplicas() {
		return replicas;
	}

	public void setReplicas(Integer replicas) {
		this.replicas = replicas;
	}

	public String getMessage() {
		return message;
	}

	public void setMessage(String message) {
		this.message = message;
	}
}
