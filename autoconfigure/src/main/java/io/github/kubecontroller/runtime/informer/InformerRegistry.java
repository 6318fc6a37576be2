package io.github.kubecontroller.runtime.informer;

import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared informers of one API client: one watch and one cache per {@link WatchSpec} and Java type, created
 * and started the first time they are asked for, stopped together by {@link #close()}.
 *
 * <pre>{@code
 * ResourceType configMaps = new ResourceType("", "v1", "ConfigMap", "configmaps", true);
 * InformerRegistry informers = new InformerRegistry(apiClient, InformerOptions.defaults());
 * Informer<V1ConfigMap> informer = informers.informer(WatchSpec.all(configMaps).inNamespace("shop"),
 *         V1ConfigMap.class);
 * informer.awaitSynced(Duration.ofSeconds(30));
 * Lister<V1ConfigMap> lister = new Lister<>(informer.getIndexer());
 * }</pre>
 *
 * <p>The Java type may be a client-java model, a class of your own implementing {@link KubernetesObject} (decoded
 * with client-java's Gson), or {@link io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject}. The
 * {@code ApiClient} may have a read timeout: watches get their own, derived from the watch timeout.
 */
public final class InformerRegistry implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(InformerRegistry.class);

	/** How long {@link #close()} waits for the informer threads. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private record Key(WatchSpec spec, Class<?> javaType, CacheMode mode, ObjectTransform transform) {
	}

	private final ApiClient client;
	private final InformerOptions options;
	private final Map<Key, DefaultInformer<?>> informers = new LinkedHashMap<>();
	// Informers stopped one by one, whose threads close() still waits for.
	private final List<DefaultInformer<?>> stopped = new ArrayList<>();
	private boolean closed;

	/** A registry with {@link InformerOptions#defaults()}. */
	public InformerRegistry(ApiClient client) {
		this(client, InformerOptions.defaults());
	}

	public InformerRegistry(ApiClient client, InformerOptions options) {
		this.client = Objects.requireNonNull(client, "client");
		this.options = Objects.requireNonNull(options, "options");
	}

	/**
	 * The shared informer for {@code spec} decoding to {@code javaType}, started on first request. The type
	 * {@link PartialObjectMetadata} gets a {@link CacheMode#METADATA_ONLY metadata-only} informer, any other
	 * type one of decoded objects.
	 *
	 * @throws IllegalStateException after {@link #close()}
	 */
	public <T extends KubernetesObject> Informer<T> informer(WatchSpec spec, Class<T> javaType) {
		return informer(spec, javaType,
				(javaType == PartialObjectMetadata.class) ? CacheMode.METADATA_ONLY : CacheMode.OBJECTS);
	}

	/**
	 * The shared informer for {@code spec} decoding to {@code javaType} and keeping its objects as {@code mode}
	 * says, started on first request. Informers that differ only in their mode are separate watches.
	 *
	 * @throws IllegalArgumentException when the mode is {@link CacheMode#METADATA_ONLY} and the type is not
	 * {@link PartialObjectMetadata}, or the other way round
	 * @throws IllegalStateException after {@link #close()}
	 */
	public <T extends KubernetesObject> Informer<T> informer(WatchSpec spec, Class<T> javaType, CacheMode mode) {
		return informer(spec, javaType, mode, ObjectTransform.NONE);
	}

	/**
	 * As {@link #informer(WatchSpec, Class, CacheMode)}, with a transform of this watch's own applied after the
	 * registry's: to drop what only this watch's readers never need (a large field of a Secret, say). Watches with
	 * another transform instance are separate watches, so keep one instance per purpose.
	 */
	public synchronized <T extends KubernetesObject> Informer<T> informer(WatchSpec spec, Class<T> javaType,
			CacheMode mode, ObjectTransform transform) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(javaType, "javaType");
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(transform, "transform");
		if ((mode == CacheMode.METADATA_ONLY) != (javaType == PartialObjectMetadata.class)) {
			throw new IllegalArgumentException("A metadata-only informer decodes to PartialObjectMetadata, and only"
					+ " it does: " + javaType.getSimpleName() + " cannot be cached as " + mode);
		}
		if (closed) {
			throw new IllegalStateException("the informer registry is closed");
		}
		Key key = new Key(spec, javaType, mode, transform);
		@SuppressWarnings("unchecked")
		DefaultInformer<T> informer = (DefaultInformer<T>) informers.get(key);
		if (informer == null) {
			informer = new DefaultInformer<>(client, spec, javaType, mode, transform, options, this::forget);
			informers.put(key, informer);
			informer.start();
			log.debug("Started {}", informer);
		}
		return informer;
	}

	/** The informers started so far and not stopped. */
	public synchronized List<Informer<?>> informers() {
		return List.copyOf(informers.values());
	}

	/**
	 * Stops every informer: open watches are cancelled, so their threads end at once; waits up to 10 s for the
	 * threads.
	 */
	@Override
	public void close() {
		List<DefaultInformer<?>> stopping;
		synchronized (this) {
			if (closed) {
				return;
			}
			closed = true;
			stopping = new ArrayList<>(informers.values());
			stopping.addAll(stopped);
			informers.clear();
			stopped.clear();
		}
		for (DefaultInformer<?> informer : stopping) {
			informer.stop();
		}
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		try {
			for (DefaultInformer<?> informer : stopping) {
				Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				if (!informer.join(left)) {
					log.warn("{} did not stop within {}", informer, CLOSE_TIMEOUT);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized void forget(DefaultInformer<?> informer) {
		if (informers.values().remove(informer)) {
			stopped.removeIf(DefaultInformer::ended);
			stopped.add(informer);
		}
	}
}
