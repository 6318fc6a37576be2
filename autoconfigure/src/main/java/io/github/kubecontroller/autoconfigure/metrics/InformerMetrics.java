package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.WatchHealth;
import io.github.kubecontroller.runtime.informer.WatchSpec;
import io.github.kubecontroller.runtime.informer.WatchState;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Gauges of the informers' caches and watches, which controller-runtime does not have. Informers are shared by
 * controllers, so they are tagged by what they watch, not by controller: {@code resource} ({@code plural} or
 * {@code plural.group}) and {@code namespace_scope}, the namespace the watch is limited to or {@code all}. The
 * scope is configuration, so it has few values; an object's own namespace never becomes a tag.
 */
final class InformerMetrics {

	static final String ALL_NAMESPACES = "all";

	private final MeterRegistry registry;

	InformerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Registers the gauges of one informer. Registering the same resource and scope again keeps the meters of the
	 * first informer (two informers share them only when they differ by selector or Java type).
	 */
	void bind(Informer<?> informer) {
		Tags tags = tags(informer.spec());
		Gauge.builder("kube.controller.cache.objects", informer, Informer::size)
			.description("Number of objects in the informer's cache")
			.tags(tags)
			.register(registry);
		Gauge.builder("kube.controller.cache", informer, Informer::approximateBytes)
			.description("Approximate size of the cached objects' JSON as received from the API server")
			.baseUnit("bytes")
			.tags(tags)
			.register(registry);
		Gauge.builder("kube.controller.cache.synced", informer, (i) -> i.health().synced() ? 1 : 0)
			.description("1 once the informer's first list is in its cache")
			.tags(tags)
			.register(registry);
		for (WatchState state : WatchState.values()) {
			Gauge.builder("kube.controller.watch.state", informer, (i) -> (i.health().state() == state) ? 1 : 0)
				.description("1 for the state the informer's watch is in, 0 for the others")
				.tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
				.register(registry);
		}
		// An informer lists once at start and again only when its resourceVersion expired (410 Gone): a watch that
		// ends otherwise resumes without a list. So the reasons follow from the count.
		FunctionCounter.builder("kube.controller.relists", informer, (i) -> Math.min(1, i.health().relists()))
			.description("Full lists of the informer since it started, by reason: initial, or expired (410 Gone)")
			.tags(tags.and("reason", "initial"))
			.register(registry);
		FunctionCounter.builder("kube.controller.relists", informer, (i) -> Math.max(0, i.health().relists() - 1))
			.description("Full lists of the informer since it started, by reason: initial, or expired (410 Gone)")
			.tags(tags.and("reason", "expired"))
			.register(registry);
		FunctionCounter.builder("kube.controller.watch.restarts", informer, (i) -> i.health().watchRestarts())
			.description("Watch requests the informer opened since it started")
			.tags(tags)
			.register(registry);
		Gauge.builder("kube.controller.seconds.since.last.event", informer, InformerMetrics::secondsSinceLastEvent)
			.description("Seconds since the informer last heard from the API server: a watch event, bookmarks "
					+ "included, or a completed list")
			.tags(tags)
			.register(registry);
	}

	static Tags tags(WatchSpec spec) {
		return Tags.of("resource", resource(spec.type()), "namespace_scope",
				(spec.namespace() != null) ? spec.namespace() : ALL_NAMESPACES);
	}

	static String resource(ResourceType type) {
		return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
	}

	private static double secondsSinceLastEvent(Informer<?> informer) {
		WatchHealth health = informer.health();
		Instant last = latest(health.lastEvent(), health.lastRelist());
		if (last == null) {
			return Double.NaN;
		}
		return Duration.between(last, Instant.now()).toMillis() / 1000.0;
	}

	private static Instant latest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isAfter(b)) ? a : b;
	}
}
