package com.example.operator;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import java.util.List;

/**
 * Gives every Deployment labelled {@code expose=true} a Service of the same name in front of its pods' first port.
 */
@Reconciler(labelSelector = "expose=true", owns = V1Service.class)
public class ExposeReconciler implements ResourceReconciler<V1Deployment> {

	@Override
	public Result reconcile(V1Deployment deployment, ReconcileContext<V1Deployment> context) throws Exception {
		V1ContainerPort port = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0);
		V1Service service = new V1Service().apiVersion("v1").kind("Service")
				.metadata(new V1ObjectMeta()
						.namespace(deployment.getMetadata().getNamespace())
						.name(deployment.getMetadata().getName())
						.ownerReferences(List.of(context.ownerReference())))
				.spec(new V1ServiceSpec()
						.selector(deployment.getSpec().getSelector().getMatchLabels())
						.ports(List.of(new V1ServicePort().name("http").port(80)
								.targetPort(new IntOrString(port.getContainerPort())))));
		context.apply(service); // server-side apply: creates the Service or repairs its drift
		return Result.done();
	}
}
