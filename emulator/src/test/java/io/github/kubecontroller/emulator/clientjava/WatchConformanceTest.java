package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.eventually;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.WatchRecorder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Watch;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Watches through client-java's {@code Watch.createWatch} over {@code CoreV1Api.listNamespacedConfigMap(...)
 * .watch(true)}: synthetic ADDED, resuming from a list RV, 410 as an ERROR event, bookmarks, timeouts, selector
 * transitions and streaming lists. Each test uses its own namespace.
 */
class WatchConformanceTest {

	private static final Duration BOOKMARK_INTERVAL = Duration.ofMillis(300);

	private static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().bookmarkInterval(BOOKMARK_INTERVAL).build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	@Test
	@DisplayName("F2 F3: a watch from RV \"\" or \"0\" starts with a synthetic ADDED per existing object, then live changes")
	void watchFromUnsetOrZeroStartsWithAdded() throws ApiException {
		String ns = namespaceWith("cj-watch-initial", "a", "b", "c");
		for (String rv : new String[] { null, "0" }) {
			try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
					core.listNamespacedConfigMap(ns).watch(true).resourceVersion(rv).buildCall(null),
					V1ConfigMap.class)) {
				eventually().until(() -> watch.events.size() >= 3);
				assertThat(watch.events.subList(0, 3)).allSatisfy((e) -> assertThat(e.type).isEqualTo("ADDED"));
				assertThat(watch.summary(V1ConfigMap::getMetadata).subList(0, 3))
					.containsExactlyInAnyOrder("ADDED a", "ADDED b", "ADDED c");

				V1ConfigMap a = core.readNamespacedConfigMap("a", ns).execute();
				a.putDataItem("rv", String.valueOf(rv));
				core.replaceNamespacedConfigMap("a", ns, a).execute();
				eventually().until(() -> watch.events.size() >= 4);
				assertThat(watch.summary(V1ConfigMap::getMetadata)).as("watch from RV %s", rv)
					.hasSize(4)
					.endsWith("MODIFIED a");
				assertThat(watch.ofType("BOOKMARK")).as("no bookmarks unless asked for").isEmpty();
			}
		}
	}

	@Test
	@DisplayName("F2 G3: a watch from RV \"\" or \"0\" with allowWatchBookmarks ends its initial ADDED events with the "
			+ "annotated bookmark")
	void defaultedWatchGetsInitialEventsEndBookmark() throws ApiException {
		String ns = namespaceWith("cj-watch-defaulted", "a", "b");
		for (String rv : new String[] { null, "0" }) {
			try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
					core.listNamespacedConfigMap(ns).watch(true).resourceVersion(rv).allowWatchBookmarks(true)
						.buildCall(null),
					V1ConfigMap.class)) {
				eventually().until(() -> watch.events.size() >= 3);
				assertThat(watch.events.get(0).type).isEqualTo("ADDED");
				assertThat(watch.events.get(1).type).isEqualTo("ADDED");
				Watch.Response<V1ConfigMap> end = watch.events.get(2);
				assertThat(end.type).as("watch from RV %s", rv).isEqualTo("BOOKMARK");
				assertThat(annotations(end)).as("watch from RV %s", rv).containsEntry(INITIAL_EVENTS_END, "true");
			}
		}
	}

	@Test
	@DisplayName("F4 F7: a watch from a list RV gets exactly the later changes, in RV order, DELETED with its RV")
	void watchFromListResourceVersion() throws Exception {
		String ns = namespaceWith("cj-watch-resume", "existing");
		String listRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();

		// Changes before the watch opens are replayed from history...
		core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("one"))).execute();
		V1ConfigMap one = core.readNamespacedConfigMap("one", ns).execute();
		one.putDataItem("k", "v");
		core.replaceNamespacedConfigMap("one", ns, one).execute();
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(listRv).buildCall(null),
				V1ConfigMap.class)) {
			// ...and later ones arrive live.
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("two"))).execute();
			core.deleteNamespacedConfigMap("one", ns).execute();
			long deleteRv = emulator.resourceVersion();

			eventually().until(() -> watch.events.size() >= 4);
			assertThat(watch.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED one", "MODIFIED one",
					"ADDED two", "DELETED one");
			List<Long> rvs = watch.events.stream()
				.map((e) -> Long.parseLong(e.object.getMetadata().getResourceVersion()))
				.collect(Collectors.toList());
			assertThat(rvs).isSorted().doesNotHaveDuplicates();
			assertThat(rvs.get(0)).isGreaterThan(Long.parseLong(listRv));
			assertThat(rvs.get(3)).as("DELETED carries the RV of the delete").isEqualTo(deleteRv);
			assertThat(watch.events.get(3).object.getData()).as("DELETED carries the last state")
				.containsEntry("k", "v");
		}
	}

	@Test
	@DisplayName("F5: after compactHistory a watch from an old RV gets one ERROR event with code 410, then the stream ends")
	void compactedWatchGetsErrorEvent() throws ApiException {
		String ns = namespaceWith("cj-watch-expired", "a");
		String oldRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
		core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("b"))).execute();
		long compactedAt = emulator.resourceVersion();
		emulator.compactHistory();

		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(oldRv).buildCall(null),
				V1ConfigMap.class)) {
			eventually().until(watch::ended);
			assertThat(watch.failure()).isNull();
			assertThat(watch.events).singleElement().satisfies((e) -> {
				assertThat(e.type).isEqualTo("ERROR");
				V1Status status = e.status;
				assertThat(status).isNotNull();
				assertThat(status.getCode()).isEqualTo(410);
				assertThat(status.getReason()).isEqualTo("Expired");
				assertThat(status.getStatus()).isEqualTo("Failure");
				assertThat(status.getMessage()).isEqualTo("too old resource version: " + oldRv + " (" + compactedAt + ")");
			});
		}

		// Watching from the compaction revision itself still works.
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(Long.toString(compactedAt)).buildCall(null),
				V1ConfigMap.class)) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("c"))).execute();
			eventually().until(() -> !watch.events.isEmpty());
			assertThat(watch.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED c");
		}
	}

	@Test
	@DisplayName("F9: with allowWatchBookmarks=true bookmarks arrive on the configured interval, carrying only kind, "
			+ "apiVersion and the RV; without it none arrive")
	void bookmarks() throws ApiException {
		String ns = namespaceWith("cj-watch-bookmarks", "a");
		String listRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
		try (WatchRecorder<V1ConfigMap> withBookmarks = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(listRv).allowWatchBookmarks(true)
					.buildCall(null),
				V1ConfigMap.class);
				WatchRecorder<V1ConfigMap> without = WatchRecorder.start(client,
						core.listNamespacedConfigMap(ns).watch(true).resourceVersion(listRv).buildCall(null),
						V1ConfigMap.class)) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("b"))).execute();
			long afterWrite = emulator.resourceVersion();
			eventually().until(() -> withBookmarks.ofType("BOOKMARK").size() >= 2 && withBookmarks.ofType("BOOKMARK")
				.stream()
				.anyMatch((b) -> Long.parseLong(b.object.getMetadata().getResourceVersion()) >= afterWrite));
			Watch.Response<V1ConfigMap> bookmark = withBookmarks.ofType("BOOKMARK")
				.stream()
				.filter((b) -> Long.parseLong(b.object.getMetadata().getResourceVersion()) >= afterWrite)
				.findFirst()
				.orElseThrow();
			assertThat(bookmark.object.getKind()).isEqualTo("ConfigMap");
			assertThat(bookmark.object.getApiVersion()).isEqualTo("v1");
			assertThat(Long.parseLong(bookmark.object.getMetadata().getResourceVersion()))
				.isGreaterThanOrEqualTo(afterWrite);
			assertThat(bookmark.object.getMetadata().getName()).isNull();
			assertThat(bookmark.object.getData()).isNullOrEmpty();
			assertThat(annotations(bookmark)).doesNotContainKey(INITIAL_EVENTS_END);
			assertThat(withBookmarks.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED b");

			// Several bookmark intervals pass on the other watch without any bookmark.
			Awaitility.await()
				.during(BOOKMARK_INTERVAL.multipliedBy(3))
				.atMost(BOOKMARK_INTERVAL.multipliedBy(6))
				.until(() -> without.ofType("BOOKMARK").isEmpty());
			assertThat(without.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED b");
		}
	}

	@Test
	@DisplayName("F8: timeoutSeconds ends the stream cleanly, without an ERROR event")
	void timeoutEndsStreamCleanly() throws ApiException {
		String ns = namespaceWith("cj-watch-timeout", "a");
		String listRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
		long started = System.nanoTime();
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(listRv).timeoutSeconds(1).buildCall(null),
				V1ConfigMap.class)) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("b"))).execute();
			Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(watch::ended);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(watch.failure()).as("the stream ended normally").isNull();
			assertThat(watch.ofType("ERROR")).isEmpty();
			assertThat(watch.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED b");
		}
	}

	@Test
	@DisplayName("F7: with a label selector, starting to match is ADDED and stopping is DELETED with the old content")
	void selectorTransitions() throws ApiException {
		String ns = namespaceWith("cj-watch-selector");
		String listRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns).watch(true).resourceVersion(listRv).labelSelector("app=web")
					.buildCall(null),
				V1ConfigMap.class)) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("x"))).execute();
			V1ConfigMap x = core.readNamespacedConfigMap("x", ns).execute();
			x.getMetadata().putLabelsItem("app", "web");
			x = core.replaceNamespacedConfigMap("x", ns, x).execute();
			x.putDataItem("k", "v");
			x = core.replaceNamespacedConfigMap("x", ns, x).execute();
			x.getMetadata().getLabels().remove("app");
			x = core.replaceNamespacedConfigMap("x", ns, x).execute();
			long unlabelRv = Long.parseLong(x.getMetadata().getResourceVersion());
			x.putDataItem("k", "unseen");
			core.replaceNamespacedConfigMap("x", ns, x).execute();
			core.deleteNamespacedConfigMap("x", ns).execute();
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("marker")
				.labels(new java.util.HashMap<>(Map.of("app", "web"))))).execute();

			eventually().until(() -> watch.summary(V1ConfigMap::getMetadata).contains("ADDED marker"));
			assertThat(watch.summary(V1ConfigMap::getMetadata)).containsExactly("ADDED x", "MODIFIED x", "DELETED x",
					"ADDED marker");
			Watch.Response<V1ConfigMap> left = watch.events.get(2);
			assertThat(left.object.getMetadata().getLabels()).as("DELETED carries the old (matching) content")
				.containsEntry("app", "web");
			assertThat(Long.parseLong(left.object.getMetadata().getResourceVersion()))
				.as("DELETED carries the RV of the change")
				.isEqualTo(unlabelRv);
		}
	}

	@Test
	@DisplayName("G1 G3: a streaming list (sendInitialEvents, NotOlderThan, bookmarks) sends ADDED for each object, one "
			+ "annotated BOOKMARK, then live events and plain bookmarks")
	void streamingList() throws ApiException {
		String ns = namespaceWith("cj-watch-stream", "a", "b", "c");
		long before = emulator.resourceVersion();
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns)
					.watch(true)
					.sendInitialEvents(true)
					.resourceVersionMatch("NotOlderThan")
					.allowWatchBookmarks(true)
					.buildCall(null),
				V1ConfigMap.class)) {
			eventually().until(() -> watch.events.size() >= 4);
			assertThat(watch.events.subList(0, 3)).extracting((e) -> e.type).containsOnly("ADDED");
			assertThat(watch.events.subList(0, 3)).extracting((e) -> e.object.getMetadata().getName())
				.containsExactlyInAnyOrder("a", "b", "c");
			Watch.Response<V1ConfigMap> end = watch.events.get(3);
			assertThat(end.type).isEqualTo("BOOKMARK");
			assertThat(annotations(end)).containsEntry(INITIAL_EVENTS_END, "true");
			long endRv = Long.parseLong(end.object.getMetadata().getResourceVersion());
			assertThat(endRv).isGreaterThanOrEqualTo(before);

			V1ConfigMap a = core.readNamespacedConfigMap("a", ns).execute();
			a.putDataItem("k", "v");
			core.replaceNamespacedConfigMap("a", ns, a).execute();
			eventually().until(() -> watch.summary(V1ConfigMap::getMetadata).contains("MODIFIED a"));
			eventually().until(() -> watch.ofType("BOOKMARK").size() >= 2);
			assertThat(watch.ofType("BOOKMARK").subList(1, watch.ofType("BOOKMARK").size()))
				.as("later bookmarks are not annotated")
				.allSatisfy((b) -> assertThat(annotations(b)).doesNotContainKey(INITIAL_EVENTS_END));
			assertThat(watch.matching((e) -> annotations(e).containsKey(INITIAL_EVENTS_END))).hasSize(1);
		}

		// With a resourceVersion, the snapshot is not older than it.
		String rv = Long.toString(emulator.resourceVersion());
		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(ns)
					.watch(true)
					.resourceVersion(rv)
					.sendInitialEvents(true)
					.resourceVersionMatch("NotOlderThan")
					.allowWatchBookmarks(true)
					.buildCall(null),
				V1ConfigMap.class)) {
			eventually().until(() -> watch.events.size() >= 4);
			assertThat(watch.events.subList(0, 3)).extracting((e) -> e.type).containsOnly("ADDED");
			assertThat(watch.events.get(3).type).isEqualTo("BOOKMARK");
			assertThat(annotations(watch.events.get(3))).containsEntry(INITIAL_EVENTS_END, "true");
			assertThat(Long.parseLong(watch.events.get(3).object.getMetadata().getResourceVersion()))
				.isGreaterThanOrEqualTo(Long.parseLong(rv));
		}
	}

	// ------------------------------------------------------------------ helpers

	private static String namespaceWith(String ns, String... configMaps) throws ApiException {
		createNamespace(core, ns);
		for (String name : configMaps) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta(name))).execute();
		}
		return ns;
	}

	private static Map<String, String> annotations(Watch.Response<V1ConfigMap> event) {
		if (event.object == null || event.object.getMetadata() == null
				|| event.object.getMetadata().getAnnotations() == null) {
			return Map.of();
		}
		return event.object.getMetadata().getAnnotations();
	}
}
