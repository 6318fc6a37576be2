package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers an informer's events to its handlers, in order, on the informer's handler thread, so that a slow
 * handler delays the other handlers but never the reading of the watch.
 *
 * <p>The informer changes its cache and queues the matching events inside {@link #atomically}; a handler is
 * registered under the same lock, together with a snapshot of the cache. So a new handler receives exactly one
 * add for each object in the cache at that moment, then every later event: nothing twice, nothing missed.
 *
 * @param <T> the Java type of the objects
 */
final class EventDispatcher<T extends KubernetesObject> implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

	private final String name;
	private final Object publishing = new Object();
	// Unbounded, as client-go's per-handler buffers: the watch is never held back by handlers.
	private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
	private final CompletableFuture<Void> synced = new CompletableFuture<>();

	// Only touched on the handler thread.
	private final List<ResourceEventHandler<T>> handlers = new ArrayList<>();

	private volatile boolean stopped;

	/** @param name the informer's name, for logs */
	EventDispatcher(String name) {
		this.name = name;
	}

	/** Runs a cache change and queues its events, atomically with respect to handler registration. */
	void atomically(Runnable change) {
		synchronized (publishing) {
			change.run();
		}
	}

	/** Queues an add; call inside {@link #atomically}. */
	void added(T object) {
		queue.add(() -> deliver("add", (handler) -> handler.onAdd(object)));
	}

	/** Queues an update; call inside {@link #atomically}. */
	void updated(T oldObject, T newObject) {
		queue.add(() -> deliver("update", (handler) -> handler.onUpdate(oldObject, newObject)));
	}

	/** Queues a delete; call inside {@link #atomically}. */
	void deleted(T object, boolean finalStateUnknown) {
		queue.add(() -> deliver("delete", (handler) -> handler.onDelete(object, finalStateUnknown)));
	}

	/** Marks the end of the first list's events: {@link #synced()} completes once they are delivered. */
	void firstListQueued() {
		queue.add(() -> synced.complete(null));
	}

	/** Completes when the events of the first list have been delivered. */
	CompletableFuture<Void> synced() {
		return synced;
	}

	/**
	 * Registers a handler, which first receives an add for every object {@code cached} returns at that moment.
	 */
	void addHandler(ResourceEventHandler<T> handler, Supplier<List<T>> cached) {
		Objects.requireNonNull(handler, "handler");
		synchronized (publishing) {
			List<T> snapshot = cached.get();
			queue.add(() -> {
				handlers.add(handler);
				for (T object : snapshot) {
					call(handler, "add", (h) -> h.onAdd(object));
				}
			});
		}
	}

	/** Stops delivering; events still queued are dropped. */
	void stop() {
		stopped = true;
		queue.clear();
		queue.add(() -> {
		}); // wakes the thread up
	}

	@Override
	public void run() {
		try {
			while (!stopped) {
				Runnable task = queue.take();
				if (!stopped) {
					task.run();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@FunctionalInterface
	private interface Delivery<T extends KubernetesObject> {

		void to(ResourceEventHandler<T> handler);
	}

	private void deliver(String event, Delivery<T> delivery) {
		for (ResourceEventHandler<T> handler : handlers) {
			if (stopped) {
				return;
			}
			call(handler, event, delivery);
		}
	}

	private void call(ResourceEventHandler<T> handler, String event, Delivery<T> delivery) {
		try {
			delivery.to(handler);
		}
		catch (RuntimeException | LinkageError | AssertionError ex) {
			// One broken handler must not take the informer or the other handlers down.
			log.error("Informer {}: event handler {} failed handling {}", name, handler, event, ex);
		}
	}
}
