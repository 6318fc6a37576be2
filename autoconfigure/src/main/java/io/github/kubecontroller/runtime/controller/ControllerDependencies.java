package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.kubernetes.client.openapi.ApiClient;
import java.util.Objects;

/**
 * What every controller of an application shares: the API client, the shared informers, API discovery, and how
 * worker threads are made.
 *
 * @param client the API client for requests
 * @param informers the shared watches and caches
 * @param discovery resolves Java types to resource types
 * @param threads makes worker and reconcile threads
 * @param instanceName this instance's name in events (usually the pod or host name)
 * @param observer sees what the controllers do (metrics, traces, diagnostics)
 */
public record ControllerDependencies(ApiClient client, InformerRegistry informers, ResourceDiscovery discovery,
		WorkerThreads threads, String instanceName, ControllerObserver observer) {

	/** Dependencies without an observer. */
	public ControllerDependencies(ApiClient client, InformerRegistry informers, ResourceDiscovery discovery,
			WorkerThreads threads, String instanceName) {
		this(client, informers, discovery, threads, instanceName, ControllerObserver.NONE);
	}

	public ControllerDependencies {
		Objects.requireNonNull(client, "client");
		Objects.requireNonNull(informers, "informers");
		Objects.requireNonNull(discovery, "discovery");
		Objects.requireNonNull(threads, "threads");
		Objects.requireNonNull(instanceName, "instanceName");
		Objects.requireNonNull(observer, "observer");
	}
}
