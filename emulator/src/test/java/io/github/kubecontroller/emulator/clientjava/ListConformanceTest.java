package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.apiError;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Status;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lists through client-java's CoreV1Api: paging with limit/continue at a consistent snapshot, resourceVersion "0",
 * label and field selectors, and expired continue tokens.
 */
class ListConformanceTest {

	private static final String PAGING_NS = "cj-paging";

	private static final String SELECT_NS = "cj-select";

	private static final String OTHER_NS = "cj-select-other";

	private static final int PAGING_COUNT = 1_200;

	private static KubeApiEmulator emulator;

	private static CoreV1Api core;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		ApiClient client = emulator.apiClient();
		core = new CoreV1Api(client);
		createNamespace(core, PAGING_NS);
		createNamespace(core, SELECT_NS);
		createNamespace(core, OTHER_NS);
		// 1,200 ConfigMaps, created by a few threads to keep the suite fast.
		ExecutorService pool = Executors.newFixedThreadPool(24);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < PAGING_COUNT; i++) {
				String name = pagedName(i);
				futures.add(pool.submit(() -> core
					.createNamespacedConfigMap(PAGING_NS, new V1ConfigMap().metadata(meta(name)).putDataItem("v", "0"))
					.execute()));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
		Map<String, Map<String, String>> labelled = new HashMap<>();
		labelled.put("s-web-prod", Map.of("app", "web", "env", "prod", "rank", "3"));
		labelled.put("s-web-dev", Map.of("app", "web", "env", "dev", "rank", "7"));
		labelled.put("s-db-prod", Map.of("app", "db", "env", "prod"));
		labelled.put("s-cache", Map.of("app", "cache"));
		labelled.put("s-none", Map.of());
		labelled.put("s-empty-env", Map.of("app", "web", "env", ""));
		for (Map.Entry<String, Map<String, String>> entry : labelled.entrySet()) {
			core.createNamespacedConfigMap(SELECT_NS,
					new V1ConfigMap().metadata(meta(entry.getKey()).labels(new HashMap<>(entry.getValue()))))
				.execute();
		}
		core.createNamespacedConfigMap(OTHER_NS, new V1ConfigMap().metadata(meta("s-web-prod")
			.labels(new HashMap<>(Map.of("app", "web", "env", "prod"))))).execute();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	private static String pagedName(int i) {
		return String.format("page-%04d", i);
	}

	@Test
	@DisplayName("E7 E10: limit/continue pages over 1,200 ConfigMaps all come from the first page's snapshot, "
			+ "even while objects change between pages")
	void pagingIsConsistent() throws ApiException {
		V1ConfigMapList first = core.listNamespacedConfigMap(PAGING_NS).limit(500).execute();
		String snapshotRv = first.getMetadata().getResourceVersion();
		assertThat(first.getItems()).hasSize(500);
		assertThat(first.getMetadata().getContinue()).isNotBlank();
		assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(PAGING_COUNT - 500L);

		// Change objects that are on later pages, delete one, and add one that sorts last.
		for (int i : new int[] { 600, 900, 1_150 }) {
			V1ConfigMap cm = core.readNamespacedConfigMap(pagedName(i), PAGING_NS).execute();
			cm.putDataItem("v", "changed");
			core.replaceNamespacedConfigMap(pagedName(i), PAGING_NS, cm).execute();
		}
		core.deleteNamespacedConfigMap(pagedName(1_000), PAGING_NS).execute();
		core.createNamespacedConfigMap(PAGING_NS, new V1ConfigMap().metadata(meta("page-9999"))).execute();
		assertThat(emulator.resourceVersion()).isGreaterThan(Long.parseLong(snapshotRv));

		List<V1ConfigMap> all = new ArrayList<>(first.getItems());
		String token = first.getMetadata().getContinue();
		int pages = 1;
		while (token != null && !token.isEmpty()) {
			V1ConfigMapList page = core.listNamespacedConfigMap(PAGING_NS).limit(500)._continue(token).execute();
			assertThat(page.getMetadata().getResourceVersion()).as("page %d RV", pages + 1).isEqualTo(snapshotRv);
			assertThat(page.getItems().size()).isLessThanOrEqualTo(500);
			all.addAll(page.getItems());
			token = page.getMetadata().getContinue();
			pages++;
			assertThat(pages).as("paging terminates").isLessThan(10);
		}
		assertThat(pages).isEqualTo(3);
		List<String> names = all.stream().map((c) -> c.getMetadata().getName()).collect(Collectors.toList());
		assertThat(names).containsExactlyElementsOf(
				IntStream.range(0, PAGING_COUNT).mapToObj(ListConformanceTest::pagedName).collect(Collectors.toList()));
		assertThat(all).allSatisfy((cm) -> {
			assertThat(cm.getData()).containsEntry("v", "0");
			assertThat(Long.parseLong(cm.getMetadata().getResourceVersion())).isLessThanOrEqualTo(Long.parseLong(snapshotRv));
		});

		// A fresh list sees the changes.
		V1ConfigMapList now = core.listNamespacedConfigMap(PAGING_NS).execute();
		assertThat(now.getItems()).hasSize(PAGING_COUNT);
		assertThat(now.getItems()).extracting((c) -> c.getMetadata().getName())
			.contains("page-9999")
			.doesNotContain(pagedName(1_000));
	}

	@Test
	@DisplayName("E2: resourceVersion=0 ignores limit and returns everything without a continue token")
	void resourceVersionZeroIgnoresLimit() throws ApiException {
		V1ConfigMapList list = core.listNamespacedConfigMap(PAGING_NS).resourceVersion("0").limit(10).execute();
		assertThat(list.getItems()).hasSizeGreaterThanOrEqualTo(PAGING_COUNT - 1);
		assertThat(list.getMetadata().getContinue()).isNullOrEmpty();
		assertThat(list.getMetadata().getResourceVersion()).isNotBlank();
	}

	@Test
	@DisplayName("E9: a continue token whose revision was compacted gives 410 Expired with a fresh token")
	void expiredContinueToken() throws ApiException {
		String ns = "cj-expire";
		createNamespace(core, ns);
		for (int i = 0; i < 5; i++) {
			core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("x-" + i))).execute();
		}
		V1ConfigMapList first = core.listNamespacedConfigMap(ns).limit(2).execute();
		String token = first.getMetadata().getContinue();
		assertThat(token).isNotBlank();
		// A later write, then compaction: the first page's revision is no longer retained.
		core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta("z-after-first-page"))).execute();
		emulator.compactHistory();

		ApiException ex = apiError(() -> core.listNamespacedConfigMap(ns).limit(2)._continue(token).execute());
		assertThat(ex.getCode()).isEqualTo(410);
		V1Status status = status(ex);
		assertThat(status.getReason()).isEqualTo("Expired");
		assertThat(status.getCode()).isEqualTo(410);
		assertThat(status.getMessage()).isEqualTo("The provided continue parameter is too old to display a "
				+ "consistent list result. You can start a new list without the continue parameter, or use the "
				+ "continue token in this response to retrieve the remainder of the results. Continuing with the "
				+ "provided token results in an inconsistent list - objects that were created, modified, or deleted "
				+ "between the time the first chunk was returned and now may show up in the list.");
		String fresh = status.getMetadata().getContinue();
		assertThat(fresh).as("the Status carries a token to go on inconsistently").isNotBlank();

		// The fresh token continues after the last item of the first page, at the latest state.
		Set<String> seen = new HashSet<>();
		first.getItems().forEach((c) -> seen.add(c.getMetadata().getName()));
		String next = fresh;
		while (next != null && !next.isEmpty()) {
			V1ConfigMapList page = core.listNamespacedConfigMap(ns).limit(2)._continue(next).execute();
			page.getItems().forEach((c) -> assertThat(seen.add(c.getMetadata().getName())).isTrue());
			next = page.getMetadata().getContinue();
		}
		assertThat(seen).containsExactlyInAnyOrder("x-0", "x-1", "x-2", "x-3", "x-4", "z-after-first-page");
	}

	@Test
	@DisplayName("L1: label selectors with =, ==, !=, in, notin, exists, !exists, gt/lt, empty values and AND")
	void labelSelectors() throws ApiException {
		assertThat(labelled("app=web")).containsExactlyInAnyOrder("s-web-prod", "s-web-dev", "s-empty-env");
		assertThat(labelled("app==db")).containsExactlyInAnyOrder("s-db-prod");
		assertThat(labelled("app!=web")).as("!= also matches objects without the key")
			.containsExactlyInAnyOrder("s-db-prod", "s-cache", "s-none");
		assertThat(labelled("env in (prod,dev)")).containsExactlyInAnyOrder("s-web-prod", "s-web-dev", "s-db-prod");
		assertThat(labelled("env notin (prod)")).as("notin also matches objects without the key")
			.containsExactlyInAnyOrder("s-web-dev", "s-cache", "s-none", "s-empty-env");
		assertThat(labelled("env")).containsExactlyInAnyOrder("s-web-prod", "s-web-dev", "s-db-prod", "s-empty-env");
		assertThat(labelled("!env")).containsExactlyInAnyOrder("s-cache", "s-none");
		assertThat(labelled("env=")).containsExactlyInAnyOrder("s-empty-env");
		assertThat(labelled("rank>5")).containsExactlyInAnyOrder("s-web-dev");
		assertThat(labelled("rank<5")).containsExactlyInAnyOrder("s-web-prod");
		assertThat(labelled("app=web,env=prod")).containsExactlyInAnyOrder("s-web-prod");
		assertThat(labelled("app in (web, db),env!=dev,!rank")).containsExactlyInAnyOrder("s-db-prod", "s-empty-env");
		assertThat(labelled("")).hasSize(6);

		ApiException bad = apiError(() -> core.listNamespacedConfigMap(SELECT_NS).labelSelector("app in web").execute());
		assertThat(bad.getCode()).isEqualTo(400);
		assertThat(status(bad).getReason()).isEqualTo("BadRequest");
	}

	@Test
	@DisplayName("L2 L3: field selectors on metadata.name and metadata.namespace, with = == != and AND")
	void fieldSelectors() throws ApiException {
		assertThat(fielded(SELECT_NS, "metadata.name=s-cache")).containsExactly("s-cache");
		assertThat(fielded(SELECT_NS, "metadata.name==s-cache")).containsExactly("s-cache");
		assertThat(fielded(SELECT_NS, "metadata.name!=s-cache")).hasSize(5).doesNotContain("s-cache");
		assertThat(fielded(SELECT_NS, "metadata.namespace=" + SELECT_NS)).hasSize(6);
		assertThat(fielded(SELECT_NS, "metadata.namespace=" + OTHER_NS)).isEmpty();

		List<String> everywhere = core.listConfigMapForAllNamespaces()
			.fieldSelector("metadata.name=s-web-prod")
			.execute()
			.getItems()
			.stream()
			.map((c) -> c.getMetadata().getNamespace())
			.collect(Collectors.toList());
		assertThat(everywhere).containsExactlyInAnyOrder(SELECT_NS, OTHER_NS);
		List<String> combined = core.listConfigMapForAllNamespaces()
			.fieldSelector("metadata.name=s-web-prod,metadata.namespace!=" + SELECT_NS)
			.labelSelector("app=web")
			.execute()
			.getItems()
			.stream()
			.map((c) -> c.getMetadata().getNamespace())
			.collect(Collectors.toList());
		assertThat(combined).containsExactly(OTHER_NS);

		ApiException unknown = apiError(
				() -> core.listNamespacedConfigMap(SELECT_NS).fieldSelector("data.k=v").execute());
		assertThat(unknown.getCode()).isEqualTo(400);
		assertThat(status(unknown).getMessage()).contains("data.k");
		ApiException malformed = apiError(
				() -> core.listNamespacedConfigMap(SELECT_NS).fieldSelector("metadata.name").execute());
		assertThat(malformed.getCode()).isEqualTo(400);
	}

	@Test
	@DisplayName("L3: core/v1 Event field selectors on involvedObject.*, reason, type and source (kubectl describe)")
	void eventFieldSelectors() throws ApiException {
		V1ConfigMap target = core.readNamespacedConfigMap("s-cache", SELECT_NS).execute();
		String uid = target.getMetadata().getUid();
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		createEvent("e-cache-1", "ConfigMap", "s-cache", uid, "Synced", "Normal", "cj-controller", now);
		createEvent("e-cache-2", "ConfigMap", "s-cache", uid, "Failed", "Warning", "cj-controller", now);
		createEvent("e-other-kind", "Secret", "s-cache", "11111111-2222-3333-4444-555555555555", "Synced", "Normal",
				"other-controller", now);
		createEvent("e-other-name", "ConfigMap", "s-web-prod", "66666666-2222-3333-4444-555555555555", "Synced",
				"Normal", "cj-controller", now);

		// Exactly what kubectl describe sends.
		String describe = "involvedObject.name=s-cache,involvedObject.namespace=" + SELECT_NS
				+ ",involvedObject.kind=ConfigMap,involvedObject.uid=" + uid;
		assertThat(events(describe)).containsExactlyInAnyOrder("e-cache-1", "e-cache-2");
		assertThat(events("involvedObject.name=s-cache")).containsExactlyInAnyOrder("e-cache-1", "e-cache-2",
				"e-other-kind");
		assertThat(events("involvedObject.kind=Secret")).containsExactly("e-other-kind");
		assertThat(events("involvedObject.apiVersion=v1,involvedObject.name=s-web-prod"))
			.containsExactly("e-other-name");
		assertThat(events("reason=Failed")).containsExactly("e-cache-2");
		assertThat(events("type=Warning")).containsExactly("e-cache-2");
		assertThat(events("type!=Warning,involvedObject.name=s-cache"))
			.containsExactlyInAnyOrder("e-cache-1", "e-other-kind");
		assertThat(events("source=other-controller")).containsExactly("e-other-kind");
		assertThat(events("metadata.name=e-cache-1")).containsExactly("e-cache-1");
	}

	// ------------------------------------------------------------------ helpers

	private static List<String> labelled(String selector) throws ApiException {
		return core.listNamespacedConfigMap(SELECT_NS)
			.labelSelector(selector)
			.execute()
			.getItems()
			.stream()
			.map((c) -> c.getMetadata().getName())
			.collect(Collectors.toList());
	}

	private static List<String> fielded(String namespace, String selector) throws ApiException {
		return core.listNamespacedConfigMap(namespace)
			.fieldSelector(selector)
			.execute()
			.getItems()
			.stream()
			.map((c) -> c.getMetadata().getName())
			.filter((n) -> n.startsWith("s-"))
			.collect(Collectors.toList());
	}

	private static List<String> events(String selector) throws ApiException {
		return core.listNamespacedEvent(SELECT_NS)
			.fieldSelector(selector)
			.execute()
			.getItems()
			.stream()
			.map((e) -> e.getMetadata().getName())
			.collect(Collectors.toList());
	}

	private static void createEvent(String name, String kind, String objectName, String uid, String reason,
			String type, String component, OffsetDateTime now) throws ApiException {
		core.createNamespacedEvent(SELECT_NS, new CoreV1Event().metadata(meta(name))
			.involvedObject(new V1ObjectReference().apiVersion("v1").kind(kind).namespace(SELECT_NS).name(objectName)
				.uid(uid))
			.reason(reason)
			.type(type)
			.message(reason + " " + objectName)
			.source(new V1EventSource().component(component))
			.firstTimestamp(now)
			.lastTimestamp(now)
			.count(1)).execute();
	}
}
