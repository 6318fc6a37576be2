package io.github.kubecontroller.benchmarks.contender.josdk;

/** The generation the controller last saw. */
public class BenchStatus {

	private Long observedGeneration;

	public BenchStatus() {
	}

	public BenchStatus(Long observedGeneration) {
		this.observedGeneration = observedGeneration;
	}

	public Long getObservedGeneration() {
		return observedGeneration;
	}

	public void setObservedGeneration(Long observedGeneration) {
		this.observedGeneration = observedGeneration;
	}
}
