package io.github.kubecontroller.runtime.predicate;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a change to a watched object should trigger a reconcile.
 *
 * <p>A filter sees additions ({@code oldObject} is null: the object was seen for the first time, at start-up or
 * when it was created) and updates, including resyncs where both objects are the same. <strong>Deletions are never
 * offered to filters</strong>: the controller always reconciles them. A filter that could hide a deletion, or the
 * update that starts one, is the usual cause of finalizers that are never removed; this is why
 * {@link #defaultFilter()} always lets {@link #deletionMarked()} through.
 *
 * <p>The "changed" filters accept every addition. Compose filters with {@link #and}, {@link #or},
 * {@link #negate} and {@link #not}:
 *
 * <pre>{@code
 * EventFilter<V1Deployment> filter = EventFilter.<V1Deployment>defaultFilter()
 *     .or(EventFilter.labelsChanged())
 *     .and(EventFilter.labelsMatch("app.kubernetes.io/managed-by=demo"));
 * }</pre>
 *
 * @param <T> the type of the watched objects
 */
@FunctionalInterface
public interface EventFilter<T extends KubernetesObject> {

	/**
	 * Whether the change from {@code oldObject} to {@code newObject} should be reconciled.
	 *
	 * @param oldObject the previous state, or null when the object is seen for the first time
	 * @param newObject the new state
	 */
	boolean accept(@Nullable T oldObject, T newObject);

	/** A filter that accepts when both this filter and {@code other} accept; {@code other} is asked only then. */
	default EventFilter<T> and(EventFilter<? super T> other) {
		Objects.requireNonNull(other, "other");
		return (oldObject, newObject) -> accept(oldObject, newObject) && other.accept(oldObject, newObject);
	}

	/** A filter that accepts when this filter or {@code other} accepts; {@code other} is asked only if needed. */
	default EventFilter<T> or(EventFilter<? super T> other) {
		Objects.requireNonNull(other, "other");
		return (oldObject, newObject) -> accept(oldObject, newObject) || other.accept(oldObject, newObject);
	}

	/** A filter that accepts exactly what this filter rejects. */
	default EventFilter<T> negate() {
		return (oldObject, newObject) -> !accept(oldObject, newObject);
	}

	/** A filter that accepts exactly what {@code filter} rejects. */
	static <T extends KubernetesObject> EventFilter<T> not(EventFilter<T> filter) {
		return Objects.requireNonNull(filter, "filter").negate();
	}

	/** Accepts every change. */
	static <T extends KubernetesObject> EventFilter<T> all() {
		return (oldObject, newObject) -> true;
	}

	/**
	 * Accepts when {@code metadata.generation} changed, that is when the spec changed; status-only updates and
	 * resyncs are rejected. Kinds without a generation (such as ConfigMaps and Secrets) pass every change.
	 */
	static <T extends KubernetesObject> EventFilter<T> generationChanged() {
		return (oldObject, newObject) -> {
			if (oldObject == null) {
				return true;
			}
			Long oldGeneration = metadata(oldObject, V1ObjectMeta::getGeneration);
			Long newGeneration = metadata(newObject, V1ObjectMeta::getGeneration);
			return oldGeneration == null || newGeneration == null || !oldGeneration.equals(newGeneration);
		};
	}

	/** Accepts when {@code metadata.finalizers} changed (an absent list counts as empty; order counts). */
	static <T extends KubernetesObject> EventFilter<T> finalizersChanged() {
		return (oldObject, newObject) -> oldObject == null
				|| !orEmpty(metadata(oldObject, V1ObjectMeta::getFinalizers))
					.equals(orEmpty(metadata(newObject, V1ObjectMeta::getFinalizers)));
	}

	/**
	 * Accepts when {@code metadata.deletionTimestamp} is newly set: by this update, or already on an object seen
	 * for the first time (a deletion that started while the controller was not watching).
	 */
	static <T extends KubernetesObject> EventFilter<T> deletionMarked() {
		return (oldObject, newObject) -> metadata(newObject, V1ObjectMeta::getDeletionTimestamp) != null
				&& (oldObject == null || metadata(oldObject, V1ObjectMeta::getDeletionTimestamp) == null);
	}

	/** Accepts when {@code metadata.labels} changed (an absent map counts as empty). */
	static <T extends KubernetesObject> EventFilter<T> labelsChanged() {
		return (oldObject, newObject) -> oldObject == null || !orEmpty(metadata(oldObject, V1ObjectMeta::getLabels))
			.equals(orEmpty(metadata(newObject, V1ObjectMeta::getLabels)));
	}

	/** Accepts when {@code metadata.annotations} changed (an absent map counts as empty). */
	static <T extends KubernetesObject> EventFilter<T> annotationsChanged() {
		return (oldObject, newObject) -> oldObject == null
				|| !orEmpty(metadata(oldObject, V1ObjectMeta::getAnnotations))
					.equals(orEmpty(metadata(newObject, V1ObjectMeta::getAnnotations)));
	}

	/** Accepts when {@code metadata.resourceVersion} changed: every stored change, but no resync. */
	static <T extends KubernetesObject> EventFilter<T> resourceVersionChanged() {
		return (oldObject, newObject) -> oldObject == null
				|| !Objects.equals(metadata(oldObject, V1ObjectMeta::getResourceVersion),
						metadata(newObject, V1ObjectMeta::getResourceVersion));
	}

	/**
	 * Accepts when the new object's labels match {@code selector}, in the API's label selector syntax: equality
	 * ({@code app=web}, {@code app==web}), inequality ({@code tier!=db}), sets ({@code env in (dev,test)},
	 * {@code env notin (prod)}), existence ({@code canary}, {@code !canary}), joined by commas. As on the API
	 * server, {@code !=} and {@code notin} also match objects without the label. The empty selector matches
	 * everything.
	 *
	 * @throws IllegalArgumentException when {@code selector} is not a valid label selector
	 */
	static <T extends KubernetesObject> EventFilter<T> labelsMatch(String selector) {
		LabelSelector parsed = LabelSelector.parse(Objects.requireNonNull(selector, "selector"));
		return (oldObject, newObject) -> parsed.matches(metadata(newObject, V1ObjectMeta::getLabels));
	}

	/**
	 * The filter controllers use unless told otherwise: {@link #generationChanged()} or
	 * {@link #finalizersChanged()} or {@link #deletionMarked()}. It drops status-only updates and resyncs of kinds
	 * that have a generation, and never hides the start of a deletion.
	 */
	static <T extends KubernetesObject> EventFilter<T> defaultFilter() {
		return EventFilter.<T>generationChanged().or(finalizersChanged()).or(deletionMarked());
	}

	private static <V> @Nullable V metadata(KubernetesObject object, Function<V1ObjectMeta, V> field) {
		V1ObjectMeta metadata = object.getMetadata();
		return (metadata != null) ? field.apply(metadata) : null;
	}

	private static <E> List<E> orEmpty(@Nullable List<E> list) {
		return (list != null) ? list : List.of();
	}

	private static <K, V> Map<K, V> orEmpty(@Nullable Map<K, V> map) {
		return (map != null) ? map : Map.of();
	}
}
