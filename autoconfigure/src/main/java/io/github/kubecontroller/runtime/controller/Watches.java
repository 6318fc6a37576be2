package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.informer.CacheMode;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.Indexes;
import io.github.kubecontroller.runtime.informer.WatchSpec;
import io.github.kubecontroller.runtime.predicate.EventFilter;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.cache.Indexer;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The informers one controller reads and the event handlers that turn their events into queued keys: primary
 * objects through the event filter, children through their controller owner reference, watched objects through
 * their mapping function.
 */
final class Watches<T extends KubernetesObject> {

	private final ResourceType primaryType;
	private final Class<T> primaryJavaType;
	// One informer per watched namespace, or a single one for all namespaces (key null).
	private final Map<@Nullable String, Informer<T>> primaryInformers;
	private final Map<TypeRef<?>, Kind> secondaryKinds;
	private final List<Controller.DetachableHandler<?>> handlers = new ArrayList<>();
	private final OwnWrites<T> ownWrites = new OwnWrites<>();

	private Watches(ResourceType primaryType, Class<T> primaryJavaType, Map<@Nullable String, Informer<T>> primaryInformers,
			Map<TypeRef<?>, Kind> secondaryKinds) {
		this.primaryType = primaryType;
		this.primaryJavaType = primaryJavaType;
		this.primaryInformers = primaryInformers;
		this.secondaryKinds = secondaryKinds;
	}

	/**
	 * A secondary kind: its resolved type and its informers, one per namespace like the primary, of the kind's Java
	 * type or, cached metadata only, of {@link PartialObjectMetadata}.
	 */
	record Kind(TypeRef<?> ref, ResourceType type, CacheMode mode, List<Informer<?>> informers) {
	}

	static <T extends KubernetesObject> Watches<T> open(ControllerSpec<T> spec, ControllerDependencies dependencies,
			Controller.Enqueuer enqueuer) {
		ResourceDiscovery discovery = dependencies.discovery();
		ResourceType primaryType = resolve(discovery, spec.primary());
		Class<T> javaType = spec.primary().javaType();
		List<@Nullable String> namespaces = primaryType.namespaced() && !spec.namespaces().isEmpty()
				? new ArrayList<>(spec.namespaces()) : singletonNull();

		Map<@Nullable String, Informer<T>> primaryInformers = new LinkedHashMap<>();
		for (String namespace : namespaces) {
			WatchSpec watch = new WatchSpec(primaryType, namespace, spec.labelSelector(), spec.fieldSelector());
			primaryInformers.put(namespace, dependencies.informers().informer(watch, javaType, spec.primaryCache(),
					spec.primaryTransform()));
		}
		Map<TypeRef<?>, Kind> secondary = new LinkedHashMap<>();
		for (TypeRef<?> owned : spec.owns()) {
			secondary.put(owned, openKind(owned, spec.cacheMode(owned), discovery, dependencies, namespaces));
		}
		for (WatchedType<?> watched : spec.watches()) {
			secondary.putIfAbsent(watched.type(),
					openKind(watched.type(), spec.cacheMode(watched.type()), discovery, dependencies, namespaces));
		}
		Watches<T> watches = new Watches<>(primaryType, javaType, primaryInformers, secondary);
		watches.attachHandlers(spec, enqueuer, dependencies.observer());
		return watches;
	}

	private static List<@Nullable String> singletonNull() {
		List<@Nullable String> list = new ArrayList<>();
		list.add(null);
		return list;
	}

	private static Kind openKind(TypeRef<?> ref, CacheMode mode, ResourceDiscovery discovery,
			ControllerDependencies dependencies, List<@Nullable String> namespaces) {
		ResourceType type = resolve(discovery, ref);
		Class<? extends KubernetesObject> javaType = (mode == CacheMode.METADATA_ONLY) ? PartialObjectMetadata.class
				: ref.javaType();
		List<Informer<?>> informers = new ArrayList<>();
		Set<@Nullable String> effective = new LinkedHashSet<>();
		for (String namespace : namespaces) {
			effective.add(type.namespaced() ? namespace : null);
		}
		for (String namespace : effective) {
			informers.add(dependencies.informers().informer(new WatchSpec(type, namespace, null, null), javaType, mode));
		}
		return new Kind(ref, type, mode, informers);
	}

	static ResourceType resolve(ResourceDiscovery discovery, TypeRef<?> ref) {
		return ref.apiVersion() != null
				? discovery.resolve(ref.apiVersion(), Objects.requireNonNull(ref.kind()))
				: discovery.resolve(ref.javaType());
	}

	private void attachHandlers(ControllerSpec<T> spec, Controller.Enqueuer enqueuer, ControllerObserver observer) {
		EventFilter<T> filter = spec.eventFilter();
		for (Informer<T> informer : primaryInformers.values()) {
			attach(informer, new ResourceEventHandler<T>() {
				@Override
				public void onAdd(T obj) {
					ownWrites.observed(keyOf(obj), obj);
					if (filter.accept(null, obj)) {
						enqueuer.enqueue(keyOf(obj), ReconcileReason.OBJECT_CHANGED);
					}
				}

				@Override
				public void onUpdate(T oldObj, T newObj) {
					ObjectKey key = keyOf(newObj);
					observer.primaryChanged(spec, oldObj, newObj, ownWrites.isOwn(key, newObj));
					ownWrites.observed(key, newObj);
					if (filter.accept(oldObj, newObj)) {
						enqueuer.enqueue(keyOf(newObj), ReconcileReason.OBJECT_CHANGED);
					}
				}

				@Override
				public void onDelete(T obj, boolean deletedFinalStateUnknown) {
					ownWrites.forget(keyOf(obj));
					observer.primaryDeleted(spec, keyOf(obj));
					// Never filtered: a deletion a filter hides is a finalizer that never runs.
					enqueuer.enqueue(keyOf(obj), ReconcileReason.OBJECT_CHANGED);
				}
			});
		}
		for (TypeRef<?> owned : spec.owns()) {
			attachOwned(secondaryKinds.get(owned), enqueuer);
		}
		for (WatchedType<?> watched : spec.watches()) {
			attachWatched(watched, enqueuer);
		}
	}

	@SuppressWarnings("unchecked")
	private void attachOwned(Kind kind, Controller.Enqueuer enqueuer) {
		ResourceEventHandler<KubernetesObject> handler = new SecondaryHandler<>(child -> controllerOwners(child),
				enqueuer, ReconcileReason.OWNED_CHANGED);
		kind.informers().forEach(informer -> attach((Informer<KubernetesObject>) informer, handler));
	}

	@SuppressWarnings("unchecked")
	private <U extends KubernetesObject> void attachWatched(WatchedType<U> watched, Controller.Enqueuer enqueuer) {
		Kind kind = secondaryKinds.get(watched.type());
		ResourceEventHandler<U> handler = new SecondaryHandler<>(watched.mapper()::apply, enqueuer,
				ReconcileReason.WATCHED_CHANGED);
		kind.informers().forEach(informer -> attach((Informer<U>) informer, handler));
	}

	private <U extends KubernetesObject> void attach(Informer<U> informer, ResourceEventHandler<U> handler) {
		Controller.DetachableHandler<U> detachable = new Controller.DetachableHandler<>(handler);
		handlers.add(detachable);
		informer.addEventHandler(detachable);
	}

	/** The primary objects that control {@code child}: owner references with controller=true of the primary kind. */
	private Collection<ObjectKey> controllerOwners(KubernetesObject child) {
		V1ObjectMeta metadata = child.getMetadata();
		if (metadata == null || metadata.getOwnerReferences() == null) {
			return List.of();
		}
		List<ObjectKey> owners = new ArrayList<>(1);
		for (V1OwnerReference reference : metadata.getOwnerReferences()) {
			if (Boolean.TRUE.equals(reference.getController()) && isPrimary(reference)) {
				String namespace = primaryType.namespaced() ? metadata.getNamespace() : "";
				owners.add(ObjectKey.of(namespace, reference.getName()));
			}
		}
		return owners;
	}

	private boolean isPrimary(V1OwnerReference reference) {
		if (!primaryType.kind().equals(reference.getKind()) || reference.getApiVersion() == null) {
			return false;
		}
		// The version may differ (an owner written through another served version): compare the group only.
		String apiVersion = reference.getApiVersion();
		int slash = apiVersion.indexOf('/');
		String group = slash < 0 ? "" : apiVersion.substring(0, slash);
		return group.equals(primaryType.group());
	}

	void detach() {
		handlers.forEach(Controller.DetachableHandler::detach);
	}

	ResourceType primaryType() {
		return primaryType;
	}

	Class<T> primaryJavaType() {
		return primaryJavaType;
	}

	/**
	 * The primary object with this key as last known: the cached one, or this controller's own later write of it
	 * while the cache has not caught up; null when the cache does not hold it (it is gone).
	 */
	@Nullable T cachedPrimary(ObjectKey key) {
		Informer<T> informer = primaryInformers.size() == 1 && primaryInformers.containsKey(null)
				? primaryInformers.get(null) : primaryInformers.get(key.namespace());
		T cached = informer == null ? null : informer.getIndexer().getByKey(key.toString());
		if (cached == null) {
			ownWrites.forget(key);
			return null;
		}
		return ownWrites.freshest(key, cached);
	}

	/** Remembers a primary object as a write of this controller returned it; see {@link OwnWrites}. */
	/** This controller is about to write the primary object {@code key}; see {@link #written(ObjectKey)}. */
	void writing(ObjectKey key) {
		ownWrites.sending(key);
	}

	/** The write announced by {@link #writing} is over (answered or failed). */
	void written(ObjectKey key) {
		ownWrites.sent(key);
	}

	void wrote(ObjectKey key, T stored) {
		ownWrites.wrote(key, stored);
	}

	/** Whether {@code key} and {@code object} name a primary object of this controller. */
	boolean isPrimaryObject(ObjectKey key, KubernetesObject object, ResourceType type) {
		return primaryType.equals(type) && primaryJavaType.isInstance(object) && object.getMetadata() != null
				&& key.equals(keyOf(object));
	}

	/**
	 * The informers of a kind this controller reads, or null if it reads no such kind.
	 *
	 * @throws IllegalStateException when the kind is cached metadata only and {@code ref} asks for whole objects
	 */
	@SuppressWarnings("unchecked")
	<U extends KubernetesObject> @Nullable List<Informer<U>> informersOf(TypeRef<U> ref) {
		if (ref.javaType() == primaryJavaType && (ref.apiVersion() == null
				|| (ref.apiVersion().equals(primaryType.apiVersion()) && primaryType.kind().equals(ref.kind())))) {
			return new ArrayList<>((Collection<Informer<U>>) (Collection<?>) primaryInformers.values());
		}
		Kind kind = kindOf(ref);
		if (kind == null) {
			return null;
		}
		if (kind.mode() == CacheMode.METADATA_ONLY) {
			throw new IllegalStateException(ref.javaType().getSimpleName() + " objects are cached metadata only, the"
					+ " default for owned kinds: read them with ownedMetadata(...), or declare the kind with"
					+ " owns(" + ref.javaType().getSimpleName() + ".class, CacheMode.OBJECTS) in configure(...)"
					+ " (or @Reconciler(ownedCache = CacheMode.OBJECTS)) to read whole objects");
		}
		return (List<Informer<U>>) (List<?>) kind.informers();
	}

	private @Nullable Kind kindOf(TypeRef<?> ref) {
		Kind kind = secondaryKinds.get(ref);
		if (kind == null && ref.apiVersion() == null) {
			kind = secondaryKinds.values().stream().filter(k -> k.ref().javaType() == ref.javaType()).findFirst().orElse(null);
		}
		return kind;
	}

	/** The cached objects of {@code ref} whose controller owner has this uid. */
	<U extends KubernetesObject> List<U> ownedBy(TypeRef<U> ref, String ownerUid) {
		if (kindOf(ref) == null) {
			throw notOwned(ref);
		}
		List<U> result = new ArrayList<>();
		for (Informer<U> informer : informersOf(ref)) {
			Indexer<U> indexer = informer.getIndexer();
			result.addAll(indexer.byIndex(Indexes.OWNER_UID, ownerUid));
		}
		return result;
	}

	/** The metadata of the cached objects of {@code ref} whose owner has this uid, however the kind is cached. */
	List<PartialObjectMetadata> ownedMetadataBy(TypeRef<?> ref, String ownerUid) {
		Kind kind = kindOf(ref);
		if (kind == null) {
			throw notOwned(ref);
		}
		List<PartialObjectMetadata> result = new ArrayList<>();
		for (Informer<?> informer : kind.informers()) {
			for (KubernetesObject object : informer.getIndexer().byIndex(Indexes.OWNER_UID, ownerUid)) {
				result.add((object instanceof PartialObjectMetadata metadata) ? metadata
						: new PartialObjectMetadata().apiVersion(kind.type().apiVersion()).kind(kind.type().kind())
								.metadata(object.getMetadata()));
			}
		}
		return result;
	}

	private static IllegalArgumentException notOwned(TypeRef<?> ref) {
		return new IllegalArgumentException("Kind " + ref.javaType().getSimpleName()
				+ " is not owned by this controller: declare it with owns");
	}

	List<Informer<?>> all() {
		List<Informer<?>> all = new ArrayList<>(primaryInformers.values());
		secondaryKinds.values().forEach(kind -> all.addAll(kind.informers()));
		return all;
	}

	boolean allSynced() {
		return all().stream().allMatch(Informer::hasSynced);
	}

	static ObjectKey keyOf(KubernetesObject obj) {
		V1ObjectMeta metadata = obj.getMetadata();
		return ObjectKey.of(metadata.getNamespace(), metadata.getName());
	}

	/** Maps events of a secondary kind to primary keys; on updates both the old and the new state are mapped. */
	private static final class SecondaryHandler<U extends KubernetesObject> implements ResourceEventHandler<U> {

		private final java.util.function.Function<U, Collection<ObjectKey>> mapper;
		private final Controller.Enqueuer enqueuer;
		private final ReconcileReason reason;

		SecondaryHandler(java.util.function.Function<U, Collection<ObjectKey>> mapper, Controller.Enqueuer enqueuer,
				ReconcileReason reason) {
			this.mapper = mapper;
			this.enqueuer = enqueuer;
			this.reason = reason;
		}

		@Override
		public void onAdd(U obj) {
			mapper.apply(obj).forEach(key -> enqueuer.enqueue(key, reason));
		}

		@Override
		public void onUpdate(U oldObj, U newObj) {
			Set<ObjectKey> keys = new LinkedHashSet<>(mapper.apply(oldObj));
			keys.addAll(mapper.apply(newObj));
			keys.forEach(key -> enqueuer.enqueue(key, reason));
		}

		@Override
		public void onDelete(U obj, boolean deletedFinalStateUnknown) {
			mapper.apply(obj).forEach(key -> enqueuer.enqueue(key, reason));
		}
	}
}
