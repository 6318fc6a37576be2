package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.event.EventKind;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;

final class DefaultReconcileContext<T extends KubernetesObject> implements ReconcileContext<T> {

	private final ContextServices<T> services;
	private final ObjectKey key;
	// The object as last known in this pass: a status written here replaces it, so that writing the same status
	// twice in one pass makes one call.
	private T object;
	private final ReconcileReason reason;
	private final int failedAttempts;

	DefaultReconcileContext(ContextServices<T> services, ObjectKey key, T object, ReconcileReason reason,
			int failedAttempts) {
		this.services = services;
		this.key = key;
		this.object = object;
		this.reason = reason;
		this.failedAttempts = failedAttempts;
	}

	@Override
	public String controllerName() {
		return services.spec.name();
	}

	@Override
	public ObjectKey key() {
		return key;
	}

	@Override
	public ReconcileReason reason() {
		return reason;
	}

	@Override
	public int failedAttempts() {
		return failedAttempts;
	}

	@Override
	public ApiClient client() {
		return services.dependencies.client();
	}

	@Override
	public <U extends KubernetesObject> Lister<U> lister(Class<U> type) {
		return lister(TypeRef.of(type));
	}

	@Override
	public <U extends KubernetesObject> Lister<U> lister(TypeRef<U> type) {
		List<Informer<U>> informers = services.watches.informersOf(type);
		if (informers == null || informers.isEmpty()) {
			throw new IllegalArgumentException("Controller '" + controllerName() + "' does not watch "
					+ type.javaType().getSimpleName() + ": declare it with owns or watches to read it from the cache");
		}
		if (informers.size() > 1) {
			// One informer per namespace: a lister over the informer of this object's namespace.
			for (Informer<U> informer : informers) {
				if (key.namespace().equals(informer.spec().namespace())) {
					return new Lister<>(informer.getIndexer(), key.namespace());
				}
			}
		}
		return new Lister<>(informers.get(0).getIndexer());
	}

	@Override
	public <U extends KubernetesObject> List<U> ownedObjects(Class<U> type) {
		return services.watches.ownedBy(TypeRef.of(type), object.getMetadata().getUid());
	}

	@Override
	public List<PartialObjectMetadata> ownedMetadata(Class<? extends KubernetesObject> type) {
		return services.watches.ownedMetadataBy(TypeRef.of(type), object.getMetadata().getUid());
	}

	@Override
	public V1OwnerReference ownerReference() {
		ResourceType type = services.watches.primaryType();
		return new V1OwnerReference()
				.apiVersion(type.apiVersion())
				.kind(type.kind())
				.name(object.getMetadata().getName())
				.uid(object.getMetadata().getUid())
				.controller(true)
				.blockOwnerDeletion(true);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <U extends KubernetesObject> U apply(U desired) throws ApiException {
		ResourceType type = services.resolve(desired);
		boolean primary = services.watches.isPrimaryObject(key, desired, type);
		if (primary) {
			services.watches.writing(key);
		}
		try {
			U stored = services.apply.apply(type, desired, (Class<U>) desired.getClass());
			if (primary) {
				services.watches.wrote(key, (T) stored);
			}
			return stored;
		} finally {
			if (primary) {
				services.watches.written(key);
			}
		}
	}

	@Override
	public T updateStatus(Object status) throws ApiException {
		services.watches.writing(key);
		try {
			T stored = services.status.writeStatus(services.watches.primaryType(), object, status,
					services.watches.primaryJavaType());
			if (stored != object) {
				services.watches.wrote(key, stored);
				object = stored;
			}
			return stored;
		} finally {
			services.watches.written(key);
		}
	}

	@Override
	public void event(String reason, String note) {
		services.events.record(object, services.watches.primaryType(), EventKind.NORMAL, reason,
				services.spec.name(), note);
	}

	@Override
	public void warningEvent(String reason, String note) {
		services.events.record(object, services.watches.primaryType(), EventKind.WARNING, reason,
				services.spec.name(), note);
	}
}
