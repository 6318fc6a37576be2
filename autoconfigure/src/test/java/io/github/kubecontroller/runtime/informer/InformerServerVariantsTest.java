package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.configMap;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Servers that differ from the usual: no streaming lists, a watch stream with a line that is not an event. */
class InformerServerVariantsTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private KubeApiEmulator emulator;
	private InformerRegistry registry;

	@AfterEach
	void stop() {
		if (registry != null) {
			registry.close();
		}
		if (emulator != null) {
			emulator.stop();
		}
	}

	@Test
	void aServerWithoutStreamingListsIsListedInPagesAfterOneRefusal() throws Exception {
		emulator = KubeApiEmulator.builder().streamingLists(false).build().start();
		emulator.audit().keepRequests(1_000);
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		createNamespace(core, "plain");
		core.createNamespacedConfigMap("plain", configMap("plain", "a")).execute();
		registry = new InformerRegistry(emulator.apiClient(), InformerOptions.defaults());

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("plain"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		assertThat(informer.getIndexer().listKeys()).containsExactly("plain/a");
		// A change arriving proves the watch after the list is running.
		core.createNamespacedConfigMap("plain", configMap("plain", "b")).execute();
		await().atMost(DEADLINE).until(() -> informer.getIndexer().listKeys().contains("plain/b"));
		List<AuditEvent> requests = emulator.audit().requests().stream()
				.filter(event -> event.request().namespace().equals("plain")
						&& event.request().resource().equals("configmaps")
						&& List.of("list", "watch").contains(event.request().verb()))
				.toList();
		// One refused streaming list (422), then a paginated list, then watches that do not ask for initial events.
		assertThat(requests.get(0).code()).isEqualTo(422);
		assertThat(requests.get(0).queryParameter("sendInitialEvents")).isEqualTo("true");
		assertThat(requests.get(1).request().verb()).isEqualTo("list");
		assertThat(requests.get(1).queryParameter("limit")).isEqualTo("500");
		assertThat(requests.stream().skip(2).filter(event -> event.request().verb().equals("watch")))
				.isNotEmpty()
				.allSatisfy(event -> {
					assertThat(event.queryParameter("sendInitialEvents")).isNull();
					assertThat(event.queryParameter("allowWatchBookmarks")).isEqualTo("true");
				});
	}

	@Test
	void aLineThatIsNotAnEventIsSkippedAndTheWatchGoesOn() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		CoreV1Api core = new CoreV1Api(emulator.apiClient());
		createNamespace(core, "garbled");
		registry = new InformerRegistry(emulator.apiClient(), InformerOptions.defaults());
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("garbled"),
				V1ConfigMap.class);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		long relists = informer.health().relists();
		Fault garble = emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch").namespace("garbled"))
				.malformedWatchEvent().times(1).build());

		emulator.closeAllWatches(); // the informer's next watch starts with the malformed line
		await().atMost(DEADLINE).until(() -> garble.triggered() == 1);
		core.createNamespacedConfigMap("garbled", configMap("garbled", "after")).execute();

		await().atMost(DEADLINE).until(() -> informer.getIndexer().listKeys().contains("garbled/after"));
		assertThat(informer.health().relists()).isEqualTo(relists);
		assertThat(informer.health().state()).isEqualTo(WatchState.WATCHING);
	}
}
