package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.predicate.EventFilter;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.RateLimiters;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param resyncPeriod the periodic safety requeue of every object (jittered by up to 10%), zero to disable
 * @param backoffBase the first retry delay of a failing object
 * @param backoffCap the longest retry delay of a failing object
 * @param reconcileTimeout how long one reconcile may run before it is interrupted and retried, zero for no limit
 * @param syncTimeout how long the caches may take to sync at start before the controller fails
 * @param <T> the primary Java type
 */
public record ControllerSpec<T extends KubernetesObject>(String name, TypeRef<T> primary, Set<String> namespaces,
		@Nullable String labelSelector, @Nullable String fieldSelector, List<TypeRef<?>> owns,
		List<WatchedType<?>> watches, int concurrency, @Nullable String finalizer, EventFilter<T> eventFilter,
		Duration resyncPeriod, Duration backoffBase, Duration backoffCap, Duration reconcileTimeout,
		Duration syncTimeout) {

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

		/** Requeues the controlling owner when an object of this kind changes. */
		public Builder<T> owns(TypeRef<?> owned) {
			owns.add(owned);
			return this;
		}

		/** Requeues the controlling owner when an object of this class changes. */
		public Builder<T> owns(Class<? extends KubernetesObject> owned) {
			return owns(TypeRef.of(owned));
		}

		/** Requeues the primary objects {@code mapper} returns when an object of this kind changes. */
		public <U extends KubernetesObject> Builder<T> watches(TypeRef<U> type, Function<U, Collection<ObjectKey>> mapper) {
			watches.add(new WatchedType<>(type, mapper));
			return this;
		}

		public <U extends KubernetesObject> Builder<T> watches(Class<U> type, Function<U, Collection<ObjectKey>> mapper) {
			return watches(TypeRef.of(type), mapper);
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
					syncTimeout);
		}
	}
}
