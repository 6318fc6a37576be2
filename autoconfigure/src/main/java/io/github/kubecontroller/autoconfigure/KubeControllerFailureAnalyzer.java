package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.client.ApiFailureException;
import io.github.kubecontroller.runtime.client.ClientConfigurationException;
import io.github.kubecontroller.runtime.controller.CacheSyncException;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.github.kubecontroller.runtime.shard.ShardingException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the runtime's start-up failures into Spring Boot's "APPLICATION FAILED TO START" report with what went
 * wrong and what to do about it, instead of a stack trace.
 */
class KubeControllerFailureAnalyzer implements FailureAnalyzer {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ClientConfigurationException) {
				return new FailureAnalysis(cause.getMessage(),
						"Point the application at a cluster: set kube.controller.client.kubeconfig or KUBECONFIG, "
								+ "or kube.controller.client.master-url, or run it in a pod; or define your own ApiClient bean.",
						cause);
			}
			if (cause instanceof ResourceNotFoundException) {
				return new FailureAnalysis(cause.getMessage(),
						"Install the CustomResourceDefinition (kubectl apply -f <crd.yaml>) before starting the "
								+ "application, or fix apiVersion/kind of the resource class.",
						cause);
			}
			if (cause instanceof CacheSyncException) {
				return new FailureAnalysis(cause.getMessage(),
						"Fix the cause named above (RBAC rule, CustomResourceDefinition, API server address); "
								+ "the controller never runs on an incomplete cache.",
						cause);
			}
			if (cause instanceof ShardingException) {
				return new FailureAnalysis(cause.getMessage(),
						"Add the RBAC rule named above to the application's Role in the Leases' namespace (the"
								+ " generated RBAC has it), or set kube.controller.sharding.lease-namespace to a"
								+ " namespace where it has it.",
						cause);
			}
			if (cause instanceof ApiFailureException) {
				return new FailureAnalysis(cause.getMessage(), "Fix the cause named above and restart.", cause);
			}
		}
		return null;
	}
}
