package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A shared watch with its cache, as client-java's {@link SharedIndexInformer}: read it through
 * {@link #getIndexer()} (or {@code new Lister<>(informer.getIndexer())}) and subscribe with
 * {@link #addEventHandler}. Informers are created and started by an {@link InformerRegistry}: {@code run} does
 * nothing, {@code stop} stops this informer for good (the registry then forgets it), and the transform is an
 * option of the registry ({@code setTransform} throws {@link UnsupportedOperationException}).
 *
 * <p>Handlers added after the cache has synced first receive an add for every cached object. Handlers run on
 * the informer's own handler thread, one event at a time and in order, so they must be quick: controllers only
 * enqueue keys. Objects that vanished while the watch was down are delivered as {@code onDelete(object, true)}.
 * Resync periods are not supported: controllers requeue periodically themselves.
 *
 * @param <T> the Java type of the cached objects
 */
public interface Informer<T extends KubernetesObject> extends SharedIndexInformer<T> {

	/** What this informer watches. */
	WatchSpec spec();

	/** The Java type objects are decoded to. */
	Class<T> javaType();

	/** How the cache keeps its objects. */
	CacheMode cacheMode();

	/** Completes when the first list has been stored in the cache; never completes exceptionally. */
	CompletableFuture<Void> synced();

	/**
	 * Waits until the cache has synced.
	 *
	 * @return whether it synced within the timeout
	 */
	boolean awaitSynced(Duration timeout) throws InterruptedException;

	/** The watch's current health. */
	WatchHealth health();

	/** Number of cached objects. */
	int size();

	/**
	 * Roughly how much JSON the cached objects took as received from the API server, in characters: the length of
	 * each object's watch event line, or of its JSON in a list. The cached Java objects take more heap than this (and
	 * less when the transform drops fields), but the figure grows and shrinks with the cache, for metrics.
	 */
	long approximateBytes();
}
