package io.github.kubecontroller.emulator.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.ListOptions;
import io.github.kubecontroller.emulator.rest.ObjectCodec;
import io.github.kubecontroller.emulator.rest.StatusException;
import io.github.kubecontroller.emulator.store.Subscription;
import io.github.kubecontroller.emulator.store.Subscription.Delivery;

/**
 * Serves one watch: newline-delimited JSON events over a chunked 200 response (rule F1), bookmarks when asked for
 * (F9, G3), a clean end at the timeout (F8), and an ERROR event for an expired start (F5).
 */
final class WatchStream {

	/** How many queued events are written before a flush. */
	private static final int MAX_BATCH = 512;

	/** What an injected malformed-watch-event fault writes: a line no JSON decoder accepts. */
	static final String MALFORMED_LINE = "this line is not a JSON watch event";

	private final Duration bookmarkInterval;

	private final Duration defaultTimeout;

	WatchStream(Duration bookmarkInterval, Duration defaultTimeout) {
		this.bookmarkInterval = bookmarkInterval;
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * Streams the subscription's events until the timeout, the client leaving, or the watch being closed.
	 * @param table when not {@code null}, how each event's object is converted (a one-row Table, rule D5, or
	 *        PartialObjectMetadata, D6)
	 * @param malformedLine whether to write {@link #MALFORMED_LINE} before the first event (an injected fault)
	 */
	void serve(HttpExchange exchange, ResourceType type, ListOptions options, Subscription subscription,
			boolean initialEventsEnd, ObjectFormat table, boolean malformedLine) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", (table != null) ? table.contentType(false) : Responses.JSON);
		boolean[] firstRow = { true };
		AuditRecord.complete(exchange, 200);
		exchange.sendResponseHeaders(200, 0);
		// timeoutSeconds=0 is "not set", as in Go.
		long timeoutNanos = (options.timeoutSeconds() != null && options.timeoutSeconds() > 0)
				? TimeUnit.SECONDS.toNanos(options.timeoutSeconds()) : randomDefaultTimeout();
		long deadline = System.nanoTime() + timeoutNanos;
		long nextBookmark = System.nanoTime() + this.bookmarkInterval.toNanos();
		try (subscription; OutputStream out = exchange.getResponseBody()) {
			if (malformedLine) {
				out.write((MALFORMED_LINE + "\n").getBytes(StandardCharsets.UTF_8));
			}
			out.flush();
			while (true) {
				long now = System.nanoTime();
				if (now >= deadline) {
					return;
				}
				long wait = Math.min(deadline - now,
						options.allowWatchBookmarks() ? Math.max(0, nextBookmark - now) : Long.MAX_VALUE);
				Delivery delivery = subscription.next(wait, TimeUnit.NANOSECONDS);
				if (delivery == null) {
					if (subscription.isClosed()) {
						if (subscription.expired()) {
							long last = subscription.lastDeliveredRevision();
							write(out, errorEvent(StatusException
								.expired("too old resource version: " + last + " (" + (last + 1) + ")")
								.toStatus()));
						}
						return;
					}
					if (options.allowWatchBookmarks() && System.nanoTime() >= nextBookmark) {
						write(out, bookmark(type, subscription.bookmarkRevision(), false));
						out.flush();
						nextBookmark = System.nanoTime() + this.bookmarkInterval.toNanos();
					}
					continue;
				}
				int batch = 0;
				while (delivery != null) {
					writeDelivery(out, type, delivery, initialEventsEnd, table, firstRow);
					if (++batch >= MAX_BATCH) {
						break;
					}
					delivery = subscription.next(0, TimeUnit.NANOSECONDS);
				}
				out.flush();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// The client went away; the subscription is closed by try-with-resources.
		}
	}

	/** A 200 response holding a single ERROR event, for a watch that cannot start (rule F5). */
	static void error(HttpExchange exchange, ObjectNode status) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", Responses.JSON);
		AuditRecord.complete(exchange, 200);
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			write(out, errorEvent(status));
		}
	}

	private static ObjectNode errorEvent(ObjectNode status) {
		ObjectNode event = Json.object();
		event.put("type", "ERROR");
		event.set("object", status);
		return event;
	}

	private void writeDelivery(OutputStream out, ResourceType type, Delivery delivery, boolean initialEventsEnd,
			ObjectFormat table, boolean[] firstRow) throws IOException {
		if (delivery.type() == Delivery.Type.INITIAL_EVENTS_END) {
			if (initialEventsEnd) {
				write(out, bookmark(type, delivery.revision(), true));
			}
			return;
		}
		out.write(("{\"type\":\"" + delivery.type().name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
		if (table != null) {
			out.write(table.single(delivery.object(), delivery.revision(), firstRow[0]));
			firstRow[0] = false;
		}
		else {
			out.write(ObjectCodec.whole(delivery.object(), type, delivery.revision()));
		}
		out.write('}');
		out.write('\n');
	}

	private static void write(OutputStream out, ObjectNode event) throws IOException {
		out.write(Json.write(event));
		out.write('\n');
	}

	/** An empty object of the watched kind carrying only a revision (rules F9, G3). */
	private static ObjectNode bookmark(ResourceType type, long revision, boolean initialEventsEnd) {
		ObjectNode event = Json.object();
		event.put("type", "BOOKMARK");
		ObjectNode object = event.putObject("object");
		object.put("kind", type.kind());
		object.put("apiVersion", type.apiVersion());
		ObjectNode metadata = object.putObject("metadata");
		metadata.put("resourceVersion", Long.toString(revision));
		if (!type.isCustom()) {
			metadata.putNull("creationTimestamp");
		}
		if (initialEventsEnd) {
			metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
		}
		return event;
	}

	/** Without timeoutSeconds the server picks a random timeout in [T, 2T) (rule F8). */
	private long randomDefaultTimeout() {
		long base = this.defaultTimeout.toNanos();
		return base + ThreadLocalRandom.current().nextLong(Math.max(1, base));
	}
}
