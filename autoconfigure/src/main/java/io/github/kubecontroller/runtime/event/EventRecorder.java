package io.github.kubecontroller.runtime.event;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.event.RecentEvents.Key;
import io.github.kubecontroller.runtime.event.RecentEvents.Written;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events ({@code events.k8s.io/v1}) about the objects a controller works on, as
 * {@code kubectl describe} and {@code kubectl events} show them.
 *
 * <pre>{@code
 * recorder.record(website, WEBSITES, EventKind.NORMAL, "Deployed", "Apply", "Deployment web scaled to 3");
 * }</pre>
 *
 * <p>Events are best effort. {@link #record} never throws and never waits for the API server: it queues the event
 * and one background thread writes it. An event that cannot be written (refused by the API server, invalid, or
 * beyond the 1000 waiting) is dropped, with a WARN log the first time a failure of its kind happens and DEBUG logs
 * after that, so that a missing permission does not flood the log.
 *
 * <p>The same event (same object, type, reason, action and note) repeated less than five minutes after it was
 * last seen does not create another Event: the first one's {@code series} count and last observed time are
 * updated. Notes are cut to the API's limit of 1 KiB.
 */
public final class EventRecorder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EventRecorder.class);

	/** How long after its last occurrence a repeated event still extends the same Event's series. */
	static final Duration SERIES_WINDOW = Duration.ofMinutes(5);

	/** How many distinct recent events are remembered for series; the least recently seen go first. */
	static final int RECENT_EVENTS = 4096;

	/** How many events may wait to be written before new ones are dropped. */
	static final int QUEUE_CAPACITY = 1000;

	static final int MAX_NOTE_BYTES = 1024;

	static final int MAX_REASON_BYTES = 128;

	private static final int MAX_NAME_LENGTH = 253;

	private static final int MAX_FAILURE_KINDS = 256;

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

	/** Marks the end of the queue when closing. */
	private static final Pending STOP = new Pending(new V1ObjectReference(), "", null, Instant.EPOCH);

	private final EventSink sink;

	private final String reportingController;

	private final String reportingInstance;

	private final Clock clock;

	private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

	private final Set<String> loggedFailures = ConcurrentHashMap.newKeySet();

	private final AtomicLong dropped = new AtomicLong();

	private final Object lifecycle = new Object();

	private @Nullable Thread worker;

	private volatile boolean closed;

	// Used by the worker thread only.
	private final RecentEvents recent = new RecentEvents(RECENT_EVENTS, SERIES_WINDOW);

	private long lastNameSuffix;

	/**
	 * @param client the API client
	 * @param reportingController the controller's name, a qualified name such as {@code website-controller} or
	 * {@code demo.kubecontroller.io/website}
	 * @param reportingInstance which instance of the controller reports, such as the pod or host name (at most 128
	 * characters)
	 */
	public EventRecorder(ApiClient client, String reportingController, String reportingInstance) {
		this(client, reportingController, reportingInstance, Clock.systemUTC());
	}

	EventRecorder(ApiClient client, String reportingController, String reportingInstance, Clock clock) {
		this.sink = new EventSink(Objects.requireNonNull(client, "client"));
		Objects.requireNonNull(reportingController, "reportingController");
		Objects.requireNonNull(reportingInstance, "reportingInstance");
		if (!isQualifiedName(reportingController)) {
			throw new IllegalArgumentException("reportingController must be a qualified name such as "
					+ "website-controller or demo.kubecontroller.io/website, was \"" + reportingController + "\"");
		}
		if (reportingInstance.isBlank() || reportingInstance.length() > 128) {
			throw new IllegalArgumentException(
					"reportingInstance must be 1 to 128 characters, was \"" + reportingInstance + "\"");
		}
		this.reportingController = reportingController;
		this.reportingInstance = reportingInstance;
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Records an event about {@code regarding}, in the background. Never throws.
	 *
	 * @param regarding the object the event is about
	 * @param type the object's resource type (its kind and apiVersion go into the Event, as cached objects may
	 * lack them)
	 * @param kind normal or warning
	 * @param reason why, in UpperCamelCase, such as {@code ScalingFailed} (at most 128 bytes)
	 * @param action what the controller did or failed to do, such as {@code Scale} (at most 128 bytes)
	 * @param note a human-readable description, cut to 1 KiB; may be null
	 */
	public void record(KubernetesObject regarding, ResourceType type, EventKind kind, String reason, String action,
			@Nullable String note) {
		try {
			Pending pending = pending(regarding, type, kind, reason, action, note);
			if (this.closed) {
				logger.debug("Event recorder of {} is closed; dropping event {}", this.reportingController, reason);
				this.dropped.incrementAndGet();
				return;
			}
			ensureStarted();
			if (!this.queue.offer(pending)) {
				failed(pending, "queue full", "more than " + QUEUE_CAPACITY + " events are waiting to be written");
			}
		}
		catch (RuntimeException ex) {
			this.dropped.incrementAndGet();
			warnOnce("invalid event: " + ex.getMessage(),
					"Dropping invalid event \"" + reason + "\": " + ex.getMessage());
		}
	}

	/**
	 * Stops the background thread after writing the events already recorded, waiting at most two seconds for them.
	 * Events recorded afterwards are dropped.
	 */
	@Override
	public void close() {
		Thread running;
		synchronized (this.lifecycle) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			running = this.worker;
		}
		if (running == null) {
			return;
		}
		if (!this.queue.offer(STOP)) {
			running.interrupt();
		}
		try {
			running.join(CLOSE_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		running.interrupt();
	}

	/** {@code [prefix/]name}: the API server's rule for {@code reportingController}. */
	private static boolean isQualifiedName(String text) {
		int slash = text.indexOf('/');
		String prefix = (slash >= 0) ? text.substring(0, slash) : null;
		String name = text.substring(slash + 1);
		return (prefix == null || (prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches()))
				&& name.length() <= 63 && NAME.matcher(name).matches();
	}

	/** How many events were dropped so far. */
	long dropped() {
		return this.dropped.get();
	}

	private Pending pending(KubernetesObject regarding, ResourceType type, EventKind kind, String reason,
			String action, @Nullable String note) {
		Objects.requireNonNull(regarding, "no object to report about");
		Objects.requireNonNull(type, "no resource type");
		Objects.requireNonNull(kind, "no event kind");
		if (reason == null || reason.isBlank() || action == null || action.isBlank()) {
			throw new IllegalArgumentException("an event needs a reason and an action");
		}
		V1ObjectMeta metadata = regarding.getMetadata();
		if (metadata == null || metadata.getName() == null) {
			throw new IllegalArgumentException("the object has no name");
		}
		String objectNamespace = (type.namespaced() && metadata.getNamespace() != null
				&& !metadata.getNamespace().isEmpty()) ? metadata.getNamespace() : null;
		V1ObjectReference reference = new V1ObjectReference().apiVersion(type.apiVersion())
			.kind(type.kind())
			.namespace(objectNamespace)
			.name(metadata.getName())
			.uid(metadata.getUid())
			.resourceVersion(metadata.getResourceVersion());
		String cutNote = (note != null) ? truncate(note, MAX_NOTE_BYTES) : "";
		String regardingKey = (metadata.getUid() != null) ? metadata.getUid()
				: type.kind() + "/" + objectNamespace + "/" + metadata.getName();
		Key key = new Key(regardingKey, kind.apiValue(), truncate(reason, MAX_REASON_BYTES),
				truncate(action, MAX_REASON_BYTES), cutNote);
		// Cluster-scoped objects get their Events in "default", as with client-go.
		return new Pending(reference, (objectNamespace != null) ? objectNamespace : "default", key,
				this.clock.instant());
	}

	private void ensureStarted() {
		synchronized (this.lifecycle) {
			if (this.worker == null && !this.closed) {
				Thread thread = new Thread(this::writeUntilStopped,
						"kube-controller-events-" + this.reportingController);
				thread.setDaemon(true);
				thread.start();
				this.worker = thread;
			}
		}
	}

	private void writeUntilStopped() {
		while (true) {
			Pending pending;
			try {
				pending = this.queue.take();
			}
			catch (InterruptedException ex) {
				return;
			}
			if (pending == STOP) {
				return;
			}
			try {
				write(pending);
			}
			catch (RuntimeException ex) {
				failed(pending, ex.getClass().getSimpleName(), String.valueOf(ex.getMessage()));
			}
		}
	}

	/** Extends the series of the Event this one repeats, or creates a new Event. */
	private void write(Pending pending) {
		Written previous = this.recent.find(pending.key(), pending.observed());
		if (previous != null) {
			Written again = previous.observedAgain(pending.observed());
			try {
				this.sink.updateSeries(previous.namespace(), previous.name(), again.count(),
						microTime(pending.observed()));
				this.recent.remember(pending.key(), again);
				return;
			}
			catch (ApiException ex) {
				if (ex.getCode() != 404) {
					failed(pending, ex);
					return;
				}
				// The Event is gone (the API server deletes Events after an hour by default): start a new one.
				this.recent.forget(pending.key());
			}
		}
		String name = nextName(pending.regarding().getName(), pending.observed());
		EventsV1Event event = new EventsV1Event().apiVersion("events.k8s.io/v1")
			.kind("Event")
			.metadata(new V1ObjectMeta().name(name).namespace(pending.namespace()))
			.eventTime(microTime(pending.observed()))
			.reportingController(this.reportingController)
			.reportingInstance(this.reportingInstance)
			.regarding(pending.regarding())
			.type(pending.key().type())
			.reason(pending.key().reason())
			.action(pending.key().action())
			.note(pending.key().note().isEmpty() ? null : pending.key().note());
		try {
			this.sink.create(event);
			this.recent.remember(pending.key(), new Written(pending.namespace(), name, 1, pending.observed()));
		}
		catch (ApiException ex) {
			failed(pending, ex);
		}
	}

	/**
	 * The object's name made a DNS subdomain, a dot and a hexadecimal time stamp that grows with every Event, as
	 * client-go names them.
	 */
	private String nextName(String objectName, Instant observed) {
		long nanos = observed.getEpochSecond() * 1_000_000_000L + observed.getNano();
		this.lastNameSuffix = Math.max(this.lastNameSuffix + 1, nanos);
		String suffix = "." + Long.toHexString(this.lastNameSuffix);
		String prefix = objectName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
		prefix = prefix.substring(0, Math.min(prefix.length(), MAX_NAME_LENGTH - suffix.length()))
			.replaceAll("^-+|-+$", "");
		return (prefix.isEmpty() ? "event" : prefix) + suffix;
	}

	private void failed(Pending pending, ApiException ex) {
		String reason = (ex.getCode() == 0) ? causeName(ex) : ex.getCode() + " " + statusReason(ex);
		failed(pending, reason, (ex.getCode() == 0) ? String.valueOf(ex.getMessage()) : statusMessage(ex));
	}

	private void failed(Pending pending, String failureKind, String detail) {
		this.dropped.incrementAndGet();
		warnOnce(failureKind, "Could not record event " + pending.key().reason() + " about "
				+ pending.regarding().getKind() + " " + pending.namespace() + "/" + pending.regarding().getName() + ": "
				+ failureKind + ", " + detail);
	}

	private void warnOnce(String failureKind, String message) {
		if (this.loggedFailures.size() < MAX_FAILURE_KINDS && this.loggedFailures.add(failureKind)) {
			logger.warn("{} (events failing this way are dropped; further ones are logged at DEBUG)", message);
		}
		else {
			logger.debug(message);
		}
	}

	private static String causeName(ApiException ex) {
		return (ex.getCause() != null) ? ex.getCause().getClass().getSimpleName() : "ApiException";
	}

	private static String statusReason(ApiException ex) {
		String reason = statusField(ex, "reason");
		return (reason != null) ? reason : "error";
	}

	private static String statusMessage(ApiException ex) {
		String message = statusField(ex, "message");
		return (message != null) ? message : String.valueOf(ex.getResponseBody());
	}

	private static @Nullable String statusField(ApiException ex, String field) {
		try {
			JsonElement value = JsonParser.parseString(ex.getResponseBody()).getAsJsonObject().get(field);
			return (value != null && value.isJsonPrimitive()) ? value.getAsString() : null;
		}
		catch (RuntimeException notAStatus) {
			return null;
		}
	}

	/** Event times are MicroTime: UTC with microseconds. */
	private static OffsetDateTime microTime(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	/** Cuts {@code text} to at most {@code maxBytes} of UTF-8, at a character boundary, marking the cut. */
	static String truncate(String text, int maxBytes) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= maxBytes) {
			return text;
		}
		int end = maxBytes - 3;
		while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
			end--; // bytes[end] continues a character that starts before it: cut before that character
		}
		return new String(bytes, 0, end, StandardCharsets.UTF_8) + "...";
	}

	/**
	 * An event waiting to be written.
	 *
	 * @param regarding the object reference
	 * @param namespace the Event's namespace
	 * @param key what makes it the same as another event
	 * @param observed when it was recorded
	 */
	private record Pending(V1ObjectReference regarding, String namespace, Key key, Instant observed) {
	}
}
