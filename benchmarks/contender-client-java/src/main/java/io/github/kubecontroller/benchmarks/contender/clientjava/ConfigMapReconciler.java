package io.github.kubecontroller.benchmarks.contender.clientjava;

import io.github.kubecontroller.benchmarks.contender.Probe;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1ConfigMap;

/** A controller on ConfigMaps that reads the cached object and writes nothing: the memory scenarios measure its cache. */
final class ConfigMapReconciler implements Reconciler {

	private final Lister<V1ConfigMap> lister;

	ConfigMapReconciler(Lister<V1ConfigMap> lister) {
		this.lister = lister;
	}

	@Override
	public Result reconcile(Request request) {
		if (this.lister.namespace(request.getNamespace()).get(request.getName()) != null) {
			Probe.reconcileStarted(null);
		}
		return new Result(false);
	}
}
