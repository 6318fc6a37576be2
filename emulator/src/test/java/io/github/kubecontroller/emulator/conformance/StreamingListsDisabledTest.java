package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.kubecontroller.emulator.KubeApiEmulator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 1.G against a server without the WatchList feature gate ({@code streamingLists(false)}), such as an
 * older or aggregated API server: what a client that asks for a streaming list meets before it falls back.
 */
@DisplayName("1.G Streaming lists, WatchList feature gate off")
class StreamingListsDisabledTest extends ConformanceSupport {

	private static final String GATE_OFF = "Forbidden: sendInitialEvents is forbidden for watch unless the WatchList "
			+ "feature gate is enabled";

	@Override
	protected KubeApiEmulator.Builder configure(KubeApiEmulator.Builder builder) {
		return builder.streamingLists(false);
	}

	@Test
	@DisplayName("G5: a streaming list request gives 422 Invalid naming the WatchList feature gate")
	void streamingListRefused() {
		createConfigMap("a");
		assertStatus(get(CM + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
				+ "&allowWatchBookmarks=true"), 422, invalidListOptions("sendInitialEvents", "FieldValueForbidden",
						GATE_OFF));
		assertStatus(get(CM + "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan"
				+ "&resourceVersion=0"), 422, invalidListOptions("sendInitialEvents", "FieldValueForbidden", GATE_OFF));
		assertThat(this.emulator.openWatches()).isZero();
	}

	@Test
	@DisplayName("G5: the gate error follows the resourceVersionMatch error, in validation order")
	void validationOrder() {
		assertStatus(get(CM + "?watch=true&sendInitialEvents=true"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
						"sendInitialEvents", "FieldValueForbidden", GATE_OFF));
	}

	@Test
	@DisplayName("E6: sendInitialEvents on a list is refused as with the gate on")
	void listWithSendInitialEvents() {
		assertStatus(get(CM + "?sendInitialEvents=true"), 422, invalidListOptions("sendInitialEvents",
				"FieldValueForbidden", "Forbidden: sendInitialEvents is forbidden for list"));
	}

	@Test
	@DisplayName("F2, F3: a watch from \"\" or \"0\" with bookmarks gets synthetic ADDED events but no initial-events-end bookmark")
	void noDefaultedInitialEventsEnd() {
		JsonNode a = createConfigMap("a");
		WatchConnection fromLatest = watch(CM + "?watch=true&allowWatchBookmarks=true");
		WatchConnection fromZero = watch(CM + "?watch=true&allowWatchBookmarks=true&resourceVersion=0");
		WatchTest.assertEvent(fromLatest.next(), "ADDED", "a", rv(a));
		WatchTest.assertEvent(fromZero.next(), "ADDED", "a", rv(a));
		JsonNode b = createConfigMap("b");
		WatchTest.assertEvent(fromLatest.next(), "ADDED", "b", rv(b));
		WatchTest.assertEvent(fromZero.next(), "ADDED", "b", rv(b));
	}

	@Test
	@DisplayName("F4: a watch from a resourceVersion is served as with the gate on")
	void plainWatch() {
		JsonNode a = createConfigMap("a");
		JsonNode b = createConfigMap("b");
		WatchConnection watch = watch(CM + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + rv(a));
		WatchTest.assertEvent(watch.next(), "ADDED", "b", rv(b));
	}
}
