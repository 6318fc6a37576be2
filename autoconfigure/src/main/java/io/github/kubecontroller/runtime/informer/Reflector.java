package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.kubernetes.client.common.KubernetesObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list/watch loop of one informer, run on its own thread. Written out as a state machine:
 *
 * <pre>
 * STARTING ─► LISTING ─► WATCHING ◄─┐   clean end of a watch: watch again from the last resourceVersion
 *                ▲          │  └──────┘   (no relist, no events)
 *                │ 410 Gone │
 *                └──────────┘
 * LISTING/WATCHING ── any other failure ─► BACKING_OFF ─► WATCHING (a resourceVersion is known) or LISTING
 * any ── stop ─► STOPPED
 * </pre>
 *
 * <p>LISTING is a streaming list when the server supports it (one watch that sends every object, then a
 * bookmark annotated {@code k8s.io/initial-events-end}, then changes), otherwise a list in pages. Either way the
 * new content is collected aside and swapped into the cache at once; the differences with the previous content
 * are delivered as events, objects that vanished as deletes with {@code deletedFinalStateUnknown = true}.
 *
 * <p>Failures wait for the {@link Backoff} delay, or the server's Retry-After when longer. A 410 Gone relists at
 * once; a second one in a row waits like any failure.
 */
final class Reflector<T extends KubernetesObject> {

	private static final Logger log = LoggerFactory.getLogger(Reflector.class);

	static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

	// A watch that ends sooner than this without a single event is treated as a failure, so that a server or
	// proxy that closes every watch at once does not make the informer spin.
	private static final long SHORT_WATCH_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final int MAX_LOGGED_LINE = 200;

	private final WatchSpec spec;
	private final String name;
	private final InformerOptions options;
	private final ListWatchRequests requests;
	private final ObjectDecoder<T> decoder;
	private final InformerCache<T> cache;
	private final EventDispatcher<T> dispatcher;
	private final HealthRecorder health;
	private final Backoff backoff;
	private final CountDownLatch stopSignal = new CountDownLatch(1);

	// Only touched on the informer thread.
	private String resourceVersion; // where the next watch starts; null: list first
	private boolean tryStreaming;
	private boolean synced;
	private boolean expiredBefore; // the previous attempt ended in 410 Gone
	private String lastLoggedError;

	Reflector(WatchSpec spec, String name, InformerOptions options, ListWatchRequests requests,
			ObjectDecoder<T> decoder, InformerCache<T> cache, EventDispatcher<T> dispatcher, HealthRecorder health) {
		this.spec = spec;
		this.name = name;
		this.options = options;
		this.requests = requests;
		this.decoder = decoder;
		this.cache = cache;
		this.dispatcher = dispatcher;
		this.health = health;
		this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff(), options.backoffResetAfter());
		this.tryStreaming = options.streamingList();
	}

	/** Lists and watches until {@link #stop()}. */
	void run() {
		try {
			while (!stopping()) {
				try {
					if (resourceVersion == null) {
						list();
					}
					else {
						watch();
					}
				}
				catch (WatchFailure failure) {
					if (!stopping()) {
						failed(failure);
					}
				}
				catch (RuntimeException ex) {
					if (!stopping()) {
						failed(WatchFailure.unreadable(WatchFailure.action("list or watch", spec), ex));
					}
				}
			}
		}
		finally {
			health.state(WatchState.STOPPED);
		}
	}

	/** Ends the loop: the request in progress is cancelled and a backoff wait ends at once. */
	void stop() {
		stopSignal.countDown();
		health.state(WatchState.STOPPED);
		requests.close();
	}

	private boolean stopping() {
		return stopSignal.getCount() == 0;
	}

	// ---------------------------------------------------------------- LISTING

	private void list() throws WatchFailure {
		health.state(WatchState.LISTING);
		if (tryStreaming && streamingList()) {
			return;
		}
		pagedList();
	}

	/**
	 * A streaming list, which goes on as the watch once the initial objects are in.
	 *
	 * @return false when the server did not stream the list and a paginated list must be made instead
	 */
	private boolean streamingList() throws WatchFailure {
		String action = WatchFailure.action("stream the list of", spec);
		Response response;
		try {
			response = requests.streamingList(action, watchTimeoutSeconds());
		}
		catch (WatchFailure failure) {
			// A server that does not know the parameters rejects them (400, 422); one that forbids watching
			// answers 403. A paginated list may still be allowed: fall back, and stop asking.
			if (failure.code() == 400 || failure.code() == 403 || failure.code() == 422) {
				tryStreaming = false;
				log.info("{}; listing in pages from now on", failure.getMessage());
				return false;
			}
			throw failure;
		}
		watchStarted(action);
		try (response) {
			EntryTable<T> initial = new EntryTable<>();
			switch (readEvents(action, response, initial)) {
				case NO_INITIAL_EVENTS_END -> {
					tryStreaming = false;
					log.info("{}: the server does not mark the end of the initial objects; listing in pages from "
							+ "now on", action);
					return false;
				}
				case ENDED_DURING_INITIAL_EVENTS -> {
					log.info("{}: the stream ended before the initial objects were all sent; listing in pages",
							action);
					return false;
				}
				default -> {
					return true;
				}
			}
		}
	}

	private void pagedList() throws WatchFailure {
		String action = WatchFailure.action("list", spec);
		EntryTable<T> listed = new EntryTable<>();
		String continueToken = null;
		String listVersion = null;
		boolean restarted = false;
		while (true) {
			Page page;
			try (Response response = requests.listPage(action, options.pageSize(), continueToken)) {
				page = readPage(action, response, listed);
			}
			catch (WatchFailure failure) {
				if (failure.gone() && continueToken != null && !restarted) {
					// The continue token outlived the server's history: start over, once, from the latest state.
					log.info("{}: the continue token expired; listing again from the start", action);
					restarted = true;
					listed = new EntryTable<>();
					continueToken = null;
					continue;
				}
				throw failure;
			}
			listVersion = page.resourceVersion();
			continueToken = page.continueToken();
			if (continueToken == null) {
				break;
			}
		}
		if (listVersion == null || listVersion.isEmpty()) {
			throw WatchFailure.noResourceVersion(action);
		}
		replace(listed, listVersion, false);
	}

	private record Page(String resourceVersion, String continueToken) {
	}

	/** Reads one list page, item by item, so that a page is never held as one JSON tree. */
	private Page readPage(String action, Response response, EntryTable<T> listed)
			throws WatchFailure {
		String pageVersion = null;
		String continueToken = null;
		try (JsonReader reader = new JsonReader(response.body().charStream())) {
			reader.beginObject();
			while (reader.hasNext()) {
				switch (reader.nextName()) {
					case "metadata" -> {
						JsonObject metadata = JsonParser.parseReader(reader).getAsJsonObject();
						pageVersion = CacheEntry.text(metadata, "resourceVersion");
						continueToken = CacheEntry.text(metadata, "continue");
					}
					case "items" -> {
						if (reader.peek() == JsonToken.NULL) {
							reader.nextNull();
						}
						else {
							reader.beginArray();
							while (reader.hasNext()) {
								JsonElement item = JsonTree.read(reader, decoder.strings());
								if (item.isJsonObject()) {
									CacheEntry<T> unchanged = unchanged(item.getAsJsonObject());
									if (unchanged != null) {
										listed.put(unchanged);
										continue;
									}
									// Measured before decoding, which fills in kind and apiVersion.
									long bytes = JsonLength.of(item);
									ObjectDecoder.Decoded<T> decoded = decode("listed", item.getAsJsonObject());
									if (decoded != null) {
										listed.put(decoded.entry().withApproximateBytes(bytes));
									}
								}
							}
							reader.endArray();
						}
					}
					default -> reader.skipValue();
				}
			}
			reader.endObject();
		}
		catch (IOException ex) {
			throw WatchFailure.streamBroken(action, response.request().url(), ex);
		}
		catch (JsonParseException | IllegalStateException ex) {
			throw WatchFailure.unreadable(action, ex);
		}
		return new Page(pageVersion, (continueToken == null || continueToken.isEmpty()) ? null : continueToken);
	}

	/**
	 * Swaps a complete list into the cache and queues the differences as events: adds, updates for a changed
	 * resourceVersion, and deletes (final state unknown) for objects that are gone.
	 *
	 * @param watching whether the list arrived on a stream that goes on as the watch (a streaming list)
	 */
	private void replace(EntryTable<T> listed, String listVersion, boolean watching) {
		dispatcher.atomically(() -> {
			EntryTable<T> previous = cache.replaceAll(listed);
			for (CacheEntry<T> entry : listed) {
				CacheEntry<T> before = previous.get(entry.namespace(), entry.name());
				if (before == null) {
					dispatcher.added(entry.object());
				}
				else if (!Objects.equals(before.resourceVersion(), entry.resourceVersion())) {
					dispatcher.updated(before.object(), entry.object());
				}
			}
			for (CacheEntry<T> before : previous) {
				if (listed.get(before.namespace(), before.name()) == null) {
					dispatcher.deleted(before.object(), true);
				}
			}
			// The health is updated before the synced marker is queued, so that whoever sees synced() complete
			// also sees the health of a synced informer.
			health.relisted(listVersion);
			if (watching) {
				health.state(WatchState.WATCHING);
			}
			if (!synced) {
				dispatcher.firstListQueued();
			}
		});
		synced = true;
		expiredBefore = false;
		resourceVersion = listVersion;
		log.debug("Informer {}: {} objects listed at resourceVersion {}", name, listed.size(), listVersion);
	}

	// ---------------------------------------------------------------- WATCHING

	private void watch() throws WatchFailure {
		String action = WatchFailure.action("watch", spec);
		Response response = requests.watch(action, resourceVersion, watchTimeoutSeconds());
		watchStarted(action);
		try (response) {
			readEvents(action, response, null);
		}
	}

	private void watchStarted(String action) {
		int failures = health.watchStarted();
		if (failures > 0 && lastLoggedError != null) {
			log.info("{}: working again after {} failed attempt{}", action, failures, (failures == 1) ? "" : "s");
		}
		lastLoggedError = null;
		if (resourceVersion != null) {
			health.state(WatchState.WATCHING);
		}
	}

	private enum StreamEnd {
		/** The server ended the stream cleanly: watch again from the last resourceVersion. */
		ENDED,
		/** A streaming list ended before its initial-events-end bookmark. */
		ENDED_DURING_INITIAL_EVENTS,
		/** A streaming list got a bookmark that was not the initial-events-end one: the server ignores it. */
		NO_INITIAL_EVENTS_END
	}

	/**
	 * Reads watch events, one JSON object per line, until the stream ends.
	 *
	 * @param initial where the objects of a streaming list are collected until the initial-events-end bookmark
	 *        swaps them in; null for a plain watch
	 */
	private StreamEnd readEvents(String action, Response response, EntryTable<T> initial)
			throws WatchFailure {
		BufferedSource source = response.body().source();
		long started = System.nanoTime();
		long events = 0;
		while (true) {
			String line;
			try {
				line = source.readUtf8Line();
			}
			catch (IOException ex) {
				throw WatchFailure.streamBroken(action, response.request().url(), ex);
			}
			if (line == null) {
				if (initial != null) {
					return StreamEnd.ENDED_DURING_INITIAL_EVENTS;
				}
				if (events == 0 && System.nanoTime() - started < SHORT_WATCH_NANOS) {
					throw WatchFailure.closedAtOnce(action);
				}
				return StreamEnd.ENDED;
			}
			if (line.isBlank()) {
				continue;
			}
			events++;
			JsonObject event;
			try {
				event = JsonTree.parse(line, decoder.strings()).getAsJsonObject();
			}
			catch (RuntimeException ex) {
				log.warn("Informer {}: skipped a watch event that is not a JSON object: {}", name,
						(line.length() > MAX_LOGGED_LINE) ? line.substring(0, MAX_LOGGED_LINE) + "..." : line);
				continue;
			}
			String type = String.valueOf(CacheEntry.text(event, "type"));
			JsonObject object = CacheEntry.member(event, "object");
			if (object == null) {
				object = new JsonObject();
			}
			String eventVersion = CacheEntry.text(CacheEntry.member(object, "metadata"), "resourceVersion");
			switch (type) {
				case "ADDED", "MODIFIED" -> applied(type, object, line.length(), initial);
				case "DELETED" -> deleted(object, initial);
				case "BOOKMARK" -> {
					if (initial != null) {
						if (!isInitialEventsEnd(object) || eventVersion == null) {
							return StreamEnd.NO_INITIAL_EVENTS_END;
						}
						replace(initial, eventVersion, true);
						initial = null;
					}
				}
				case "ERROR" -> throw WatchFailure.errorEvent(action, object);
				default -> log.warn("Informer {}: skipped a watch event of unknown type {}", name, type);
			}
			if (initial == null && eventVersion != null) {
				resourceVersion = eventVersion;
			}
			health.event(initial == null ? eventVersion : null);
		}
	}

	/** @param bytes the length of the event's line, for the cache's approximate size */
	private void applied(String type, JsonObject object, long bytes, EntryTable<T> initial) {
		if (initial != null) {
			CacheEntry<T> unchanged = unchanged(object);
			if (unchanged != null) {
				initial.put(unchanged);
				return;
			}
		}
		ObjectDecoder.Decoded<T> decoded = decode(type, object);
		if (decoded == null) {
			return;
		}
		CacheEntry<T> entry = decoded.entry().withApproximateBytes(bytes);
		if (initial != null) {
			initial.put(entry);
			return;
		}
		// The object just decoded is the new state handlers get: a compact entry is not decoded a second time.
		T current = decoded.object();
		dispatcher.atomically(() -> {
			CacheEntry<T> before = cache.put(entry);
			if (before == null) {
				dispatcher.added(current);
			}
			else if (!Objects.equals(before.resourceVersion(), entry.resourceVersion())) {
				dispatcher.updated(before.object(), current);
			}
		});
	}

	private void deleted(JsonObject object, EntryTable<T> initial) {
		JsonObject metadata = CacheEntry.member(object, "metadata");
		String objectName = CacheEntry.text(metadata, "name");
		if (objectName == null) {
			log.warn("Informer {}: skipped a DELETED event without metadata.name", name);
			return;
		}
		String namespace = namespaceOf(metadata);
		if (initial != null) {
			initial.remove(namespace, objectName);
			return;
		}
		// The object is removed even if its last state does not decode; handlers then get the cached state.
		ObjectDecoder.Decoded<T> last = decode("DELETED", object);
		dispatcher.atomically(() -> {
			CacheEntry<T> before = cache.remove(namespace, objectName);
			T finalState = (last != null) ? last.object() : (before != null) ? before.object() : null;
			if (finalState != null) {
				dispatcher.deleted(finalState, false);
			}
		});
	}

	/**
	 * The cached entry of a relisted object whose resourceVersion has not changed, or null. Reusing it means a relist
	 * of unchanged objects decodes nothing and, while the new list is built beside the old cache, holds one copy of
	 * each unchanged object instead of two: the relist's heap peak grows with what changed, not with the cache.
	 */
	private CacheEntry<T> unchanged(JsonObject object) {
		JsonObject metadata = CacheEntry.member(object, "metadata");
		String objectName = CacheEntry.text(metadata, "name");
		String version = CacheEntry.text(metadata, "resourceVersion");
		if (objectName == null || version == null) {
			return null;
		}
		CacheEntry<T> cached = cache.entry(namespaceOf(metadata), objectName);
		return (cached != null && version.equals(cached.resourceVersion())) ? cached : null;
	}

	private static String namespaceOf(JsonObject metadata) {
		String namespace = CacheEntry.text(metadata, "namespace");
		return (namespace == null) ? "" : namespace;
	}

	/** Decodes an object, or logs why it cannot be and returns null: one bad object must not stop the informer. */
	private ObjectDecoder.Decoded<T> decode(String event, JsonObject object) {
		try {
			return decoder.decode(object);
		}
		catch (RuntimeException ex) {
			JsonObject metadata = CacheEntry.member(object, "metadata");
			String namespace = CacheEntry.text(metadata, "namespace");
			log.warn("Informer {}: skipped {} {} {}{} at resourceVersion {}: it does not decode: {}", name, event,
					CacheEntry.text(object, "kind"), (namespace != null) ? namespace + "/" : "",
					CacheEntry.text(metadata, "name"), CacheEntry.text(metadata, "resourceVersion"), ex.toString());
			return null;
		}
	}

	private static boolean isInitialEventsEnd(JsonObject bookmark) {
		JsonObject annotations = CacheEntry.member(CacheEntry.member(bookmark, "metadata"), "annotations");
		return "true".equals(CacheEntry.text(annotations, INITIAL_EVENTS_END));
	}

	/** A random server-side timeout in [watchTimeout, 2 × watchTimeout), as client-go picks them. */
	private long watchTimeoutSeconds() {
		long minimum = options.watchTimeout().toSeconds();
		return minimum + ThreadLocalRandom.current().nextLong(minimum);
	}

	// ---------------------------------------------------------------- BACKING_OFF

	private void failed(WatchFailure failure) {
		if (failure.gone()) {
			resourceVersion = null;
			if (!expiredBefore) {
				// Normal life of a watch (the server's history moved on): relist at once.
				expiredBefore = true;
				log.info("{}; listing again", failure.getMessage());
				return;
			}
		}
		int failures = health.failed(failure.getMessage());
		Duration delay = backoff.next();
		if (failure.retryAfter() != null && failure.retryAfter().compareTo(delay) > 0) {
			delay = failure.retryAfter();
		}
		if (!failure.getMessage().equals(lastLoggedError)) {
			log.warn("{}; retrying in {} (failure {} in a row)", failure.getMessage(), WatchFailure.seconds(delay),
					failures);
			lastLoggedError = failure.getMessage();
		}
		else {
			log.debug("{}; retrying in {} (failure {} in a row)", failure.getMessage(), WatchFailure.seconds(delay),
					failures, failure.getCause());
		}
		health.state(WatchState.BACKING_OFF);
		try {
			stopSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stop();
		}
	}
}
