package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.apply.ServerSideApply;
import io.github.kubecontroller.runtime.apply.StatusWriter;
import io.github.kubecontroller.runtime.event.EventRecorder;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;

/** The per-controller helpers every {@link ReconcileContext} of that controller uses. */
final class ContextServices<T extends KubernetesObject> implements AutoCloseable {

	final ControllerSpec<T> spec;
	final ControllerDependencies dependencies;
	final Watches<T> watches;
	final ServerSideApply apply;
	final StatusWriter status;
	final EventRecorder events;

	ContextServices(ControllerSpec<T> spec, ControllerDependencies dependencies, Watches<T> watches) {
		this.spec = spec;
		this.dependencies = dependencies;
		this.watches = watches;
		this.apply = new ServerSideApply(dependencies.client(), spec.name());
		this.status = new StatusWriter(apply);
		this.events = new EventRecorder(dependencies.client(), spec.name(), dependencies.instanceName());
	}

	@Override
	public void close() {
		events.close();
	}

	ReconcileContext<T> contextFor(ObjectKey key, T object, ReconcileReason reason, int failedAttempts) {
		return new DefaultReconcileContext<>(this, key, object, reason, failedAttempts);
	}

	ResourceType resolve(KubernetesObject object) {
		if (object.getApiVersion() != null && object.getKind() != null) {
			return dependencies.discovery().resolve(object.getApiVersion(), object.getKind());
		}
		return dependencies.discovery().resolve(object.getClass());
	}
}
