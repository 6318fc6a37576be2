package io.github.kubecontroller.autoconfigure.rbac;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;

/** A reconciler of the test CustomResourceDefinition's Gizmos (crds/ on the test class path) that owns ConfigMaps. */
@Reconciler(name = "gizmo", apiVersion = "test.kubecontroller.io/v1", kind = "Gizmo", owns = V1ConfigMap.class,
		finalizer = "test.kubecontroller.io/cleanup")
class GizmoReconciler implements ResourceReconciler<DynamicKubernetesObject> {

	@Override
	public Result reconcile(DynamicKubernetesObject gizmo, ReconcileContext<DynamicKubernetesObject> context) {
		return Result.done();
	}
}
