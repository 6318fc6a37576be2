package io.github.kubecontroller.benchmarks.contender.josdk;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.kubecontroller.benchmarks.contender.Probe;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** A controller on ConfigMaps that writes nothing: the memory scenarios measure its cache. */
@ControllerConfiguration(name = "configmap")
public class ConfigMapReconciler implements Reconciler<ConfigMap> {

	@Override
	public UpdateControl<ConfigMap> reconcile(ConfigMap configMap, Context<ConfigMap> context) {
		Probe.reconcileStarted(null);
		return UpdateControl.noUpdate();
	}
}
