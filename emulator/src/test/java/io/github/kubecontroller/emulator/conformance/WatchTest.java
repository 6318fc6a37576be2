package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.kubecontroller.emulator.KubeApiEmulator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.F (and the watch routes of A3/A4): watch semantics over the raw chunked stream. */
@DisplayName("1.F Watch semantics")
class WatchTest extends ConformanceSupport {

	@Override
	protected KubeApiEmulator.Builder configure(KubeApiEmulator.Builder builder) {
		return builder.bookmarkInterval(Duration.ofMillis(200));
	}

	@Test
	@DisplayName("F1: HTTP 200, application/json, chunked, one {type, object} JSON per line")
	void wireFormat() {
		long rv = this.emulator.resourceVersion();
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv);
		assertThat(watch.status()).isEqualTo(200);
		assertThat(watch.headers().firstValue("Content-Type")).contains(JSON);
		assertThat(watch.headers().firstValue("Transfer-Encoding")).contains("chunked");
		createConfigMap("x");
		String line = watch.nextLine();
		assertThat(line).startsWith("{\"type\":\"ADDED\",\"object\":{");
		JsonNode event = WatchConnection.parse(line);
		assertThat(event.size()).isEqualTo(2);
		assertThat(event.path("object").path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(event.path("object").path("apiVersion").asText()).isEqualTo("v1");
		assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("x");
	}

	@Test
	@DisplayName("F2: RV unset gives synthetic ADDED for every matching object, then live changes")
	void unsetRvSyntheticAdded() {
		createConfigMap("a");
		createConfigMap("b");
		createNamespace("other");
		createConfigMap("other", "c", null, Map.of());
		WatchConnection watch = watch(CM + "?watch=true");
		List<String> added = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			JsonNode event = watch.next();
			assertThat(event.path("type").asText()).isEqualTo("ADDED");
			added.add(event.path("object").path("metadata").path("name").asText());
		}
		assertThat(added).containsExactlyInAnyOrder("a", "b");
		JsonNode modified = ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		JsonNode event = watch.next();
		assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
		assertThat(rv(event.path("object"))).isEqualTo(rv(modified));
	}

	@Test
	@DisplayName("F2/G3: RV unset with allowWatchBookmarks gets the initial-events-end bookmark after the ADDEDs")
	void unsetRvInitialEventsEnd() {
		createConfigMap("a");
		long snapshot = this.emulator.resourceVersion();
		WatchConnection watch = watch(CM + "?watch=true&allowWatchBookmarks=true");
		assertThat(watch.next().path("type").asText()).isEqualTo("ADDED");
		JsonNode bookmark = watch.next();
		assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
		assertThat(bookmark.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end")
			.asText()).isEqualTo("true");
		assertThat(rvNum(bookmark.path("object"))).isGreaterThanOrEqualTo(snapshot);
	}

	@Test
	@DisplayName("F3: RV=0 with a metadata.name selector starts with the synthetic ADDED kubectl drops")
	void rvZeroSyntheticAdded() {
		JsonNode x = createConfigMap("x");
		createConfigMap("y");
		WatchConnection watch = watch(CM + "?fieldSelector=metadata.name%3Dx&resourceVersion=0&watch=true");
		JsonNode first = watch.next();
		assertThat(first.path("type").asText()).isEqualTo("ADDED");
		assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("x");
		assertThat(rv(first.path("object"))).isEqualTo(rv(x));
		ok(patch(CM + "/y", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		JsonNode changed = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		JsonNode second = watch.next();
		assertThat(second.path("type").asText()).isEqualTo("MODIFIED");
		assertThat(second.path("object").path("metadata").path("name").asText()).isEqualTo("x");
		assertThat(rv(second.path("object"))).isEqualTo(rv(changed));
	}

	@Test
	@DisplayName("F4: RV=N delivers every change after N in RV order, with no synthetic events")
	void fromRv() {
		createConfigMap("before");
		long n = rvNum(ok(get(CM)));
		JsonNode a = createConfigMap("a");
		JsonNode b = createConfigMap("b");
		JsonNode a2 = ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}"));
		ok(delete(CM + "/b"));
		long deletedAt = this.emulator.resourceVersion();

		WatchConnection watch = watch(CM + "?resourceVersion=" + n + "&watch=true");
		assertEvent(watch.next(), "ADDED", "a", rv(a));
		assertEvent(watch.next(), "ADDED", "b", rv(b));
		assertEvent(watch.next(), "MODIFIED", "a", rv(a2));
		assertEvent(watch.next(), "DELETED", "b", Long.toString(deletedAt));
		JsonNode c = createConfigMap("c");
		assertEvent(watch.next(), "ADDED", "c", rv(c));
	}

	@Test
	@DisplayName("F5: a watch from a compacted RV is HTTP 200 with one ERROR 410 event 'too old resource version: N (M)', then the end")
	void tooOldResourceVersion() {
		long n = rvNum(createConfigMap("a"));
		createConfigMap("b");
		long compactedAt = this.emulator.resourceVersion();
		this.emulator.compactHistory();

		WatchConnection watch = watch(CM + "?resourceVersion=" + n + "&watch=true");
		assertThat(watch.status()).isEqualTo(200);
		List<String> lines = watch.awaitEnd(DEADLINE);
		assertThat(lines).containsExactly("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				+ "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: " + n + " ("
				+ compactedAt + ")\",\"reason\":\"Expired\",\"code\":410}}");

		WatchConnection fromCompaction = watch(CM + "?resourceVersion=" + compactedAt + "&watch=true");
		JsonNode c = createConfigMap("c");
		assertEvent(fromCompaction.next(), "ADDED", "c", rv(c));
	}

	@Test
	@DisplayName("F6: bad query parameters and validation errors are plain HTTP errors before streaming")
	void errorsBeforeStreaming() {
		Resp badSelector = get(CM + "?watch=true&labelSelector=" + urlEncode("a in (b"));
		assertThat(badSelector.code()).isEqualTo(400);
		assertThat(badSelector.contentType()).isEqualTo(JSON);
		assertThat(badSelector.json().path("reason").asText()).isEqualTo("BadRequest");

		Resp invalid = get(CM + "?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan");
		assertThat(invalid.code()).isEqualTo(422);
		assertThat(invalid.json().path("details").path("kind").asText()).isEqualTo("ListOptions");

		assertPlainNotFound(get("/api/v1/namespaces/default/gizmos?watch=true"));
	}

	@Test
	@DisplayName("F7: DELETED carries the last state with the RV of the delete")
	void deletedCarriesLastState() {
		createConfigMap("x");
		JsonNode changed = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"last\"}}"));
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(changed));
		ok(delete(CM + "/x"));
		JsonNode event = watch.next();
		assertThat(event.path("type").asText()).isEqualTo("DELETED");
		assertThat(event.path("object").path("data").path("k").asText()).isEqualTo("last");
		assertThat(rvNum(event.path("object"))).isEqualTo(this.emulator.resourceVersion())
			.isGreaterThan(rvNum(changed));
	}

	@Test
	@DisplayName("F7: selector transitions: starts matching gives ADDED, stops matching gives DELETED (old content, new RV)")
	void selectorTransitions() {
		createConfigMap("default", "x", Map.of("app", "other"), Map.of());
		WatchConnection watch = watch(CM + "?watch=true&labelSelector=app%3Dweb&resourceVersion="
				+ this.emulator.resourceVersion());
		JsonNode matching = ok(patch(CM + "/x", MERGE_PATCH, "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}"));
		JsonNode added = watch.next();
		assertEvent(added, "ADDED", "x", rv(matching));
		assertThat(added.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("web");

		JsonNode leaving = ok(patch(CM + "/x", MERGE_PATCH,
				"{\"metadata\":{\"labels\":{\"app\":\"db\"}},\"data\":{\"k\":\"new\"}}"));
		JsonNode deleted = watch.next();
		assertEvent(deleted, "DELETED", "x", rv(leaving));
		assertThat(deleted.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("web");
		assertThat(deleted.path("object").path("data").has("k")).isFalse();

		// changes to a non-matching object are not sent; the next event is the next real match
		ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"again\"}}"));
		JsonNode y = createConfigMap("default", "y", Map.of("app", "web"), Map.of());
		assertEvent(watch.next(), "ADDED", "y", rv(y));
	}

	@Test
	@DisplayName("F7: field selector transitions on a cross-namespace watch")
	void fieldSelectorTransitions() {
		createConfigMap("x");
		WatchConnection watch = watch("/api/v1/configmaps?watch=true&fieldSelector=metadata.namespace%3Dteam"
				+ "&resourceVersion=" + this.emulator.resourceVersion());
		createNamespace("team");
		JsonNode inTeam = createConfigMap("team", "t", null, Map.of());
		assertEvent(watch.next(), "ADDED", "t", rv(inTeam));
	}

	@Test
	@DisplayName("F8: timeoutSeconds ends the stream cleanly, with no ERROR event")
	void timeout() {
		createConfigMap("a");
		long started = System.nanoTime();
		WatchConnection watch = watch(CM + "?watch=true&timeoutSeconds=1&resourceVersion="
				+ this.emulator.resourceVersion());
		List<String> lines = watch.awaitEnd(DEADLINE);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(lines).isEmpty();
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		await().atMost(DEADLINE).until(() -> this.emulator.openWatches() == 0);
	}

	@Test
	@DisplayName("F9: bookmarks with allowWatchBookmarks: empty object of the kind with only the RV")
	void bookmarks() {
		createConfigMap("a");
		JsonNode b = createConfigMap("b");
		WatchConnection watch = watch(CM + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + rv(b));
		JsonNode bookmark = watch.next();
		assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
		JsonNode object = bookmark.path("object");
		assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(object.path("apiVersion").asText()).isEqualTo("v1");
		assertThat(rvNum(object)).isEqualTo(rvNum(b));
		List<String> metadataFields = new ArrayList<>();
		object.path("metadata").fieldNames().forEachRemaining(metadataFields::add);
		assertThat(metadataFields).contains("resourceVersion").isSubsetOf("resourceVersion", "creationTimestamp");
		assertThat(object.path("metadata").path("creationTimestamp").isNull()
				|| object.path("metadata").path("creationTimestamp").isMissingNode()).isTrue();
		assertThat(object.has("data")).isFalse();

		JsonNode c = createConfigMap("c");
		assertEvent(watch.nextIgnoringBookmarks(), "ADDED", "c", rv(c));
		JsonNode later;
		do {
			later = watch.next();
		}
		while (!later.path("type").asText().equals("BOOKMARK"));
		assertThat(rvNum(later.path("object"))).isGreaterThanOrEqualTo(rvNum(c));
		assertThat(later.path("object").path("metadata").has("annotations")).isFalse();
	}

	@Test
	@DisplayName("F9: no bookmarks without allowWatchBookmarks")
	void noBookmarksUnlessAsked() {
		WatchConnection watch = watch(CM + "?watch=true&timeoutSeconds=1&resourceVersion="
				+ this.emulator.resourceVersion());
		JsonNode x = createConfigMap("x");
		List<String> lines = watch.awaitEnd(DEADLINE);
		assertThat(lines).hasSize(1);
		assertEvent(WatchConnection.parse(lines.get(0)), "ADDED", "x", rv(x));
	}

	@Test
	@DisplayName("F10: history is bounded by historyMaxEvents; older RVs get the 410 ERROR event")
	void historySizeBound() {
		try (KubeApiEmulator small = KubeApiEmulator.builder().historyMaxEvents(3).build().start()) {
			long first = 0;
			for (int i = 0; i < 10; i++) {
				String body = configMap("cm" + i);
				long rv = rvNum(created(sendTo(small, "POST", CM, body)));
				first = (i == 0) ? rv : first;
			}
			WatchConnection old = WatchConnection.open(this.http,
					java.net.URI.create(small.baseUrl() + CM + "?watch=true&resourceVersion=" + first));
			try {
				assertThat(old.status()).isEqualTo(200);
				List<String> lines = old.awaitEnd(DEADLINE);
				assertThat(lines).hasSize(1);
				JsonNode error = WatchConnection.parse(lines.get(0));
				assertThat(error.path("type").asText()).isEqualTo("ERROR");
				assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
				assertThat(error.path("object").path("message").asText())
					.matches("too old resource version: " + first + " \\(\\d+\\)");
			}
			finally {
				old.close();
			}
		}
	}

	@Test
	@DisplayName("F11: a no-op write keeps the RV and sends no event")
	void noOpWrite() {
		JsonNode x = createConfigMap("x");
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(x));
		JsonNode same = ok(put(CM + "/x", configMap("x").replace("\"name\":\"x\"",
				"\"name\":\"x\",\"resourceVersion\":\"" + rv(x) + "\"")));
		assertThat(rv(same)).isEqualTo(rv(x));
		JsonNode patched = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"v\"}}"));
		assertThat(rv(patched)).isEqualTo(rv(x));
		assertThat(this.emulator.resourceVersion()).isEqualTo(rvNum(x));

		JsonNode real = ok(patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"changed\"}}"));
		assertEvent(watch.next(), "MODIFIED", "x", rv(real));
	}

	// ------------------------------------------------------------------ A3/A4 watch routes

	@Test
	@DisplayName("A3: watch=1 is accepted like watch=true")
	void watchOne() {
		WatchConnection watch = watch(CM + "?watch=1&resourceVersion=" + this.emulator.resourceVersion());
		JsonNode x = createConfigMap("x");
		assertEvent(watch.next(), "ADDED", "x", rv(x));
	}

	@Test
	@DisplayName("A3: legacy /api/v1/watch/... and /apis/<g>/<v>/watch/... prefixes route to watch")
	void legacyWatchPrefix() {
		String rv = Long.toString(this.emulator.resourceVersion());
		WatchConnection namespaced = watch("/api/v1/watch/namespaces/default/configmaps?resourceVersion=" + rv);
		WatchConnection everywhere = watch("/api/v1/watch/configmaps?resourceVersion=" + rv);
		WatchConnection leases = watch("/apis/coordination.k8s.io/v1/watch/namespaces/default/leases?resourceVersion="
				+ rv);
		JsonNode x = createConfigMap("x");
		JsonNode lease = created(post("/apis/coordination.k8s.io/v1/namespaces/default/leases",
				"{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\"}}"));
		assertEvent(namespaced.next(), "ADDED", "x", rv(x));
		assertEvent(everywhere.next(), "ADDED", "x", rv(x));
		assertEvent(leases.next(), "ADDED", "l", rv(lease));
	}

	@Test
	@DisplayName("A4: a watch on .../<resource>/<name> (both route shapes) sees only that object")
	void singleNameWatch() {
		String rv = Long.toString(this.emulator.resourceVersion());
		WatchConnection byQuery = watch(CM + "/x?watch=true&resourceVersion=" + rv);
		WatchConnection byPrefix = watch("/api/v1/watch/namespaces/default/configmaps/x?resourceVersion=" + rv);
		createConfigMap("y");
		JsonNode x = createConfigMap("x");
		assertEvent(byQuery.next(), "ADDED", "x", rv(x));
		assertEvent(byPrefix.next(), "ADDED", "x", rv(x));
	}

	@Test
	@DisplayName("A4: a single-name watch with the same metadata.name selector is fine; a contradicting one is 400")
	void singleNameWatchSelector() {
		WatchConnection same = watch(CM + "/x?watch=true&fieldSelector=metadata.name%3Dx&resourceVersion="
				+ this.emulator.resourceVersion());
		assertThat(same.status()).isEqualTo(200);
		assertStatus(get(CM + "/x?watch=true&fieldSelector=metadata.name%3Dy"), 400,
				failure("fieldSelector metadata.name doesn't match requested name", "BadRequest", null, 400));
		assertStatus(get("/api/v1/watch/namespaces/default/configmaps/x?fieldSelector=metadata.name%3Dy"), 400,
				failure("fieldSelector metadata.name doesn't match requested name", "BadRequest", null, 400));
		JsonNode x = createConfigMap("x");
		assertEvent(same.next(), "ADDED", "x", rv(x));
	}

	// ------------------------------------------------------------------ helpers

	private Resp sendTo(KubeApiEmulator target, String method, String path, String body) {
		KubeApiEmulator saved = this.emulator;
		this.emulator = target;
		try {
			return send(method, path, JSON, bytes(body));
		}
		finally {
			this.emulator = saved;
		}
	}

	static void assertEvent(JsonNode event, String type, String name, String resourceVersion) {
		assertThat(event.path("type").asText()).as("type of %s", event).isEqualTo(type);
		assertThat(event.path("object").path("metadata").path("name").asText()).as("name of %s", event)
			.isEqualTo(name);
		assertThat(rv(event.path("object"))).as("resourceVersion of %s", event).isEqualTo(resourceVersion);
	}
}
