package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;

/**
 * What a reconcile can use besides the object: cached reads, writes that do not loop, events, and why it runs.
 * A context belongs to one reconcile of one object; do not keep it.
 *
 * @param <T> the primary Java type
 */
public interface ReconcileContext<T extends KubernetesObject> {

	/** The controller's name, also the field manager of its writes. */
	String controllerName();

	/** The object being reconciled. */
	ObjectKey key();

	/** Why this reconcile runs. */
	ReconcileReason reason();

	/** How many times in a row the previous reconciles of this object failed (0 normally). */
	int failedAttempts();

	/** The API client, for anything the helpers here do not cover. */
	ApiClient client();

	/**
	 * A cached read of a kind this controller reconciles, owns or watches; reading the cache costs no API call.
	 *
	 * @throws IllegalArgumentException if the controller does not watch that kind
	 */
	<U extends KubernetesObject> Lister<U> lister(Class<U> type);

	/** As {@link #lister(Class)}, for a kind given by {@link TypeRef} (needed for dynamic objects). */
	<U extends KubernetesObject> Lister<U> lister(TypeRef<U> type);

	/**
	 * The cached objects of an owned kind whose controlling owner is the object being reconciled.
	 *
	 * @throws IllegalStateException when the kind is cached metadata only (the default for owned kinds): use
	 * {@link #ownedMetadata(Class)}, or declare the kind with {@code owns(type, CacheMode.OBJECTS)}
	 */
	<U extends KubernetesObject> List<U> ownedObjects(Class<U> type);

	/**
	 * The metadata (name, labels, annotations, owner references, deletion state...) of the cached objects of an owned
	 * kind whose owner is the object being reconciled; works however the kind is cached.
	 */
	List<PartialObjectMetadata> ownedMetadata(Class<? extends KubernetesObject> type);

	/**
	 * An owner reference to the object being reconciled, with {@code controller} and {@code blockOwnerDeletion}
	 * set: put it on children so that their changes requeue this object and they are deleted with it.
	 */
	V1OwnerReference ownerReference();

	/**
	 * Server-side applies {@code desired} with this controller as field manager (forcing conflicts), and returns
	 * the object as stored. Empty lists and maps of client-java models are left out of the request, so fields
	 * owned by others are never cleared by accident.
	 */
	<U extends KubernetesObject> U apply(U desired) throws ApiException;

	/**
	 * Writes {@code status} to the object's status subresource by server-side apply, unless it equals the status
	 * as last known (the cached one, or what this controller wrote last if the cache has not seen that yet): then
	 * no API call is made. Returns the object as stored (or as last known).
	 */
	T updateStatus(Object status) throws ApiException;

	/** Records a Normal event about the object being reconciled; never fails the reconcile. */
	void event(String reason, String note);

	/** Records a Warning event about the object being reconciled; never fails the reconcile. */
	void warningEvent(String reason, String note);
}
