package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.kubecontroller.emulator.KubeApiEmulator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.G: streaming lists (sendInitialEvents / WatchList). */
@DisplayName("1.G Streaming lists")
class StreamingListTest extends ConformanceSupport {

	private static final String WATCH_LIST = "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan";

	@Override
	protected KubeApiEmulator.Builder configure(KubeApiEmulator.Builder builder) {
		return builder.bookmarkInterval(Duration.ofMillis(200));
	}

	@Test
	@DisplayName("G1/G3: ADDED per object, one annotated initial-events-end BOOKMARK at the snapshot RV, then live events")
	void streamingList() {
		createConfigMap("a");
		createConfigMap("b");
		createNamespace("other");
		createConfigMap("other", "c", null, Map.of());
		long snapshot = this.emulator.resourceVersion();
		WatchConnection watch = watch(CM + WATCH_LIST + "&allowWatchBookmarks=true&timeoutSeconds=30");

		List<String> added = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			JsonNode event = watch.next();
			assertThat(event.path("type").asText()).isEqualTo("ADDED");
			added.add(event.path("object").path("metadata").path("name").asText());
		}
		assertThat(added).containsExactlyInAnyOrder("a", "b");

		JsonNode end = watch.next();
		assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
		assertThat(end.path("object").path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(rvNum(end.path("object"))).isEqualTo(snapshot);
		assertThat(end.path("object").path("metadata").path("annotations"))
			.hasToString("{\"k8s.io/initial-events-end\":\"true\"}");

		JsonNode d = createConfigMap("d");
		JsonNode live = watch.nextIgnoringBookmarks();
		WatchTest.assertEvent(live, "ADDED", "d", rv(d));

		JsonNode later;
		do {
			later = watch.next();
		}
		while (!later.path("type").asText().equals("BOOKMARK"));
		assertThat(later.path("object").path("metadata").has("annotations")).as("later bookmarks are not annotated")
			.isFalse();
	}

	@Test
	@DisplayName("G3: with resourceVersion=N the snapshot is at least as new as N")
	void streamingListFromRv() {
		JsonNode a = createConfigMap("a");
		ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		long snapshot = this.emulator.resourceVersion();
		WatchConnection watch = watch(CM + WATCH_LIST + "&allowWatchBookmarks=true&resourceVersion=" + rv(a));
		JsonNode added = watch.next();
		assertThat(added.path("type").asText()).isEqualTo("ADDED");
		assertThat(added.path("object").path("data").path("k").asText()).isEqualTo("2");
		JsonNode end = watch.next();
		assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
		assertThat(rvNum(end.path("object"))).isGreaterThanOrEqualTo(snapshot);
		assertThat(end.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
			.isEqualTo("true");
	}

	@Test
	@DisplayName("G3: an empty collection still gets the initial-events-end bookmark")
	void emptyCollection() {
		long snapshot = this.emulator.resourceVersion();
		WatchConnection watch = watch(CM + WATCH_LIST + "&allowWatchBookmarks=true");
		JsonNode end = watch.next();
		assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
		assertThat(rvNum(end.path("object"))).isEqualTo(snapshot);
		assertThat(end.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
			.isEqualTo("true");
	}

	@Test
	@DisplayName("G3: without allowWatchBookmarks there is no end bookmark: ADDEDs go straight into live events")
	void noEndBookmarkWithoutFlag() {
		createConfigMap("a");
		WatchConnection watch = watch(CM + WATCH_LIST);
		assertThat(watch.next().path("type").asText()).isEqualTo("ADDED");
		JsonNode b = createConfigMap("b");
		WatchTest.assertEvent(watch.next(), "ADDED", "b", rv(b));
	}

	@Test
	@DisplayName("G2: sendInitialEvents without resourceVersionMatch=NotOlderThan gives 422")
	void requiresNotOlderThan() {
		assertStatus(get(CM + "?watch=true&sendInitialEvents=true"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
	}

	@Test
	@DisplayName("G2: resourceVersionMatch on a watch without sendInitialEvents gives 422")
	void matchWithoutSendInitialEvents() {
		assertStatus(get(CM + "?watch=true&resourceVersionMatch=NotOlderThan"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
	}

	@Test
	@DisplayName("G2: resourceVersionMatch other than NotOlderThan on a watch: both errors, in validation order")
	void exactOnWatch() {
		assertStatus(get(CM + "?watch=true&sendInitialEvents=true&resourceVersionMatch=Exact&resourceVersion=5"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
						"resourceVersionMatch", "FieldValueNotSupported",
						"Unsupported value: \"Exact\": supported values: \"NotOlderThan\""));
		assertStatus(get(CM + "?watch=true&resourceVersionMatch=Exact"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
						"resourceVersionMatch", "FieldValueNotSupported",
						"Unsupported value: \"Exact\": supported values: \"NotOlderThan\""));
	}

	@Test
	@DisplayName("G4: sendInitialEvents=false with RV=0 starts now with no synthetic events")
	void noInitialEventsFromZero() {
		createConfigMap("a");
		WatchConnection watch = watch(CM
				+ "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&resourceVersion=0");
		JsonNode b = createConfigMap("b");
		WatchTest.assertEvent(watch.next(), "ADDED", "b", rv(b));
	}

	@Test
	@DisplayName("G4: sendInitialEvents=false with RV=N replays the changes after N like F4")
	void noInitialEventsFromRv() {
		JsonNode a = createConfigMap("a");
		JsonNode b = createConfigMap("b");
		WatchConnection watch = watch(CM
				+ "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&resourceVersion=" + rv(a));
		WatchTest.assertEvent(watch.next(), "ADDED", "b", rv(b));
	}
}
