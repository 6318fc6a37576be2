package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.dynamic.Dynamics;
import io.kubernetes.client.util.generic.options.ListOptions;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * client-java {@link SharedIndexInformer}s (one for ConfigMaps through a {@link CallGenerator}, one for a custom
 * resource as {@link DynamicKubernetesObject} through a {@link ListerWatcher} over {@link DynamicKubernetesApi})
 * against the emulator: initial sync, adds/updates/deletes, and convergence after the history is compacted.
 *
 * <p>
 * <b>How the watch restart after compaction is forced.</b> client-java's {@code ReflectorRunnable} sends
 * {@code timeoutSeconds = 300 * (1 + Math.random())}, i.e. 300–600 s, on every watch (asserted below), and the
 * emulator honours a client's {@code timeoutSeconds} exactly as kube-apiserver does, so the builder's
 * {@code defaultWatchTimeout} (which only applies when no {@code timeoutSeconds} is sent) can never end an informer's
 * watch. The lever that does work is on the client side: the {@code CallGenerator} / {@code ListerWatcher} the
 * informer is built from decides the query of the watch request, and ours sends {@code timeoutSeconds=2}. The
 * server then ends each watch after 2 s, the reflector re-watches from its last resourceVersion at once, and after
 * {@code compactHistory()} (preceded by a write to another kind, so that the informer's last resourceVersion is older
 * than the compaction point) that re-watch gets an ERROR event with code 410; the reflector then relists with
 * {@code resourceVersion=""} about 1 s later. Objects created, changed and deleted in that window are only seen
 * through the relist.
 */
class InformerConformanceTest {

	/** The watch timeout our list/watch functions send instead of client-java's 300–600 s. */
	private static final int WATCH_TIMEOUT_SECONDS = 2;

	private static final String GROUP = "cj.example.com";

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		new ApiextensionsV1Api(client)
			.createCustomResourceDefinition(CustomResourceConformanceTest.crd("gizmos", "Gizmo", true, "v1"))
			.execute();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	@Test
	@DisplayName("E2 F4 F5 F10: a ConfigMap SharedIndexInformer syncs, follows changes, and after compactHistory and "
			+ "a watch restart relists and converges to the server state")
	void configMapInformer() throws Exception {
		String ns = "cj-informer-cm";
		createNamespace(core, ns);
		Probe probe = new Probe();
		CallGenerator generator = (CallGeneratorParams params) -> {
			if (Boolean.TRUE.equals(params.watch)) {
				probe.watchRequested(params);
				return core.listNamespacedConfigMap(ns)
					.watch(true)
					.resourceVersion(params.resourceVersion)
					.timeoutSeconds(WATCH_TIMEOUT_SECONDS)
					.buildCall(null);
			}
			probe.listRequested(params);
			return core.listNamespacedConfigMap(ns).resourceVersion(params.resourceVersion).buildCall(null);
		};
		Subject<V1ConfigMap> subject = new Subject<>() {

			@Override
			void create(String name) throws ApiException {
				core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta(name)).putDataItem("v", "1"))
					.execute();
			}

			@Override
			void update(String name) throws ApiException {
				V1ConfigMap cm = core.readNamespacedConfigMap(name, ns).execute();
				cm.putDataItem("v", cm.getData().get("v") + "+");
				core.replaceNamespacedConfigMap(name, ns, cm).execute();
			}

			@Override
			void delete(String name) throws ApiException {
				core.deleteNamespacedConfigMap(name, ns).execute();
			}

			@Override
			Map<String, String> serverState() throws ApiException {
				return state(core.listNamespacedConfigMap(ns).execute().getItems(), V1ConfigMap::getMetadata);
			}

			@Override
			void otherKindWrite(String name) throws ApiException {
				core.createNamespacedSecret(ns, new V1Secret().metadata(meta(name))).execute();
			}
		};
		for (int i = 0; i < 5; i++) {
			subject.create("pre-" + i);
		}
		SharedInformerFactory factory = new SharedInformerFactory(client);
		SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(generator, V1ConfigMap.class,
				V1ConfigMapList.class, 0, (type, error) -> probe.errors.add(error));
		run(factory, informer, subject, probe);
	}

	@Test
	@DisplayName("E2 F4 F5 F10 C5: a custom resource (DynamicKubernetesObject) SharedIndexInformer syncs, follows "
			+ "changes, and converges after compactHistory and a watch restart")
	void customResourceInformer() throws Exception {
		String ns = "cj-informer-cr";
		createNamespace(core, ns);
		DynamicKubernetesApi gizmos = new DynamicKubernetesApi(GROUP, "v1", "gizmos", client);
		Probe probe = new Probe();
		ListerWatcher<DynamicKubernetesObject, DynamicKubernetesListObject> listerWatcher = new ListerWatcher<>() {

			@Override
			public DynamicKubernetesListObject list(CallGeneratorParams params) throws ApiException {
				probe.listRequested(params);
				return gizmos.list(ns, new ListOptions().resourceVersion(params.resourceVersion))
					.throwsApiException()
					.getObject();
			}

			@Override
			public Watchable<DynamicKubernetesObject> watch(CallGeneratorParams params) throws ApiException {
				probe.watchRequested(params);
				return gizmos.watch(ns, new ListOptions().resourceVersion(params.resourceVersion)
					.timeoutSeconds(WATCH_TIMEOUT_SECONDS));
			}
		};
		Subject<DynamicKubernetesObject> subject = new Subject<>() {

			@Override
			void create(String name) throws ApiException {
				gizmos.create(Dynamics.newFromJson("""
						{"apiVersion":"cj.example.com/v1","kind":"Gizmo",
						 "metadata":{"name":"%s","namespace":"%s"},"spec":{"v":1}}""".formatted(name, ns)))
					.throwsApiException();
			}

			@Override
			void update(String name) throws ApiException {
				DynamicKubernetesObject object = gizmos.get(ns, name).throwsApiException().getObject();
				int v = object.getRaw().getAsJsonObject("spec").get("v").getAsInt();
				object.getRaw().getAsJsonObject("spec").addProperty("v", v + 1);
				gizmos.update(object).throwsApiException();
			}

			@Override
			void delete(String name) throws ApiException {
				gizmos.delete(ns, name).throwsApiException();
			}

			@Override
			Map<String, String> serverState() throws ApiException {
				return state(gizmos.list(ns).throwsApiException().getObject().getItems(),
						DynamicKubernetesObject::getMetadata);
			}

			@Override
			void otherKindWrite(String name) throws ApiException {
				core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(meta(name))).execute();
			}
		};
		for (int i = 0; i < 5; i++) {
			subject.create("pre-" + i);
		}
		SharedInformerFactory factory = new SharedInformerFactory(client);
		SharedIndexInformer<DynamicKubernetesObject> informer = factory.sharedIndexInformerFor(listerWatcher,
				DynamicKubernetesObject.class, 0, (type, error) -> probe.errors.add(error));
		run(factory, informer, subject, probe);
	}

	/** The common scenario for both informers. */
	private static <T extends KubernetesObject> void run(SharedInformerFactory factory,
			SharedIndexInformer<T> informer, Subject<T> subject, Probe probe) throws Exception {
		Recorder<T> recorder = new Recorder<>();
		informer.addEventHandler(recorder);
		factory.startAllRegisteredInformers();
		try {
			// Initial sync: every pre-existing object is in the cache.
			within(10).until(informer::hasSynced);
			assertThat(probe.listRvs).first().as("the first list reads from the watch cache (E2)").isEqualTo("0");
			assertThat(cacheState(informer)).isEqualTo(subject.serverState());
			assertThat(cacheState(informer)).hasSize(5);
			within(10).until(() -> recorder.added.size() >= 5);
			assertThat(recorder.added).containsExactlyInAnyOrder("pre-0", "pre-1", "pre-2", "pre-3", "pre-4");

			// Adds, updates and deletes reach handlers and the cache.
			subject.create("live-add");
			subject.update("pre-0");
			subject.delete("pre-1");
			within(10).until(() -> recorder.added.contains("live-add") && recorder.updated.contains("pre-0")
					&& recorder.deleted.contains("pre-1"));
			within(10).until(() -> cacheState(informer).equals(subject.serverState()));

			// What client-java asks for on its own: a 300–600 s watch timeout (so defaultWatchTimeout cannot help).
			assertThat(probe.requestedTimeouts).isNotEmpty()
				.allSatisfy((t) -> assertThat(t).isBetween(300, 600));

			// Changes before the compaction are seen live.
			subject.create("before-compact");
			subject.delete("pre-2");
			within(10).until(() -> cacheState(informer).equals(subject.serverState()));

			// Move the cluster RV past the informer's last RV with a write the informer does not watch, compact,
			// then change objects while the informer's re-watch fails with 410 and before it relists.
			subject.otherKindWrite("unwatched");
			int listsBefore = probe.listRvs.size();
			long compactedAt = emulator.resourceVersion();
			emulator.compactHistory();
			probe.compactedAt.set(compactedAt);
			within(10).until(() -> probe.staleWatch.getCount() == 0 || probe.listRvs.size() > listsBefore);
			subject.create("after-compact-1");
			subject.create("after-compact-2");
			subject.update("pre-3");
			subject.delete("pre-4");
			subject.delete("before-compact");

			// The 410 makes the reflector relist with resourceVersion "" (not from its stale RV)...
			within(10).until(() -> probe.listRvs.size() > listsBefore);
			assertThat(probe.listRvs.subList(listsBefore, probe.listRvs.size())).first()
				.as("relist after 410 is a consistent read")
				.isIn("", null);
			// ...and the cache converges to exactly the server's objects and versions.
			within(10).until(() -> cacheState(informer).equals(subject.serverState()));
			assertThat(cacheState(informer).keySet()).containsExactlyInAnyOrder("pre-0", "pre-3", "live-add",
					"after-compact-1", "after-compact-2");
			within(10).until(() -> recorder.added.contains("after-compact-2") && recorder.deleted.contains("pre-4")
					&& recorder.deleted.contains("before-compact"));
			assertThat(probe.errors).as("no list/watch failure reached the exception handler").isEmpty();
		}
		finally {
			factory.stopAllRegisteredInformers(true);
		}
	}

	// ------------------------------------------------------------------ helpers

	private static ConditionFactory within(int seconds) {
		return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(20));
	}

	private static <T extends KubernetesObject> Map<String, String> cacheState(SharedIndexInformer<T> informer) {
		return state(informer.getIndexer().list(), KubernetesObject::getMetadata);
	}

	private static <T> Map<String, String> state(List<T> objects,
			Function<T, io.kubernetes.client.openapi.models.V1ObjectMeta> metadata) {
		Map<String, String> state = new TreeMap<>();
		for (T object : objects) {
			state.put(metadata.apply(object).getName(), metadata.apply(object).getResourceVersion());
		}
		return state;
	}

	/** What the reflector asked the list/watch functions for. */
	private static final class Probe {

		final List<String> listRvs = new CopyOnWriteArrayList<>();

		final List<Integer> requestedTimeouts = new CopyOnWriteArrayList<>();

		final List<Throwable> errors = new CopyOnWriteArrayList<>();

		final AtomicLong compactedAt = new AtomicLong(Long.MIN_VALUE);

		final CountDownLatch staleWatch = new CountDownLatch(1);

		void listRequested(CallGeneratorParams params) {
			this.listRvs.add(params.resourceVersion);
		}

		void watchRequested(CallGeneratorParams params) {
			this.requestedTimeouts.add(params.timeoutSeconds);
			String rv = params.resourceVersion;
			if (rv != null && !rv.isEmpty() && Long.parseLong(rv) < this.compactedAt.get()) {
				this.staleWatch.countDown();
			}
		}
	}

	/** Writes to the watched kind, and reads the server's state of it. */
	private abstract static class Subject<T> {

		abstract void create(String name) throws ApiException;

		abstract void update(String name) throws ApiException;

		abstract void delete(String name) throws ApiException;

		abstract Map<String, String> serverState() throws ApiException;

		abstract void otherKindWrite(String name) throws ApiException;
	}

	/** Handler notifications, by object name. */
	private static final class Recorder<T extends KubernetesObject> implements ResourceEventHandler<T> {

		final List<String> added = new CopyOnWriteArrayList<>();

		final List<String> updated = new CopyOnWriteArrayList<>();

		final List<String> deleted = new CopyOnWriteArrayList<>();

		@Override
		public void onAdd(T obj) {
			this.added.add(obj.getMetadata().getName());
		}

		@Override
		public void onUpdate(T oldObj, T newObj) {
			if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
				this.updated.add(newObj.getMetadata().getName());
			}
		}

		@Override
		public void onDelete(T obj, boolean deletedFinalStateUnknown) {
			this.deleted.add(obj.getMetadata().getName());
		}
	}
}
