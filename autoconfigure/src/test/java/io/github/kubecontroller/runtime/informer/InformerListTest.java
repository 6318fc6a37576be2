package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The first list of an informer: pages, streaming lists and their fallback, the cache, listers and indexes. */
class InformerListTest {

	static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);
	private static final Duration SYNC = Duration.ofSeconds(20);

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;
	private static RecordedRequests requests;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.audit().keepRequests(10_000);
		client = emulator.apiClient();
		requests = RecordedRequests.on(client);
		core = new CoreV1Api(client);
	}

	@AfterEach
	void closeRegistry() {
		if (registry != null) {
			registry.close();
		}
		emulator.faults().clear();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	static void createNamespace(CoreV1Api core, String name) throws ApiException {
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	static V1ConfigMap configMap(String namespace, String name) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace).name(name)).putDataItem("v", "1");
	}

	private static List<String> names(List<V1ConfigMap> objects) {
		return objects.stream().map((o) -> o.getMetadata().getName()).sorted().toList();
	}

	@Test
	void listsInPagesOfThePageSize() throws Exception {
		createNamespace(core, "paging");
		for (int i = 0; i < 1200; i++) {
			core.createNamespacedConfigMap("paging", configMap("paging", String.format("cm-%04d", i))).execute();
		}
		registry = new InformerRegistry(client, InformerOptions.defaults().withStreamingList(false));

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("paging"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(SYNC)).isTrue();
		assertThat(informer.size()).isEqualTo(1200);
		assertThat(informer.hasSynced()).isTrue();
		Lister<V1ConfigMap> lister = new Lister<>(informer.getIndexer(), "paging");
		assertThat(lister.list()).hasSize(1200);
		assertThat(lister.get("cm-0042").getData()).containsEntry("v", "1");
		assertThat(lister.get("cm-0042").getKind()).isEqualTo("ConfigMap");
		assertThat(lister.get("cm-0042").getApiVersion()).isEqualTo("v1");

		String path = "/api/v1/namespaces/paging/configmaps";
		List<HttpUrl> lists = requests.lists(path);
		assertThat(lists).hasSize(3);
		assertThat(lists).allSatisfy((url) -> {
			assertThat(url.queryParameter("limit")).isEqualTo("500");
			assertThat(url.queryParameter("resourceVersion")).isNull();
		});
		assertThat(lists.get(0).queryParameter("continue")).isNull();
		assertThat(lists.get(1).queryParameter("continue")).isNotBlank();
		assertThat(lists.get(2).queryParameter("continue")).isNotBlank().isNotEqualTo(
				lists.get(1).queryParameter("continue"));
		List<AuditEvent> audited = emulator.audit().requests().stream()
			.filter((e) -> e.request().verb().equals("list") && e.request().namespace().equals("paging"))
			.toList();
		assertThat(audited).hasSize(3).allSatisfy((e) -> assertThat(e.code()).isEqualTo(200));

		await().atMost(SYNC).until(() -> !requests.watches(path).isEmpty());
		HttpUrl watch = requests.watches(path).get(0);
		assertThat(watch.queryParameter("allowWatchBookmarks")).isEqualTo("true");
		assertThat(watch.queryParameter("resourceVersion")).isEqualTo(informer.health().resourceVersion());
		assertThat(Long.parseLong(watch.queryParameter("timeoutSeconds"))).isBetween(300L, 599L);
		WatchHealth health = informer.health();
		assertThat(health.synced()).isTrue();
		assertThat(health.relists()).isEqualTo(1);
		assertThat(health.lastRelist()).isNotNull();
	}

	@Test
	void startsTheListOverWhenAContinueTokenExpires() throws Exception {
		createNamespace(core, "expiring");
		for (String name : List.of("a", "b", "c")) {
			core.createNamespacedConfigMap("expiring", configMap("expiring", name)).execute();
		}
		// Every page is held a moment, so that the history can be compacted between the first and second page.
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("list").namespace("expiring"))
			.latency(Duration.ofMillis(800)).build());
		registry = new InformerRegistry(client, InformerOptions.defaults().withStreamingList(false).withPageSize(2));

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("expiring"),
				V1ConfigMap.class);
		await().atMost(SYNC).pollInterval(Duration.ofMillis(10)).until(() -> listCodes("expiring").size() == 1);
		// A write after the first page's snapshot, then compaction: that snapshot is no longer available.
		core.createNamespacedConfigMap("default", configMap("default", "expiring-write")).execute();
		emulator.compactHistory();

		assertThat(informer.awaitSynced(SYNC)).isTrue();
		assertThat(informer.getIndexer().listKeys()).containsExactlyInAnyOrder("expiring/a", "expiring/b",
				"expiring/c");
		// First page, second page (410: its snapshot is gone), then both pages again. (The audited codes are not
		// checked: the write above runs while the second page is held, and the emulator may then audit that
		// write's status on the list.)
		List<HttpUrl> lists = requests.lists("/api/v1/namespaces/expiring/configmaps");
		assertThat(lists).extracting((url) -> url.queryParameter("continue") != null)
			.containsExactly(false, true, false, true);
		assertThat(informer.health().relists()).isEqualTo(1);
		assertThat(informer.health().lastError()).isNull();
	}

	private static List<Integer> listCodes(String namespace) {
		return emulator.audit().requests().stream()
			.filter((e) -> e.request().verb().equals("list") && e.request().namespace().equals(namespace))
			.map(AuditEvent::code)
			.toList();
	}

	@Test
	void streamsTheListWhenTheServerCan() throws Exception {
		createNamespace(core, "streamed");
		for (int i = 0; i < 30; i++) {
			core.createNamespacedConfigMap("streamed", configMap("streamed", "cm-" + i)).execute();
		}
		registry = new InformerRegistry(client);

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("streamed"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(SYNC)).isTrue();
		assertThat(informer.size()).isEqualTo(30);
		String path = "/api/v1/namespaces/streamed/configmaps";
		assertThat(requests.lists(path)).isEmpty();
		assertThat(requests.streamingLists(path)).singleElement().satisfies((url) -> {
			assertThat(url.queryParameter("watch")).isEqualTo("true");
			assertThat(url.queryParameter("resourceVersionMatch")).isEqualTo("NotOlderThan");
			assertThat(url.queryParameter("allowWatchBookmarks")).isEqualTo("true");
		});
		assertThat(informer.health().state()).isEqualTo(WatchState.WATCHING);
		assertThat(informer.health().resourceVersion()).isNotNull();

		core.createNamespacedConfigMap("streamed", configMap("streamed", "later")).execute();
		await().atMost(SYNC).until(() -> informer.getIndexer().getByKey("streamed/later") != null);
		assertThat(requests.watches(path)).as("the streaming list goes on as the watch").isEmpty();
	}

	@Test
	void fallsBackToPagesWhenTheServerRejectsStreamingLists() throws Exception {
		createNamespace(core, "fallback");
		for (int i = 0; i < 5; i++) {
			core.createNamespacedConfigMap("fallback", configMap("fallback", "cm-" + i)).execute();
		}
		// An older server rejects resourceVersionMatch on a watch with 422.
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch").resource("", "configmaps")
			.namespace("fallback")).status(422).times(1).build());
		registry = new InformerRegistry(client);

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("fallback"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(SYNC)).isTrue();
		assertThat(informer.size()).isEqualTo(5);
		String path = "/api/v1/namespaces/fallback/configmaps";
		assertThat(requests.streamingLists(path)).hasSize(1);
		assertThat(requests.lists(path)).hasSize(1);
		assertThat(informer.health().consecutiveFailures()).isZero();

		// The informer remembers: its next relist is a paginated list again.
		await().atMost(SYNC).until(() -> !requests.watches(path).isEmpty());
		emulator.expireAllWatches();
		await().atMost(SYNC).until(() -> requests.lists(path).size() == 2);
		assertThat(requests.streamingLists(path)).hasSize(1);
		await().atMost(SYNC).until(() -> informer.health().relists() == 2);
	}

	@Test
	void listersIndexesAndSelectors() throws Exception {
		createNamespace(core, "idx-a");
		createNamespace(core, "idx-b");
		V1ConfigMap owner = core.createNamespacedConfigMap("idx-a", configMap("idx-a", "owner")).execute();
		String ownerUid = owner.getMetadata().getUid();
		for (String ns : List.of("idx-a", "idx-b")) {
			for (int i = 0; i < 3; i++) {
				V1ConfigMap child = configMap(ns, "child-" + i);
				child.getMetadata().putLabelsItem("suite", "indexes").putLabelsItem("tier", i == 0 ? "web" : "db");
				if (ns.equals("idx-a")) {
					child.getMetadata().addOwnerReferencesItem(new V1OwnerReference().apiVersion("v1")
						.kind("ConfigMap").name("owner").uid(ownerUid));
				}
				core.createNamespacedConfigMap(ns, child).execute();
			}
		}
		registry = new InformerRegistry(client);

		Informer<V1ConfigMap> all = registry.informer(new WatchSpec(CONFIG_MAPS, null, "suite=indexes", null),
				V1ConfigMap.class);
		Informer<V1ConfigMap> web = registry.informer(new WatchSpec(CONFIG_MAPS, null, "suite=indexes,tier=web",
				null), V1ConfigMap.class);
		Informer<V1ConfigMap> oneName = registry.informer(new WatchSpec(CONFIG_MAPS, "idx-b", null,
				"metadata.name=child-2"), V1ConfigMap.class);

		for (Informer<V1ConfigMap> informer : List.of(all, web, oneName)) {
			assertThat(informer.awaitSynced(SYNC)).isTrue();
		}
		Lister<V1ConfigMap> lister = new Lister<>(all.getIndexer());
		assertThat(lister.list()).hasSize(6);
		assertThat(names(lister.namespace("idx-b").list())).containsExactly("child-0", "child-1", "child-2");
		assertThat(all.getIndexer().byIndex(Indexes.OWNER_UID, ownerUid)).hasSize(3)
			.allSatisfy((cm) -> assertThat(cm.getMetadata().getNamespace()).isEqualTo("idx-a"));
		assertThat(all.getIndexer().listKeys()).contains("idx-a/child-0", "idx-b/child-2");
		assertThat(web.getIndexer().listKeys()).containsExactlyInAnyOrder("idx-a/child-0", "idx-b/child-0");
		assertThat(oneName.getIndexer().listKeys()).containsExactly("idx-b/child-2");

		all.addIndexers(Map.of("tier", (cm) -> List.of(cm.getMetadata().getLabels().get("tier"))));
		assertThat(all.getIndexer().byIndex("tier", "db")).hasSize(4);

		// A change that makes an object stop matching a selector is a delete for that informer.
		EventLog<V1ConfigMap> webEvents = new EventLog<>();
		web.addEventHandler(webEvents);
		V1ConfigMap moved = core.readNamespacedConfigMap("child-0", "idx-a").execute();
		moved.getMetadata().putLabelsItem("tier", "db");
		core.replaceNamespacedConfigMap("child-0", "idx-a", moved).execute();

		await().atMost(SYNC).until(() -> webEvents.events.contains("delete idx-a/child-0"));
		assertThat(web.getIndexer().listKeys()).containsExactly("idx-b/child-0");
		await().atMost(SYNC).until(() -> all.getIndexer().byIndex("tier", "db").size() == 5);
	}
}
