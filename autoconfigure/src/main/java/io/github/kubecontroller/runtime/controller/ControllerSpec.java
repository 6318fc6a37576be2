package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.informer.CacheMode;
import io.github.kubecontroller.runtime.informer.ObjectTransform;
import io.github.kubecontroller.runtime.predicate.EventFilter;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.RateLimiters;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything that defines one controller apart from its reconciler: the primary kind and where to watch it, the
 * kinds it owns or watches, and how it schedules work. Build with {@link #builder(String, Class)}; every setting
 * has a safe default.
 *
 * @param name the controller's name: used in logs, metrics, thread names and as the field manager of its writes
 * @param primary the primary kind
 * @param namespaces the namespaces to watch, empty for all
 * @param labelSelector a label selector limiting the primary objects, or null
 * @param fieldSelector a field selector limiting the primary objects, or null
 * @param owns kinds whose objects this controller creates; their changes requeue the controlling owner
 * @param watches other kinds whose changes requeue primary objects through a mapping function
 * @param concurrency how many objects are reconciled at once
 * @param finalizer the finalizer that guards cleanup, or null for none
 * @param eventFilter which changes of primary objects trigger a reconcile (deletions always do)
 * @param resyncPeriod the periodic safety requeue of every cached object, zero to disable: each object comes up
 *        about once per period, the objects spread evenly over it (one sweep of the cache every period/64, at least
 *        100 ms apart, each queueing the objects whose key hashes to its slice); failing objects are left to their
 *        retries, and an instance that stands by sweeps nothing
 * @param backoffBase the first retry delay of a failing object
 * @param backoffCap the longest retry delay of a failing object
 * @param reconcileTimeout how long one reconcile may run before it is interrupted and retried, zero for no limit
 * @param syncTimeout how long the caches may take to sync at start before the controller fails
 * @param primaryCache how the primary objects are cached: {@link CacheMode#OBJECTS} (the default) or
 *        {@link CacheMode#COMPACT}
 * @param cacheModes how owned and watched kinds are cached, where not by default: owned kinds are cached
 *        {@link CacheMode#METADATA_ONLY metadata only} (their events need only the owner references), watched kinds
 *        as {@link CacheMode#OBJECTS objects} (their mapping functions read them); see {@link #cacheMode(TypeRef)}
 * @param primaryTransform applied to every primary object before it is cached, after the application-wide
 *        transform (which drops managedFields): to keep only what the reconciler reads
 * @param <T> the primary Java type
 */
public record ControllerSpec<T extends KubernetesObject>(String name, TypeRef<T> primary, Set<String> namespaces,
		@Nullable String labelSelector, @Nullable String fieldSelector, List<TypeRef<?>> owns,
		List<WatchedType<?>> watches, int concurrency, @Nullable String finalizer, EventFilter<T> eventFilter,
		Duration resyncPeriod, Duration backoffBase, Duration backoffCap, Duration reconcileTimeout,
		Duration syncTimeout, CacheMode primaryCache, Map<TypeRef<?>, CacheMode> cacheModes,
		ObjectTransform primaryTransform) {

	/** Default number of objects a controller reconciles at once. */
	public static final int DEFAULT_CONCURRENCY = 4;

	/** Default periodic safety requeue, as controller-runtime's default sync period. */
	public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofHours(10);

	/** Default limit of one reconcile. */
	public static final Duration DEFAULT_RECONCILE_TIMEOUT = Duration.ofMinutes(5);

	/** Default time the caches may take to sync at start. */
	public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofMinutes(2);

	// Controller names appear in metric tags, thread names and field managers: keep them DNS-label-like.
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");

	public ControllerSpec {
		Objects.requireNonNull(name, "name");
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Controller name '" + name
					+ "' is invalid: use lower-case letters, digits, '-' and '.', at most 63 characters");
		}
		Objects.requireNonNull(primary, "primary");
		namespaces = Set.copyOf(namespaces);
		owns = List.copyOf(owns);
		watches = List.copyOf(watches);
		Objects.requireNonNull(eventFilter, "eventFilter");
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency of controller '" + name + "' must be at least 1, was " + concurrency);
		}
		requireNotNegative(name, "resyncPeriod", resyncPeriod);
		requirePositive(name, "backoffBase", backoffBase);
		requirePositive(name, "backoffCap", backoffCap);
		if (backoffCap.compareTo(backoffBase) < 0) {
			throw new IllegalArgumentException("backoffCap of controller '" + name + "' (" + backoffCap
					+ ") must not be less than backoffBase (" + backoffBase + ")");
		}
		requireNotNegative(name, "reconcileTimeout", reconcileTimeout);
		requirePositive(name, "syncTimeout", syncTimeout);
		if (finalizer != null && finalizer.isBlank()) {
			finalizer = null;
		}
		Objects.requireNonNull(primaryCache, "primaryCache");
		if (primaryCache == CacheMode.METADATA_ONLY) {
			throw new IllegalArgumentException("the primary objects of controller '" + name
					+ "' are reconciled whole: cache them as OBJECTS or COMPACT, not METADATA_ONLY");
		}
		cacheModes = Map.copyOf(cacheModes);
		Objects.requireNonNull(primaryTransform, "primaryTransform");
	}

	/**
	 * How objects of an owned or watched kind are cached: as declared, except that a watched kind's mapping function
	 * reads whole objects, so it is never cached metadata only.
	 */
	public CacheMode cacheMode(TypeRef<?> kind) {
		CacheMode declared = cacheModes.get(kind);
		boolean watched = watches.stream().anyMatch(watchedType -> watchedType.type().equals(kind));
		if (watched) {
			return (declared == CacheMode.COMPACT) ? CacheMode.COMPACT : CacheMode.OBJECTS;
		}
		return (declared != null) ? declared : CacheMode.METADATA_ONLY;
	}

	/** A builder for a controller of {@code primaryType} with every setting at its default. */
	public static <T extends KubernetesObject> Builder<T> builder(String name, Class<T> primaryType) {
		return new Builder<>(name, TypeRef.of(primaryType));
	}

	/** A builder for a controller of the given kind (needed for {@code DynamicKubernetesObject}). */
	public static <T extends KubernetesObject> Builder<T> builder(String name, TypeRef<T> primary) {
		return new Builder<>(name, primary);
	}

	private static void requirePositive(String name, String setting, Duration value) {
		Objects.requireNonNull(value, setting);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(setting + " of controller '" + name + "' must be positive, was " + value);
		}
	}

	private static void requireNotNegative(String name, String setting, Duration value) {
		Objects.requireNonNull(value, setting);
		if (value.isNegative()) {
			throw new IllegalArgumentException(setting + " of controller '" + name + "' must not be negative, was " + value);
		}
	}

	/** Builds a {@link ControllerSpec}. */
	public static final class Builder<T extends KubernetesObject> {

		private final String name;
		private final TypeRef<T> primary;
		private final Set<String> namespaces = new LinkedHashSet<>();
		private @Nullable String labelSelector;
		private @Nullable String fieldSelector;
		private final List<TypeRef<?>> owns = new ArrayList<>();
		private final List<WatchedType<?>> watches = new ArrayList<>();
		private int concurrency = DEFAULT_CONCURRENCY;
		private @Nullable String finalizer;
		private EventFilter<T> eventFilter = EventFilter.defaultFilter();
		private Duration resyncPeriod = DEFAULT_RESYNC_PERIOD;
		private Duration backoffBase = RateLimiters.DEFAULT_BASE;
		private Duration backoffCap = RateLimiters.DEFAULT_CAP;
		private Duration reconcileTimeout = DEFAULT_RECONCILE_TIMEOUT;
		private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
		private CacheMode primaryCache = CacheMode.OBJECTS;
		private final Map<TypeRef<?>, CacheMode> cacheModes = new LinkedHashMap<>();
		private ObjectTransform primaryTransform = ObjectTransform.NONE;

		private Builder(String name, TypeRef<T> primary) {
			this.name = name;
			this.primary = primary;
		}

		/** Watches only these namespaces (all when none are given). */
		public Builder<T> namespaces(Collection<String> namespaces) {
			this.namespaces.clear();
			namespaces.stream().filter(namespace -> !namespace.isBlank()).forEach(this.namespaces::add);
			return this;
		}

		public Builder<T> labelSelector(@Nullable String labelSelector) {
			this.labelSelector = labelSelector;
			return this;
		}

		public Builder<T> fieldSelector(@Nullable String fieldSelector) {
			this.fieldSelector = fieldSelector;
			return this;
		}

		/**
		 * Requeues the controlling owner when an object of this kind changes. Its objects are cached
		 * {@link CacheMode#METADATA_ONLY metadata only}: declare another mode to read them whole.
		 */
		public Builder<T> owns(TypeRef<?> owned) {
			owns.add(owned);
			return this;
		}

		/** As {@link #owns(TypeRef)}, for a class that names its kind. */
		public Builder<T> owns(Class<? extends KubernetesObject> owned) {
			return owns(TypeRef.of(owned));
		}

		/**
		 * Requeues the controlling owner when an object of this kind changes, caching its objects as {@code mode}
		 * says ({@link CacheMode#OBJECTS} for {@code context.ownedObjects(type)} and listers of that type).
		 */
		public Builder<T> owns(TypeRef<?> owned, CacheMode mode) {
			owns.add(owned);
			cacheModes.put(owned, Objects.requireNonNull(mode, "mode"));
			return this;
		}

		/** As {@link #owns(TypeRef, CacheMode)}, for a class that names its kind. */
		public Builder<T> owns(Class<? extends KubernetesObject> owned, CacheMode mode) {
			return owns(TypeRef.of(owned), mode);
		}

		/** Requeues the primary objects {@code mapper} returns when an object of this kind changes. */
		public <U extends KubernetesObject> Builder<T> watches(TypeRef<U> type, Function<U, Collection<ObjectKey>> mapper) {
			watches.add(new WatchedType<>(type, mapper));
			return this;
		}

		public <U extends KubernetesObject> Builder<T> watches(Class<U> type, Function<U, Collection<ObjectKey>> mapper) {
			return watches(TypeRef.of(type), mapper);
		}

		/**
		 * As {@link #watches(TypeRef, Function)}, caching the watched objects as {@code mode} says
		 * ({@link CacheMode#OBJECTS} or {@link CacheMode#COMPACT}).
		 */
		public <U extends KubernetesObject> Builder<T> watches(TypeRef<U> type, Function<U, Collection<ObjectKey>> mapper,
				CacheMode mode) {
			if (mode == CacheMode.METADATA_ONLY) {
				throw new IllegalArgumentException(type.javaType().getSimpleName() + " is watched by controller '"
						+ name + "' through a mapping function that reads whole objects: cache it as OBJECTS or COMPACT");
			}
			watches.add(new WatchedType<>(type, mapper));
			cacheModes.put(type, Objects.requireNonNull(mode, "mode"));
			return this;
		}

		/**
		 * Transforms every primary object before it is cached (after the application-wide transform): drop what
		 * the reconciler never reads, such as a large field. The reconciler and listers see the transformed objects.
		 */
		public Builder<T> primaryTransform(ObjectTransform transform) {
			this.primaryTransform = Objects.requireNonNull(transform, "transform");
			return this;
		}

		/** How the primary objects are cached: {@link CacheMode#OBJECTS} (the default) or {@link CacheMode#COMPACT}. */
		public Builder<T> primaryCache(CacheMode mode) {
			this.primaryCache = Objects.requireNonNull(mode, "mode");
			return this;
		}

		public Builder<T> concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		public Builder<T> finalizer(@Nullable String finalizer) {
			this.finalizer = finalizer;
			return this;
		}

		public Builder<T> eventFilter(EventFilter<T> eventFilter) {
			this.eventFilter = eventFilter;
			return this;
		}

		/** See {@link ControllerSpec#resyncPeriod()}; 10 hours by default, zero to disable. */
		public Builder<T> resyncPeriod(Duration resyncPeriod) {
			this.resyncPeriod = resyncPeriod;
			return this;
		}

		public Builder<T> backoff(Duration base, Duration cap) {
			this.backoffBase = base;
			this.backoffCap = cap;
			return this;
		}

		public Builder<T> reconcileTimeout(Duration reconcileTimeout) {
			this.reconcileTimeout = reconcileTimeout;
			return this;
		}

		public Builder<T> syncTimeout(Duration syncTimeout) {
			this.syncTimeout = syncTimeout;
			return this;
		}

		public ControllerSpec<T> build() {
			return new ControllerSpec<>(name, primary, namespaces, labelSelector, fieldSelector, owns, watches,
					concurrency, finalizer, eventFilter, resyncPeriod, backoffBase, backoffCap, reconcileTimeout,
					syncTimeout, primaryCache, cacheModes, primaryTransform);
		}
	}
}
