package io.github.kubecontroller.runtime.controller;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh emulated API server for each test, with the {@link Widget} CustomResourceDefinition installed, and the
 * controllers the test runs against it; everything is stopped after the test. Register it with
 * {@code @RegisterExtension final EmulatedCluster cluster = new EmulatedCluster();}.
 */
final class EmulatedCluster implements BeforeEachCallback, AfterEachCallback {

	/** How long a test waits for a condition before it fails. */
	static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final String GROUP = "test.kubecontroller.io";
	private static final String VERSION = "v1";
	private static final String PLURAL = "widgets";

	private final boolean widgetCrd;
	private final List<Controller<?>> controllers = new ArrayList<>();
	private @Nullable KubeApiEmulator emulator;
	private @Nullable ApiClient client;
	private @Nullable InformerRegistry informers;
	private @Nullable ResourceDiscovery discovery;

	/** A cluster with the Widget CustomResourceDefinition. */
	EmulatedCluster() {
		this(true);
	}

	private EmulatedCluster(boolean widgetCrd) {
		this.widgetCrd = widgetCrd;
	}

	/** A cluster that does not serve Widgets. */
	static EmulatedCluster withoutWidgetCrd() {
		return new EmulatedCluster(false);
	}

	@Override
	public void beforeEach(ExtensionContext context) throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		// Kept requests let tests count the writes to one object (the counters do not name objects).
		emulator.audit().keepRequests(200_000);
		client = emulator.apiClient();
		informers = new InformerRegistry(client, InformerOptions.defaults()
				.withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
		discovery = new ResourceDiscovery(client);
		if (widgetCrd) {
			WidgetCrd.install(client);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			for (Controller<?> controller : controllers) {
				controller.stop(Duration.ofSeconds(5));
			}
			controllers.clear();
			if (informers != null) {
				informers.close();
			}
		} finally {
			if (emulator != null) {
				emulator.stop();
			}
		}
	}

	KubeApiEmulator emulator() {
		return require(emulator);
	}

	ApiClient client() {
		return require(client);
	}

	private ControllerObserver observer = ControllerObserver.NONE;

	/** Controllers made from now on report to {@code observer}. */
	void observe(ControllerObserver observer) {
		this.observer = observer;
	}

	ControllerDependencies dependencies() {
		return new ControllerDependencies(client(), require(informers), require(discovery), WorkerThreads.platform(),
				"test-instance", observer);
	}

	/** A controller that is created but not started; it is stopped after the test. */
	<T extends io.kubernetes.client.common.KubernetesObject> Controller<T> controller(ControllerSpec<T> spec,
			ResourceReconciler<T> reconciler) {
		Controller<T> controller = new Controller<>(spec, reconciler, dependencies());
		controllers.add(controller);
		return controller;
	}

	/** A controller started as an application starts it: watches, synced caches, then workers. */
	<T extends io.kubernetes.client.common.KubernetesObject> Controller<T> run(ControllerSpec<T> spec,
			ResourceReconciler<T> reconciler) throws InterruptedException {
		Controller<T> controller = controller(spec, reconciler);
		controller.start();
		controller.awaitCachesSynced();
		controller.startWorkers();
		return controller;
	}

	void createNamespace(String name) throws ApiException {
		new CoreV1Api(client()).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	Widget createWidget(String namespace, String name, String content) throws ApiException {
		Object created = widgets().createNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL,
				Widget.named(namespace, name, content)).execute();
		return decode(created);
	}

	/** Changes spec.content, which raises the generation. */
	Widget setContent(String namespace, String name, String content) throws ApiException {
		JsonObject spec = new JsonObject();
		spec.addProperty("content", content);
		JsonObject patch = new JsonObject();
		patch.add("spec", spec);
		return mergePatch(namespace, name, patch);
	}

	/**
	 * Changes spec.content by read and update (PUT), retried on conflicts: for tests whose faults hit patches, the
	 * controller's own verb.
	 */
	Widget replaceContent(String namespace, String name, String content) throws ApiException {
		Gson gson = client().getJSON().getGson();
		while (true) {
			JsonObject stored = gson.toJsonTree(
					widgets().getNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name).execute())
					.getAsJsonObject();
			stored.getAsJsonObject("spec").addProperty("content", content);
			try {
				return decode(widgets().replaceNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name, stored)
						.execute());
			} catch (ApiException e) {
				if (e.getCode() != 409) {
					throw e;
				}
			}
		}
	}

	/** Sets a label, which leaves the generation as it is. */
	Widget setLabel(String namespace, String name, String label, String value) throws ApiException {
		JsonObject labels = new JsonObject();
		labels.addProperty(label, value);
		JsonObject metadata = new JsonObject();
		metadata.add("labels", labels);
		JsonObject patch = new JsonObject();
		patch.add("metadata", metadata);
		return mergePatch(namespace, name, patch);
	}

	private Widget mergePatch(String namespace, String name, JsonObject patch) throws ApiException {
		Object patched = PatchUtils.patch(Object.class,
				() -> widgets().patchNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name,
						new V1Patch(patch.toString())).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client());
		return decode(patched);
	}

	/** The Widget as stored, or null when it does not exist. */
	@Nullable Widget widget(String namespace, String name) throws ApiException {
		try {
			return decode(widgets().getNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name).execute());
		} catch (ApiException e) {
			if (e.getCode() == 404) {
				return null;
			}
			throw e;
		}
	}

	/** Every Widget of a namespace as stored. */
	List<Widget> widgets(String namespace) throws ApiException {
		Object list = widgets().listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL).execute();
		Gson gson = client().getJSON().getGson();
		List<Widget> result = new ArrayList<>();
		gson.toJsonTree(list).getAsJsonObject().getAsJsonArray("items")
				.forEach(item -> result.add(gson.fromJson(item, Widget.class)));
		return result;
	}

	void deleteWidget(String namespace, String name) throws ApiException {
		widgets().deleteNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name).execute();
	}

	/** How many writes to the status subresource of one Widget the API server received, whatever their answer. */
	long statusWrites(String namespace, String name) {
		return emulator().audit().requests().stream().map(AuditEvent::request)
				.filter(request -> request.resource().equals(PLURAL) && request.subresource().equals("status"))
				.filter(request -> request.namespace().equals(namespace) && request.name().equals(name))
				.filter(request -> request.verb().equals("patch") || request.verb().equals("update"))
				.count();
	}

	private CustomObjectsApi widgets() {
		return new CustomObjectsApi(client());
	}

	private Widget decode(Object json) {
		Gson gson = client().getJSON().getGson();
		return gson.fromJson(gson.toJsonTree(json), Widget.class);
	}

	private static <V> V require(@Nullable V value) {
		if (value == null) {
			throw new IllegalStateException("the cluster starts before each test");
		}
		return value;
	}
}
