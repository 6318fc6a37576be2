package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.WatchSpec;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the objects whose deletion has waited longer than a threshold for a controller's finalizer, by reading the
 * controller's primary cache when asked: there is no background scan, so a count costs one pass over the cache.
 * Each one is listed with the last error of its cleanup, as {@link RecentErrors} remembers it.
 */
public final class StuckFinalizers {

	/** Default time a deletion may wait for the finalizer before the object is listed. */
	public static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(5);

	private final RecentErrors errors;
	private final Duration threshold;
	private final Clock clock;

	/** Lists deletions that have waited more than {@link #DEFAULT_THRESHOLD}. */
	public StuckFinalizers(RecentErrors errors) {
		this(errors, DEFAULT_THRESHOLD, Clock.systemUTC());
	}

	/** Lists deletions that have waited more than {@code threshold}, timed by {@code clock}. */
	public StuckFinalizers(RecentErrors errors, Duration threshold, Clock clock) {
		this.errors = Objects.requireNonNull(errors, "errors");
		if (threshold.isNegative()) {
			throw new IllegalArgumentException("threshold must not be negative, was " + threshold);
		}
		this.threshold = threshold;
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/** The controller's objects stuck in deletion, longest waiting first; none when it has no finalizer. */
	public List<StuckFinalizer> find(Controller<?> controller) {
		String finalizer = controller.spec().finalizer();
		ResourceType type = controller.primaryType();
		if (finalizer == null || type == null) {
			return List.of();
		}
		Instant now = clock.instant();
		List<StuckFinalizer> stuck = new ArrayList<>();
		for (Informer<?> informer : primaryInformers(controller, type)) {
			for (KubernetesObject object : informer.getIndexer().list()) {
				V1ObjectMeta metadata = object.getMetadata();
				if (metadata == null || metadata.getDeletionTimestamp() == null || metadata.getFinalizers() == null
						|| !metadata.getFinalizers().contains(finalizer)) {
					continue;
				}
				Instant deletionRequestedAt = metadata.getDeletionTimestamp().toInstant();
				Duration waiting = Duration.between(deletionRequestedAt, now);
				if (waiting.compareTo(threshold) <= 0) {
					continue;
				}
				ObjectKey key = new ObjectKey(metadata.getNamespace(), metadata.getName());
				String name = controller.spec().name();
				stuck.add(new StuckFinalizer(name, type.kind() + " " + key, key, finalizer, deletionRequestedAt, waiting,
						errors.error(name, key).orElse(null)));
			}
		}
		stuck.sort(Comparator.comparing(StuckFinalizer::deletionRequestedAt));
		return stuck;
	}

	/** How many of the controller's objects are stuck in deletion now. */
	public int count(Controller<?> controller) {
		return find(controller).size();
	}

	/**
	 * The informers of the controller's primary kind: one per watched namespace, with the controller's selectors.
	 * Owned or watched kinds never match all of type and selectors.
	 */
	private static Set<Informer<?>> primaryInformers(Controller<?> controller, ResourceType type) {
		// A set: a kind both reconciled and owned would share one informer.
		Set<Informer<?>> primary = new LinkedHashSet<>();
		for (Informer<?> informer : controller.informers()) {
			WatchSpec spec = informer.spec();
			if (spec.type().equals(type)
					&& Objects.equals(spec.labelSelector(), blankToNull(controller.spec().labelSelector()))
					&& Objects.equals(spec.fieldSelector(), blankToNull(controller.spec().fieldSelector()))) {
				primary.add(informer);
			}
		}
		return primary;
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}
}
