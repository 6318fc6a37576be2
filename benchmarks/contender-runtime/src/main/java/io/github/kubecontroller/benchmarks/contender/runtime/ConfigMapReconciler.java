package io.github.kubecontroller.benchmarks.contender.runtime;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.benchmarks.contender.Probe;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** A controller on ConfigMaps that writes nothing: the memory scenarios measure its cache. */
@Reconciler(name = "configmap")
@ConditionalOnProperty(name = "bench.controller", havingValue = "configmap")
public class ConfigMapReconciler implements ResourceReconciler<V1ConfigMap> {

	@Override
	public Result reconcile(V1ConfigMap configMap, ReconcileContext<V1ConfigMap> context) {
		Probe.reconcileStarted(null);
		return Result.done();
	}
}
