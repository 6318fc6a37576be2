package io.github.kubecontroller.runtime.client;

/**
 * Hears of every request an {@link io.kubernetes.client.openapi.ApiClient} sends once
 * {@link RequestListeningInterceptor#install installed} on it, for metrics. Called on the calling thread when the
 * response headers arrive (or the request fails), so it must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestListener {

	/** A request got its answer, or failed without one. */
	void requestEnded(RequestOutcome outcome);
}
