package io.github.kubecontroller.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

	private static final String NS = "events";

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);

	private static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", false);

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	private static EventsV1Api events;

	private final List<EventRecorder> recorders = new ArrayList<>();

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		events = new EventsV1Api(client);
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@AfterEach
	void closeRecorders() {
		this.recorders.forEach(EventRecorder::close);
		emulator.faults().clear();
	}

	private EventRecorder recorder(Clock clock) {
		EventRecorder recorder = new EventRecorder(client, "website-controller", "pod-7f9c", clock);
		this.recorders.add(recorder);
		return recorder;
	}

	private EventRecorder recorder() {
		return recorder(Clock.systemUTC());
	}

	private static V1ConfigMap object(String name) throws ApiException {
		V1ConfigMap object = new V1ConfigMap().metadata(new V1ObjectMeta().name(name).namespace(NS));
		return core.createNamespacedConfigMap(NS, object).execute();
	}

	/** The Events about the object with {@code uid}, in {@code namespace}. */
	private static List<EventsV1Event> eventsAbout(String namespace, String uid) throws ApiException {
		return events.listNamespacedEvent(namespace)
			.execute()
			.getItems()
			.stream()
			.filter((event) -> uid.equals(event.getRegarding().getUid()))
			.toList();
	}

	private static EventsV1Event awaitOneEventAbout(String namespace, String uid) {
		AtomicReference<EventsV1Event> found = new AtomicReference<>();
		await().atMost(DEADLINE).untilAsserted(() -> {
			List<EventsV1Event> about = eventsAbout(namespace, uid);
			assertThat(about).hasSize(1);
			found.set(about.get(0));
		});
		return found.get();
	}

	/** How often an Event was observed: its series count, or 1 without a series. */
	private static int occurrences(EventsV1Event event) {
		return (event.getSeries() != null) ? event.getSeries().getCount() : 1;
	}

	@Test
	void createsAnEventWithTheRightFields() throws ApiException {
		V1ConfigMap settings = object("settings");

		recorder().record(settings, CONFIG_MAPS, EventKind.NORMAL, "Configured", "Reconcile", "all good");

		EventsV1Event event = awaitOneEventAbout(NS, settings.getMetadata().getUid());
		assertThat(event.getMetadata().getName()).startsWith("settings.");
		assertThat(event.getMetadata().getNamespace()).isEqualTo(NS);
		assertThat(event.getReportingController()).isEqualTo("website-controller");
		assertThat(event.getReportingInstance()).isEqualTo("pod-7f9c");
		assertThat(event.getType()).isEqualTo("Normal");
		assertThat(event.getReason()).isEqualTo("Configured");
		assertThat(event.getAction()).isEqualTo("Reconcile");
		assertThat(event.getNote()).isEqualTo("all good");
		assertThat(event.getSeries()).isNull();
		assertThat(event.getRegarding().getKind()).isEqualTo("ConfigMap");
		assertThat(event.getRegarding().getApiVersion()).isEqualTo("v1");
		assertThat(event.getRegarding().getNamespace()).isEqualTo(NS);
		assertThat(event.getRegarding().getName()).isEqualTo("settings");
		assertThat(event.getRegarding().getResourceVersion()).isEqualTo(settings.getMetadata().getResourceVersion());
		JsonObject raw = rawGet("/apis/events.k8s.io/v1/namespaces/" + NS + "/events/" + event.getMetadata().getName());
		assertThat(raw.get("eventTime").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
	}

	@Test
	void aRepeatUpdatesTheSeriesOfTheFirstEvent() throws ApiException {
		V1ConfigMap flapping = object("flapping");
		EventRecorder recorder = recorder();

		recorder.record(flapping, CONFIG_MAPS, EventKind.WARNING, "SyncFailed", "Sync", "connection refused");
		recorder.record(flapping, CONFIG_MAPS, EventKind.WARNING, "SyncFailed", "Sync", "connection refused");

		await().atMost(DEADLINE).untilAsserted(() -> {
			List<EventsV1Event> about = eventsAbout(NS, flapping.getMetadata().getUid());
			assertThat(about).singleElement().satisfies((event) -> {
				assertThat(event.getSeries()).isNotNull();
				assertThat(event.getSeries().getCount()).isEqualTo(2);
				assertThat(event.getSeries().getLastObservedTime()).isAfterOrEqualTo(event.getEventTime());
			});
		});

		recorder.record(flapping, CONFIG_MAPS, EventKind.WARNING, "SyncFailed", "Sync", "connection refused");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(eventsAbout(NS, flapping.getMetadata().getUid())).singleElement()
				.satisfies((event) -> assertThat(occurrences(event)).isEqualTo(3)));
	}

	@Test
	void aDifferentNoteOrTypeIsAnotherEvent() throws ApiException {
		V1ConfigMap varied = object("varied");
		EventRecorder recorder = recorder();

		recorder.record(varied, CONFIG_MAPS, EventKind.NORMAL, "Scaled", "Scale", "to 2");
		recorder.record(varied, CONFIG_MAPS, EventKind.NORMAL, "Scaled", "Scale", "to 3");
		recorder.record(varied, CONFIG_MAPS, EventKind.WARNING, "Scaled", "Scale", "to 3");

		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(eventsAbout(NS, varied.getMetadata().getUid())).hasSize(3)
				.allSatisfy((event) -> assertThat(event.getSeries()).isNull()));
	}

	@Test
	void aRepeatAfterTheWindowIsANewEvent() throws ApiException {
		V1ConfigMap slow = object("slow");
		MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
		EventRecorder recorder = recorder(clock);

		recorder.record(slow, CONFIG_MAPS, EventKind.NORMAL, "Backup", "Backup", "done");
		clock.advance(Duration.ofMinutes(4));
		recorder.record(slow, CONFIG_MAPS, EventKind.NORMAL, "Backup", "Backup", "done");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(eventsAbout(NS, slow.getMetadata().getUid())).singleElement()
				.satisfies((event) -> assertThat(occurrences(event)).isEqualTo(2)));

		// Five minutes after the last occurrence, not the first: the series has ended.
		clock.advance(Duration.ofMinutes(5));
		recorder.record(slow, CONFIG_MAPS, EventKind.NORMAL, "Backup", "Backup", "done");

		await().atMost(DEADLINE).untilAsserted(() -> {
			List<EventsV1Event> about = eventsAbout(NS, slow.getMetadata().getUid());
			assertThat(about).hasSize(2);
			assertThat(about).filteredOn((event) -> event.getSeries() == null)
				.singleElement()
				.satisfies((event) -> assertThat(event.getEventTime().toInstant())
					.isEqualTo(Instant.parse("2026-03-01T10:09:00Z")));
		});
	}

	@Test
	void aRepeatOfAnEventThatWasDeletedCreatesItAgain() throws ApiException {
		V1ConfigMap expired = object("expired");
		EventRecorder recorder = recorder();
		recorder.record(expired, CONFIG_MAPS, EventKind.NORMAL, "Started", "Start", null);
		EventsV1Event first = awaitOneEventAbout(NS, expired.getMetadata().getUid());
		assertThat(first.getNote()).isNull();
		events.deleteNamespacedEvent(first.getMetadata().getName(), NS).execute();

		recorder.record(expired, CONFIG_MAPS, EventKind.NORMAL, "Started", "Start", null);

		EventsV1Event second = awaitOneEventAbout(NS, expired.getMetadata().getUid());
		assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
		assertThat(second.getSeries()).isNull();
	}

	@Test
	void clusterScopedObjectsGetTheirEventsInDefault() throws ApiException {
		V1Namespace namespace = core.readNamespace(NS).execute();

		recorder().record(namespace, NAMESPACES, EventKind.NORMAL, "Labelled", "Label", "team a");

		EventsV1Event event = awaitOneEventAbout("default", namespace.getMetadata().getUid());
		assertThat(event.getRegarding().getNamespace()).isNull();
		assertThat(event.getRegarding().getKind()).isEqualTo("Namespace");
		assertThat(event.getRegarding().getName()).isEqualTo(NS);
	}

	@Test
	void apiFailuresAreDroppedWithoutThrowing() throws ApiException {
		V1ConfigMap denied = object("denied");
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("create").resource("events.k8s.io", "events"))
				.status(403)
				.build());
		EventRecorder recorder = recorder();

		recorder.record(denied, CONFIG_MAPS, EventKind.WARNING, "Failed", "Sync", "first");
		recorder.record(denied, CONFIG_MAPS, EventKind.WARNING, "Failed", "Sync", "second");

		await().atMost(DEADLINE).until(() -> recorder.dropped() == 2);
		assertThat(emulator.audit().count((key) -> key.resource().equals("events") && key.code() == 403))
			.isGreaterThanOrEqualTo(2);
		assertThat(eventsAbout(NS, denied.getMetadata().getUid())).isEmpty();

		emulator.faults().clear();
		recorder.record(denied, CONFIG_MAPS, EventKind.WARNING, "Failed", "Sync", "third");
		assertThat(awaitOneEventAbout(NS, denied.getMetadata().getUid()).getNote()).isEqualTo("third");
	}

	@Test
	void invalidEventsAreDroppedWithoutThrowing() throws ApiException {
		V1ConfigMap object = object("invalid");
		EventRecorder recorder = recorder();

		recorder.record(null, CONFIG_MAPS, EventKind.NORMAL, "Reason", "Action", "note");
		recorder.record(object, CONFIG_MAPS, EventKind.NORMAL, " ", "Action", "note");
		recorder.record(object, CONFIG_MAPS, EventKind.NORMAL, "Reason", null, "note");
		recorder.record(new V1ConfigMap(), CONFIG_MAPS, EventKind.NORMAL, "Reason", "Action", "note");

		assertThat(recorder.dropped()).isEqualTo(4);
	}

	@Test
	void longNotesAreCutToOneKibibyte() throws ApiException {
		V1ConfigMap verbose = object("verbose");
		String note = "é".repeat(600); // 1200 bytes

		recorder().record(verbose, CONFIG_MAPS, EventKind.WARNING, "Failed", "Sync", note);

		EventsV1Event event = awaitOneEventAbout(NS, verbose.getMetadata().getUid());
		assertThat(event.getNote().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
		assertThat(event.getNote()).startsWith("éé").endsWith("é...");
		assertThat(EventRecorder.truncate("short", 1024)).isEqualTo("short");
		assertThat(EventRecorder.truncate("abcdef", 5)).isEqualTo("ab...");
		assertThat(EventRecorder.truncate("aé€x", 6)).isEqualTo("aé...");
		assertThat(EventRecorder.truncate("aé€x", 5)).isEqualTo("a...");
	}

	@Test
	void closeWritesWhatWasRecordedAndDropsWhatComesAfter() throws ApiException {
		V1ConfigMap last = object("last");
		EventRecorder recorder = recorder();

		recorder.record(last, CONFIG_MAPS, EventKind.NORMAL, "Stopping", "Stop", "bye");
		recorder.close();
		recorder.record(last, CONFIG_MAPS, EventKind.NORMAL, "Stopped", "Stop", "gone");

		assertThat(eventsAbout(NS, last.getMetadata().getUid())).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo("Stopping"));
		assertThat(recorder.dropped()).isEqualTo(1);
	}

	@Test
	void validatesItsOwnIdentity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EventRecorder(client, "Website Controller", "pod"));
		assertThatIllegalArgumentException().isThrownBy(() -> new EventRecorder(client, "website-controller", " "));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EventRecorder(client, "website-controller", "p".repeat(129)));
		new EventRecorder(client, "demo.kubecontroller.io/website", "pod").close();
	}

	private static JsonObject rawGet(String path) throws ApiException {
		Map<String, String> headers = new HashMap<>();
		headers.put("Accept", "application/json");
		Call call = client.buildCall(null, path, "GET", List.of(), List.of(), null, headers, new HashMap<>(),
				new HashMap<>(), new String[] { "BearerToken" }, null);
		return client.<JsonElement>execute(call, JsonElement.class).getData().getAsJsonObject();
	}

	/** A clock the test moves by hand. */
	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant start) {
			this.now = start;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}
	}
}
