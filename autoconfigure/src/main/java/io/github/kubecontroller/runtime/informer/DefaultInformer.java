package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.informer.cache.Indexer;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Informer} of an {@link InformerRegistry}: a {@link Reflector} on one thread fills the
 * {@link InformerCache}, an {@link EventDispatcher} on a second thread calls the handlers.
 */
final class DefaultInformer<T extends KubernetesObject> implements Informer<T> {

	private static final Logger log = LoggerFactory.getLogger(DefaultInformer.class);

	private final WatchSpec spec;
	private final Class<T> javaType;
	private final CacheMode cacheMode;
	private final String name;
	private final String threadName;
	private final InformerCache<T> cache;
	private final EventDispatcher<T> dispatcher;
	private final HealthRecorder health;
	private final Reflector<T> reflector;
	private final Consumer<DefaultInformer<?>> onStop;
	private final AtomicBoolean started = new AtomicBoolean();
	private final AtomicBoolean stopped = new AtomicBoolean();
	private final AtomicBoolean resyncWarned = new AtomicBoolean();

	private final Thread listWatchThread;
	private final Thread handlerThread;

	/** @param transform applied after the options' transform; {@link ObjectTransform#NONE} for none */
	DefaultInformer(ApiClient client, WatchSpec spec, Class<T> javaType, CacheMode mode, ObjectTransform transform,
			InformerOptions options, Consumer<DefaultInformer<?>> onStop) {
		this.spec = spec;
		this.javaType = javaType;
		this.cacheMode = mode;
		this.name = spec + " as " + javaType.getSimpleName() + ((mode == CacheMode.COMPACT) ? " (compact)" : "");
		this.threadName = "kube-informer-" + spec.type().plural()
				+ ((spec.namespace() != null) ? "-" + spec.namespace() : "");
		this.cache = new InformerCache<>(name);
		this.dispatcher = new EventDispatcher<>(name);
		this.health = new HealthRecorder(Clock.systemUTC());
		this.onStop = onStop;
		ListWatchRequests requests = new ListWatchRequests(client, spec, options.watchTimeout().multipliedBy(2),
				mode == CacheMode.METADATA_ONLY);
		ObjectTransform combined = (transform == ObjectTransform.NONE) ? options.transform()
				: options.transform().andThen(transform);
		ObjectDecoder<T> decoder = new ObjectDecoder<>(javaType, spec.type(), combined, name,
				mode == CacheMode.COMPACT);
		this.reflector = new Reflector<>(spec, name, options, requests, decoder, cache, dispatcher, health);
		this.listWatchThread = options.threadFactory().newThread(new NamedTask(threadName, reflector::run));
		this.handlerThread = options.threadFactory().newThread(new NamedTask(threadName + "-handlers", dispatcher));
	}

	/** A task whose {@code toString()} is the thread name the informer suggests to the thread factory. */
	private record NamedTask(String name, Runnable body) implements Runnable {

		@Override
		public void run() {
			body.run();
		}

		@Override
		public String toString() {
			return name;
		}
	}

	/** Starts the threads; done once by the registry. */
	void start() {
		if (started.compareAndSet(false, true)) {
			handlerThread.start();
			listWatchThread.start();
		}
	}

	/**
	 * Waits for both threads to end.
	 *
	 * @return whether they ended within the timeout
	 */
	boolean join(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : List.of(listWatchThread, handlerThread)) {
			if (started.get()) {
				long left = deadline - System.nanoTime();
				if (left > 0) {
					TimeUnit.NANOSECONDS.timedJoin(thread, left);
				}
				if (thread.isAlive()) {
					return false;
				}
			}
		}
		return true;
	}

	/** Whether both threads have ended (or never started). */
	boolean ended() {
		return !listWatchThread.isAlive() && !handlerThread.isAlive();
	}

	@Override
	public WatchSpec spec() {
		return spec;
	}

	@Override
	public CacheMode cacheMode() {
		return cacheMode;
	}

	@Override
	public Class<T> javaType() {
		return javaType;
	}

	@Override
	public CompletableFuture<Void> synced() {
		return dispatcher.synced();
	}

	@Override
	public boolean awaitSynced(Duration timeout) throws InterruptedException {
		try {
			dispatcher.synced().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("the synced future never fails", ex);
		}
	}

	@Override
	public WatchHealth health() {
		return health.snapshot();
	}

	@Override
	public int size() {
		return cache.size();
	}

	@Override
	public long approximateBytes() {
		return cache.approximateBytes();
	}

	/** Handlers run on this informer's handler thread; one added after sync first gets an add per cached object. */
	@Override
	public void addEventHandler(ResourceEventHandler<T> handler) {
		dispatcher.addHandler(handler, cache::list);
	}

	/**
	 * Adds the handler without periodic resync: controllers requeue periodically themselves, and client-java
	 * ignores per-handler periods anyway. Logged once.
	 */
	@Override
	public void addEventHandlerWithResyncPeriod(ResourceEventHandler<T> handler, long resyncPeriod) {
		if (resyncPeriod > 0 && resyncWarned.compareAndSet(false, true)) {
			log.warn("Informer {}: resync periods are not supported; the handler is added without one (requeue "
					+ "periodically from the controller instead)", name);
		}
		addEventHandler(handler);
	}

	/** Does nothing: the registry starts informers when they are first asked for. */
	@Override
	public void run() {
	}

	/**
	 * Stops this informer for good: its watch is closed, its threads end and the registry forgets it (asking the
	 * registry again for the same spec starts a new one).
	 */
	@Override
	public void stop() {
		if (stopped.compareAndSet(false, true)) {
			reflector.stop();
			dispatcher.stop();
			handlerThread.interrupt();
			onStop.accept(this);
		}
	}

	@Override
	public boolean hasSynced() {
		return dispatcher.synced().isDone();
	}

	@Override
	public String lastSyncResourceVersion() {
		return health.resourceVersion();
	}

	/**
	 * Not supported: the transform is an option of the registry ({@link InformerOptions#transform()}), so that
	 * every informer applies it from its first object on.
	 *
	 * @throws UnsupportedOperationException always
	 */
	@Override
	public void setTransform(TransformFunc transformFunc) {
		throw new UnsupportedOperationException(
				"set the transform with InformerOptions.withTransform when creating the InformerRegistry");
	}

	@Override
	public void addIndexers(Map<String, Function<T, List<String>>> indexers) {
		cache.addIndexers(indexers);
	}

	@Override
	public Indexer<T> getIndexer() {
		return cache;
	}

	@Override
	public String toString() {
		return "Informer " + name;
	}
}
