package io.github.kubecontroller.emulator.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A fabric8 {@code inform()} informer on ConfigMaps: initial sync, live changes, and recovery after the emulator
 * compacts its history and drops every watch.
 *
 * <p>
 * fabric8's reflector lists with {@code resourceVersion=0} once, then watches from the list's resourceVersion with
 * bookmarks. When a watch stream ends, its watch manager re-watches from the last resourceVersion it saw; after
 * {@link io.github.kubecontroller.emulator.KubeApiEmulator#compactHistory()} that re-watch is answered with an ERROR
 * event carrying 410, and the reflector relists (without resourceVersion) and starts a new watch. A write to another
 * kind right before the compaction makes sure the informer's last resourceVersion is older than the compaction
 * point.
 */
class Fabric8InformerTest extends Fabric8Support {

	private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

	@Test
	@DisplayName("E2 F4 F5 F10: a fabric8 ConfigMap informer syncs, sees changes, and after compactHistory and "
			+ "closeAllWatches gets 410 on its re-watch, relists and converges to the server state")
	void informerRelistsAfterCompaction() {
		for (int i = 0; i < 5; i++) {
			createConfigMap("pre-" + i, Map.of("v", "1"));
		}
		Recorder recorder = new Recorder();
		try (SharedIndexInformer<ConfigMap> informer = this.client.configMaps().inNamespace(NS).inform(recorder)) {
			// Initial sync.
			assertThat(informer.hasSynced()).isTrue();
			assertThat(state(informer.getStore().list())).isEqualTo(serverConfigMaps()).hasSize(5);
			await("5 adds").until(() -> recorder.added.size() >= 5);
			assertThat(recorder.added).containsExactlyInAnyOrder("pre-0", "pre-1", "pre-2", "pre-3", "pre-4");
			List<Fabric8Support.Request> lists = requests((r) -> r.isListOf(CONFIGMAPS));
			assertThat(lists).singleElement()
				.as("the first list reads from the watch cache (E2)")
				.satisfies((r) -> assertThat(r.query()).containsEntry("resourceVersion", "0"));
			await("the watch request").until(() -> !requests((r) -> r.isWatchOf(CONFIGMAPS)).isEmpty());
			assertThat(requests((r) -> r.isWatchOf(CONFIGMAPS)).get(0).query())
				.containsEntry("resourceVersion", informer.lastSyncResourceVersion())
				.containsEntry("allowWatchBookmarks", "true");
			// (fabric8's isWatching() only turns true with the first chunk of a watch body; the server's count is exact.)
			await("the informer's watch is open").until(() -> this.emulator.openWatches() == 1);

			// Live adds, updates and deletes.
			createConfigMap("live-add", Map.of("v", "1"));
			update("pre-0");
			delete("pre-1");
			await("live events").until(() -> recorder.added.contains("live-add") && recorder.updated.contains("pre-0")
					&& recorder.deleted.contains("pre-1"));
			await("cache = server").until(() -> state(informer.getStore().list()).equals(serverConfigMaps()));

			// Move the cluster past the informer's last RV with a write it does not watch, compact, drop the watches.
			this.client.secrets().inNamespace(NS)
				.resource(new SecretBuilder().withNewMetadata().withName("unwatched").endMetadata().build())
				.create();
			long compactedAt = this.emulator.resourceVersion();
			String informerRv = informer.lastSyncResourceVersion();
			assertThat(Long.parseLong(informerRv)).isLessThan(compactedAt);
			int listsBefore = requests((r) -> r.isListOf(CONFIGMAPS)).size();
			int watchesBefore = requests((r) -> r.isWatchOf(CONFIGMAPS)).size();
			this.emulator.compactHistory();
			this.emulator.closeAllWatches();

			// Changes while the informer reconnects; only a relist can show them all.
			createConfigMap("after-1", Map.of("v", "1"));
			createConfigMap("after-2", Map.of("v", "1"));
			update("pre-3");
			delete("pre-4");
			delete("live-add");

			await("a re-watch from the stale resourceVersion, then a relist").until(() -> {
				List<Fabric8Support.Request> watches = requests((r) -> r.isWatchOf(CONFIGMAPS));
				return watches.size() > watchesBefore && requests((r) -> r.isListOf(CONFIGMAPS)).size() > listsBefore;
			});
			assertThat(requests((r) -> r.isWatchOf(CONFIGMAPS)).get(watchesBefore).query())
				.as("fabric8 resumes the dropped watch from its last resourceVersion")
				.containsEntry("resourceVersion", informerRv);
			assertThat(requests((r) -> r.isListOf(CONFIGMAPS)).get(listsBefore).query())
				.as("the relist after 410 is a consistent read (no resourceVersion)")
				.doesNotContainKey("resourceVersion");

			await("cache converges").until(() -> state(informer.getStore().list()).equals(serverConfigMaps()));
			assertThat(state(informer.getStore().list()).keySet()).containsExactly("after-1", "after-2", "pre-0",
					"pre-2", "pre-3");
			await("handlers saw the relist").until(() -> recorder.added.contains("after-2")
					&& recorder.deleted.contains("pre-4") && recorder.deleted.contains("live-add"));

			// The informer watches again: a later change arrives live.
			await("a new watch after the relist").until(() -> requests((r) -> r.isWatchOf(CONFIGMAPS))
				.size() >= watchesBefore + 2 && this.emulator.openWatches() == 1);
			assertThat(Long.parseLong(requests((r) -> r.isWatchOf(CONFIGMAPS)).get(watchesBefore + 1).query()
				.get("resourceVersion"))).as("the new watch starts from the relist's resourceVersion, not the stale one")
				.isGreaterThanOrEqualTo(compactedAt);
			int listsAfterRelist = requests((r) -> r.isListOf(CONFIGMAPS)).size();
			createConfigMap("final", Map.of("v", "1"));
			await("final seen").until(() -> recorder.added.contains("final"));
			assertThat(state(informer.getStore().list())).isEqualTo(serverConfigMaps());
			assertThat(requests((r) -> r.isListOf(CONFIGMAPS))).as("seen through the watch, not another list")
				.hasSize(listsAfterRelist);
			assertThat(informer.isRunning()).isTrue();
		}
	}

	private void update(String name) {
		this.client.configMaps().inNamespace(NS).withName(name)
			.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"" + System.nanoTime() + "\"}}");
	}

	private void delete(String name) {
		assertThat(this.client.configMaps().inNamespace(NS).withName(name).delete()).hasSize(1);
	}

	/** Handler notifications, by name. */
	private static final class Recorder implements ResourceEventHandler<ConfigMap> {

		final List<String> added = new CopyOnWriteArrayList<>();

		final List<String> updated = new CopyOnWriteArrayList<>();

		final List<String> deleted = new CopyOnWriteArrayList<>();

		@Override
		public void onAdd(ConfigMap obj) {
			this.added.add(obj.getMetadata().getName());
		}

		@Override
		public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
			if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
				this.updated.add(newObj.getMetadata().getName());
			}
		}

		@Override
		public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
			this.deleted.add(obj.getMetadata().getName());
		}
	}
}
