package io.github.kubecontroller.emulator.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 kubernetes-client (7.x, HTTP-only watches) against the emulator: paged lists, watches, create, merge
 * and JSON patches, and server-side apply with field ownership. Informers are in {@link Fabric8InformerTest}, custom
 * resources in {@link Fabric8CustomResourceTest}.
 */
class Fabric8ConformanceTest extends Fabric8Support {

	private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

	// ------------------------------------------------------------------ lists

	@Test
	@DisplayName("E7 E10: list with limit/continue pages through one consistent snapshot: same list resourceVersion on "
			+ "every page, remainingItemCount without selectors, changes between pages not visible")
	void listWithLimitAndContinue() {
		for (int i = 0; i < 7; i++) {
			createConfigMap("cm-0" + i, Map.of("v", "0"));
		}

		ConfigMapList page1 = this.client.configMaps().inNamespace(NS).list(limit(3, null));
		assertThat(names(page1)).containsExactly("cm-00", "cm-01", "cm-02");
		assertThat(page1.getMetadata().getContinue()).isNotBlank();
		assertThat(page1.getMetadata().getRemainingItemCount()).isEqualTo(4L);
		String snapshotRv = page1.getMetadata().getResourceVersion();

		// Changes between pages: a new object, a deleted and an updated one that are still to come.
		createConfigMap("cm-07", Map.of("v", "0"));
		this.client.configMaps().inNamespace(NS).withName("cm-05").delete();
		this.client.configMaps().inNamespace(NS).withName("cm-04")
			.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"changed\"}}");

		ConfigMapList page2 = this.client.configMaps().inNamespace(NS)
			.list(limit(3, page1.getMetadata().getContinue()));
		assertThat(names(page2)).containsExactly("cm-03", "cm-04", "cm-05");
		assertThat(page2.getMetadata().getResourceVersion()).as("all pages are served at the first page's RV")
			.isEqualTo(snapshotRv);
		assertThat(page2.getItems().get(1).getData()).as("cm-04 as of the snapshot").containsEntry("v", "0");
		assertThat(page2.getMetadata().getContinue()).isNotBlank();
		assertThat(page2.getMetadata().getRemainingItemCount()).isEqualTo(1L);

		ConfigMapList page3 = this.client.configMaps().inNamespace(NS)
			.list(limit(3, page2.getMetadata().getContinue()));
		assertThat(names(page3)).containsExactly("cm-06");
		assertThat(page3.getMetadata().getResourceVersion()).isEqualTo(snapshotRv);
		assertThat(page3.getMetadata().getContinue()).as("last page").isNullOrEmpty();
		assertThat(page3.getMetadata().getRemainingItemCount()).isNull();

		assertThat(names(this.client.configMaps().inNamespace(NS).list())).as("a fresh list sees the changes")
			.containsExactly("cm-00", "cm-01", "cm-02", "cm-03", "cm-04", "cm-06", "cm-07");

		// E10: the label selector filters before paging, and no remainingItemCount is given with a selector.
		for (String name : List.of("cm-01", "cm-03", "cm-06", "cm-07")) {
			this.client.configMaps().inNamespace(NS).withName(name)
				.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"pick\":\"yes\"}}}");
		}
		List<String> picked = new ArrayList<>();
		String continueToken = null;
		int pages = 0;
		do {
			ConfigMapList page = this.client.configMaps().inNamespace(NS).withLabel("pick", "yes")
				.list(limit(2, continueToken));
			pages++;
			assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
			assertThat(page.getMetadata().getRemainingItemCount()).as("no remainingItemCount with a selector")
				.isNull();
			picked.addAll(names(page));
			continueToken = page.getMetadata().getContinue();
		}
		while (continueToken != null && !continueToken.isEmpty() && pages < 10);
		assertThat(picked).containsExactly("cm-01", "cm-03", "cm-06", "cm-07");
	}

	@Test
	@DisplayName("E9 I9: a continue token issued before compactHistory is answered 410 Expired with a fresh continue "
			+ "token that lists the rest")
	void expiredContinue() {
		for (int i = 0; i < 5; i++) {
			createConfigMap("cm-" + i, Map.of("v", "0"));
		}
		ConfigMapList page1 = this.client.configMaps().inNamespace(NS).list(limit(2, null));
		assertThat(names(page1)).containsExactly("cm-0", "cm-1");
		// A write after the first page, then a compaction: the page's resourceVersion is now compacted.
		createConfigMap("cm-5", Map.of("v", "0"));
		this.emulator.compactHistory();

		KubernetesClientException expired = catchClientException(() -> this.client.configMaps().inNamespace(NS)
			.list(limit(2, page1.getMetadata().getContinue())));
		assertThat(expired.getCode()).isEqualTo(410);
		Status status = expired.getStatus();
		assertThat(status.getReason()).isEqualTo("Expired");
		assertThat(status.getMessage()).isEqualTo("The provided continue parameter is too old to display a consistent "
				+ "list result. You can start a new list without the continue parameter, or use the continue token in "
				+ "this response to retrieve the remainder of the results. Continuing with the provided token results "
				+ "in an inconsistent list - objects that were created, modified, or deleted between the time the first "
				+ "chunk was returned and now may show up in the list.");
		String fresh = status.getMetadata().getContinue();
		assertThat(fresh).as("fresh continue token in the Status").isNotBlank();

		List<String> rest = new ArrayList<>();
		String token = fresh;
		int pages = 0;
		while (token != null && !token.isEmpty() && pages++ < 10) {
			ConfigMapList page = this.client.configMaps().inNamespace(NS).list(limit(2, token));
			rest.addAll(names(page));
			token = page.getMetadata().getContinue();
		}
		assertThat(rest).as("the rest, read at the latest state (cm-5 shows up)")
			.containsExactly("cm-2", "cm-3", "cm-4", "cm-5");
	}

	// ------------------------------------------------------------------ watches

	@Test
	@DisplayName("F1 F4 F7: a watch from a list resourceVersion gets ADDED, MODIFIED, DELETED in order, with increasing "
			+ "resourceVersions; DELETED carries the last state and the delete's resourceVersion")
	void watchFromListResourceVersion() {
		createConfigMap("before", Map.of("v", "0"));
		String listRv = this.client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
		Recorder recorder = new Recorder();
		Watch watch = this.client.configMaps().inNamespace(NS)
			.watch(new ListOptionsBuilder().withResourceVersion(listRv).build(), recorder);
		try {
			ConfigMap created = createConfigMap("w", Map.of("v", "1"));
			ConfigMap modified = this.client.configMaps().inNamespace(NS).withName("w")
				.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"2\"}}");
			this.client.configMaps().inNamespace(NS).withName("w").delete();
			long afterDelete = this.emulator.resourceVersion();

			await("three events").until(() -> recorder.events.size() >= 3);
			List<Event> events = recorder.events;
			assertThat(events).extracting(Event::type)
				.as("no synthetic event for 'before' when watching from a resourceVersion")
				.containsExactly(Watcher.Action.ADDED, Watcher.Action.MODIFIED, Watcher.Action.DELETED);
			assertThat(events).extracting(Event::name).containsOnly("w");
			assertThat(events.get(0).rv()).isEqualTo(created.getMetadata().getResourceVersion());
			assertThat(events.get(1).rv()).isEqualTo(modified.getMetadata().getResourceVersion());
			assertThat(Long.parseLong(events.get(2).rv())).as("DELETED has the delete's RV")
				.isGreaterThan(Long.parseLong(events.get(1).rv()))
				.isEqualTo(afterDelete);
			assertThat(events.get(2).data()).as("DELETED carries the last state").containsEntry("v", "2");
			assertThat(recorder.closed.get()).isNull();
		}
		finally {
			watch.close();
		}
		assertThat(requests((r) -> r.isWatchOf(CONFIGMAPS))).singleElement()
			.satisfies((r) -> assertThat(r.query()).containsEntry("resourceVersion", listRv));
	}

	@Test
	@DisplayName("F2 A4: a watch without resourceVersion first gets synthetic ADDED events for existing objects, then "
			+ "live changes; a watch on one name sees only that object")
	void watchWithoutResourceVersionAndByName() {
		createConfigMap("a", Map.of("v", "1"));
		createConfigMap("b", Map.of("v", "1"));
		Recorder all = new Recorder();
		Recorder onlyB = new Recorder();
		Watch watchAll = this.client.configMaps().inNamespace(NS).watch(all);
		Watch watchB = this.client.configMaps().inNamespace(NS).withName("b").watch(onlyB);
		try {
			await("synthetic ADDED for a and b").until(() -> all.events.size() >= 2 && onlyB.events.size() >= 1);
			assertThat(all.events).extracting(Event::type).containsOnly(Watcher.Action.ADDED);
			assertThat(all.events).extracting(Event::name).containsExactlyInAnyOrder("a", "b");

			createConfigMap("c", Map.of("v", "1"));
			this.client.configMaps().inNamespace(NS).withName("b")
				.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"2\"}}");
			this.client.configMaps().inNamespace(NS).withName("a").delete();

			await("live events").until(() -> all.events.size() >= 5 && onlyB.events.size() >= 2);
			assertThat(all.events.subList(2, all.events.size())).extracting(Event::summary)
				.containsExactly("ADDED c", "MODIFIED b", "DELETED a");
			assertThat(onlyB.events).extracting(Event::summary).containsExactly("ADDED b", "MODIFIED b");
		}
		finally {
			watchAll.close();
			watchB.close();
		}
		assertThat(requests((r) -> r.isWatchOf(CONFIGMAPS))).anySatisfy((r) -> assertThat(r.query())
			.containsEntry("fieldSelector", "metadata.name=b"));
	}

	@Test
	@DisplayName("F5 F10 I9: a watch from a resourceVersion older than the compacted history ends with a 410 Expired "
			+ "ERROR event, which fabric8 reports as an HTTP-gone WatcherException")
	void watchFromCompactedResourceVersion() {
		ConfigMap old = createConfigMap("old", Map.of("v", "1"));
		createConfigMap("newer", Map.of("v", "1"));
		this.emulator.compactHistory();
		Recorder recorder = new Recorder();
		Watch watch = this.client.configMaps().inNamespace(NS)
			.watch(new ListOptionsBuilder().withResourceVersion(old.getMetadata().getResourceVersion()).build(),
					recorder);
		try {
			await("watch closed").until(() -> recorder.closed.get() != null);
		}
		finally {
			watch.close();
		}
		WatcherException closed = recorder.closed.get();
		assertThat(closed.isHttpGone()).as("%s", closed).isTrue();
		assertThat(closed.getMessage()).as("the server's ERROR event, not fabric8's empty-stream guess")
			.startsWith("too old resource version: " + old.getMetadata().getResourceVersion() + " (");
		assertThat(recorder.events).as("no events before the ERROR").isEmpty();
	}

	// ------------------------------------------------------------------ writes

	@Test
	@DisplayName("H1 H2 H7 I3: create answers the stored object (uid, creationTimestamp, resourceVersion from the one "
			+ "counter, managedFields from the User-Agent); generateName; a second create is 409 AlreadyExists")
	void create() {
		long before = this.emulator.resourceVersion();
		ConfigMap created = createConfigMap("created", Map.of("k", "v"));
		assertThat(created.getData()).containsExactly(Map.entry("k", "v"));
		assertThat(UUID.fromString(created.getMetadata().getUid())).isNotNull();
		assertThat(OffsetDateTime.parse(created.getMetadata().getCreationTimestamp())).isNotNull();
		assertThat(Long.parseLong(created.getMetadata().getResourceVersion())).isEqualTo(before + 1)
			.isEqualTo(this.emulator.resourceVersion());
		assertThat(created.getMetadata().getGeneration()).as("ConfigMaps have no generation").isNull();
		assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies((entry) -> {
			assertThat(entry.getManager()).as("User-Agent up to the first '/'").isEqualTo("fabric8-kubernetes-client");
			assertThat(entry.getOperation()).isEqualTo("Update");
			assertThat(entry.getApiVersion()).isEqualTo("v1");
			assertThat(entry.getFieldsType()).isEqualTo("FieldsV1");
		});
		assertThat(this.client.configMaps().inNamespace(NS).withName("created").get()).isEqualTo(created);

		Secret generated = this.client.secrets().inNamespace(NS)
			.resource(new SecretBuilder().withNewMetadata().withGenerateName("gen-").endMetadata()
				.addToStringData("p", "w").build())
			.create();
		assertThat(generated.getMetadata().getName()).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
		assertThat(generated.getData()).as("stringData is merged into data").containsEntry("p", "dw==");

		KubernetesClientException exists = catchClientException(
				() -> createConfigMap("created", Map.of("k", "other")));
		assertThat(exists.getCode()).isEqualTo(409);
		assertThat(exists.getStatus().getReason()).isEqualTo("AlreadyExists");
		assertThat(exists.getStatus().getMessage()).isEqualTo("configmaps \"created\" already exists");
		assertThat(exists.getStatus().getDetails().getName()).isEqualTo("created");
		assertThat(exists.getStatus().getDetails().getKind()).isEqualTo("configmaps");
		assertThat(this.client.configMaps().inNamespace(NS).withName("created").get().getData())
			.containsEntry("k", "v");
	}

	@Test
	@DisplayName("J1 I4 H2: merge patch (PatchType.JSON_MERGE) and edit (a JSON patch) change exactly the named "
			+ "fields; a merge patch with a stale resourceVersion is 409 Conflict")
	void mergePatchAndEdit() {
		ConfigMap original = createConfigMap("patched", Map.of("a", "1", "b", "2"));

		ConfigMap merged = this.client.configMaps().inNamespace(NS).withName("patched")
			.patch(PatchContext.of(PatchType.JSON_MERGE),
					"{\"metadata\":{\"labels\":{\"tier\":\"web\"}},\"data\":{\"a\":null,\"c\":\"3\"}}");
		assertThat(merged.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("b", "2", "c", "3"));
		assertThat(merged.getMetadata().getLabels()).containsExactly(Map.entry("tier", "web"));
		assertThat(merged.getMetadata().getUid()).isEqualTo(original.getMetadata().getUid());
		assertThat(Long.parseLong(merged.getMetadata().getResourceVersion()))
			.isGreaterThan(Long.parseLong(original.getMetadata().getResourceVersion()));

		ConfigMap edited = this.client.configMaps().inNamespace(NS).withName("patched")
			.edit((cm) -> new ConfigMapBuilder(cm).addToData("d", "4").removeFromData("b").build());
		assertThat(edited.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("c", "3", "d", "4"));
		assertThat(edited.getMetadata().getLabels()).containsExactly(Map.entry("tier", "web"));
		assertThat(requests((r) -> "PATCH".equals(r.method()))).hasSize(2);

		// A merge patch of the whole object, carrying the stale resourceVersion of the first read.
		ConfigMap stale = new ConfigMapBuilder(original).addToData("e", "5").build();
		stale.getMetadata().setManagedFields(null);
		KubernetesClientException conflict = catchClientException(() -> this.client.configMaps().inNamespace(NS)
			.withName("patched").patch(PatchContext.of(PatchType.JSON_MERGE), stale));
		assertThat(conflict.getCode()).isEqualTo(409);
		assertThat(conflict.getStatus().getReason()).isEqualTo("Conflict");
		assertThat(conflict.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps "
				+ "\"patched\": the object has been modified; please apply your changes to the latest version and try "
				+ "again");
		assertThat(this.client.configMaps().inNamespace(NS).withName("patched").get().getData())
			.containsExactlyInAnyOrderEntriesOf(Map.of("c", "3", "d", "4"));

		// The same merge patch with the current resourceVersion goes through.
		ConfigMap current = new ConfigMapBuilder(edited).addToData("e", "5").build();
		current.getMetadata().setManagedFields(null);
		ConfigMap accepted = this.client.configMaps().inNamespace(NS).withName("patched")
			.patch(PatchContext.of(PatchType.JSON_MERGE), current);
		assertThat(accepted.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("c", "3", "d", "4", "e", "5"));

	}

	@Test
	@DisplayName("J2 J4 J5 H7 I5: server-side apply by two field managers: shared ownership for equal values, 409 "
			+ "conflict naming the manager and field, forceConflicts moves ownership, dropped fields are removed")
	void serverSideApplyWithTwoManagers() {
		// alice creates the object by applying k and a (J2: the apply creates it).
		ConfigMap aliceApplied = this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("k", "alice", "a", "1")))
			.fieldManager("alice")
			.serverSideApply();
		assertThat(aliceApplied.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "alice", "a", "1"));
		assertThat(requests((r) -> "PATCH".equals(r.method()))).last()
			.satisfies((r) -> assertThat(r.query()).containsEntry("fieldManager", "alice"));
		assertThat(ownedData(aliceApplied, "alice")).containsExactlyInAnyOrder("a", "k");
		assertThat(entry(aliceApplied, "alice").getOperation()).isEqualTo("Apply");

		// carol applies the same value of k through PatchType.SERVER_SIDE_APPLY: no conflict, k is shared.
		ConfigMap carolApplied = this.client.configMaps().inNamespace(NS).withName("ssa")
			.patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
				.withFieldManager("carol")
				.withForce(false)
				.build(), configMap("ssa", Map.of("k", "alice")));
		assertThat(ownedData(carolApplied, "carol")).containsExactly("k");
		assertThat(ownedData(carolApplied, "alice")).containsExactlyInAnyOrder("a", "k");

		// bob applies another value of k: a conflict with both appliers of k; nothing changes.
		String rvBefore = carolApplied.getMetadata().getResourceVersion();
		KubernetesClientException conflict = catchClientException(() -> this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("k", "bob")))
			.fieldManager("bob")
			.serverSideApply());
		assertThat(conflict.getCode()).isEqualTo(409);
		Status status = conflict.getStatus();
		assertThat(status.getReason()).isEqualTo("Conflict");
		assertThat(status.getMessage()).isEqualTo(
				"Apply failed with 2 conflicts: conflicts with \"alice\":\n- .data.k\nconflicts with \"carol\":\n- .data.k");
		assertThat(status.getDetails().getName()).as("no name in an SSA conflict").isNull();
		assertThat(status.getDetails().getKind()).as("no kind in an SSA conflict").isNull();
		assertThat(status.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField,
				StatusCause::getMessage)
			.containsExactlyInAnyOrder(
					org.assertj.core.groups.Tuple.tuple("FieldManagerConflict", ".data.k", "conflict with \"alice\""),
					org.assertj.core.groups.Tuple.tuple("FieldManagerConflict", ".data.k", "conflict with \"carol\""));
		ConfigMap unchanged = this.client.configMaps().inNamespace(NS).withName("ssa").get();
		assertThat(unchanged.getData()).containsEntry("k", "alice");
		assertThat(unchanged.getMetadata().getResourceVersion()).isEqualTo(rvBefore);

		// carol applies c instead of k, giving k up: alice still owns k, so it stays.
		ConfigMap carolLeft = this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("c", "carol")))
			.fieldManager("carol")
			.serverSideApply();
		assertThat(carolLeft.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "alice", "a", "1", "c", "carol"));

		// bob now conflicts with alice alone: the single-conflict message.
		KubernetesClientException single = catchClientException(() -> this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("k", "bob")))
			.fieldManager("bob")
			.serverSideApply());
		assertThat(single.getCode()).isEqualTo(409);
		assertThat(single.getStatus().getMessage())
			.isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.k");

		// bob forces: k moves to bob, alice keeps a.
		ConfigMap forced = this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("k", "bob")))
			.fieldManager("bob")
			.forceConflicts()
			.serverSideApply();
		assertThat(requests((r) -> "PATCH".equals(r.method()))).last()
			.satisfies((r) -> assertThat(r.query()).containsEntry("fieldManager", "bob").containsEntry("force", "true"));
		assertThat(forced.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "bob", "a", "1", "c", "carol"));
		assertThat(ownedData(forced, "bob")).containsExactly("k");
		assertThat(ownedData(forced, "alice")).containsExactly("a");

		// alice re-applies without k and a: a goes (she alone owned it), k stays (bob owns it).
		ConfigMap aliceDropped = this.client.configMaps().inNamespace(NS)
			.resource(configMap("ssa", Map.of("z", "alice")))
			.fieldManager("alice")
			.serverSideApply();
		assertThat(aliceDropped.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "bob", "c", "carol", "z", "alice"));

		// bob drops k: nobody owns it any more, so it is removed.
		ConfigMap bobDropped = this.client.configMaps().inNamespace(NS)
			.resource(new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace(NS).endMetadata().build())
			.fieldManager("bob")
			.serverSideApply();
		assertThat(bobDropped.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("c", "carol", "z", "alice"));
	}

	@Test
	@DisplayName("J3: server-side apply without a field manager uses fabric8's default 'fabric8'; force on a non-apply "
			+ "patch is 422")
	void serverSideApplyOptions() {
		ConfigMap applied = this.client.configMaps().inNamespace(NS).resource(configMap("opts", Map.of("k", "v")))
			.serverSideApply();
		assertThat(entry(applied, "fabric8").getOperation()).isEqualTo("Apply");

		KubernetesClientException forbidden = catchClientException(() -> this.client.configMaps().inNamespace(NS)
			.withName("opts")
			.patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withForce(true).build(),
					"{\"data\":{\"k\":\"w\"}}"));
		assertThat(forbidden.getCode()).isEqualTo(422);
		assertThat(forbidden.getStatus().getMessage())
			.isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
	}

	// ------------------------------------------------------------------ helpers

	private static ListOptions limit(long limit, String continueToken) {
		return new ListOptionsBuilder().withLimit(limit).withContinue(continueToken).build();
	}

	private static List<String> names(ConfigMapList list) {
		return list.getItems().stream().map((cm) -> cm.getMetadata().getName()).toList();
	}

	static KubernetesClientException catchClientException(Runnable call) {
		AtomicReference<KubernetesClientException> caught = new AtomicReference<>();
		assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class, caught::set);
		return caught.get();
	}

	private static ManagedFieldsEntry entry(ConfigMap cm, String manager) {
		List<ManagedFieldsEntry> entries = cm.getMetadata().getManagedFields().stream()
			.filter((e) -> manager.equals(e.getManager()))
			.toList();
		assertThat(entries).as("managedFields of %s for %s: %s", cm.getMetadata().getName(), manager,
				cm.getMetadata().getManagedFields()).hasSize(1);
		return entries.get(0);
	}

	/** The data keys {@code manager} owns, from its managedFields entry (f:data → f:key). */
	@SuppressWarnings("unchecked")
	private static List<String> ownedData(ConfigMap cm, String manager) {
		Object fields = entry(cm, manager).getFieldsV1().getAdditionalProperties().get("f:data");
		if (!(fields instanceof Map<?, ?> map)) {
			return List.of();
		}
		return ((Map<String, Object>) map).keySet().stream()
			.filter((key) -> key.startsWith("f:"))
			.map((key) -> key.substring(2))
			.toList();
	}

	record Event(Watcher.Action type, String name, String rv, Map<String, String> data) {

		String summary() {
			return this.type + " " + this.name;
		}
	}

	static final class Recorder implements Watcher<ConfigMap> {

		final List<Event> events = new CopyOnWriteArrayList<>();

		final AtomicReference<WatcherException> closed = new AtomicReference<>();

		@Override
		public void eventReceived(Action action, ConfigMap resource) {
			this.events.add(new Event(action, resource.getMetadata().getName(),
					resource.getMetadata().getResourceVersion(), resource.getData()));
		}

		@Override
		public void onClose(WatcherException cause) {
			this.closed.set(cause);
		}
	}
}
