package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceValidation;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.dynamic.Dynamics;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Custom resources as a user class and as dynamic objects, objects that do not decode, and the transform. */
class InformerCustomResourceTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);
	private static final String GROUP = "informer.example.com";
	private static final ResourceType WIDGETS = new ResourceType(GROUP, "v1", "Widget", "widgets", true);

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;
	private static DynamicKubernetesApi widgets;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		// No schema beyond "keep everything": the server stores whatever spec it is sent, as a CRD without
		// validation does.
		V1CustomResourceDefinitionSpec spec = new V1CustomResourceDefinitionSpec().group(GROUP)
			.scope("Namespaced")
			.names(new V1CustomResourceDefinitionNames().plural("widgets").singular("widget").kind("Widget")
				.listKind("WidgetList"))
			.addVersionsItem(new V1CustomResourceDefinitionVersion().name("v1").served(true).storage(true)
				.schema(new V1CustomResourceValidation().openAPIV3Schema(
						new V1JSONSchemaProps().type("object").xKubernetesPreserveUnknownFields(true))));
		new ApiextensionsV1Api(client).createCustomResourceDefinition(new V1CustomResourceDefinition()
			.metadata(new V1ObjectMeta().name("widgets." + GROUP)).spec(spec)).execute();
		widgets = new DynamicKubernetesApi(GROUP, "v1", "widgets", client);
	}

	@AfterEach
	void closeRegistry() {
		if (registry != null) {
			registry.close();
		}
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	private static void createWidget(String namespace, String name, String size) throws Exception {
		widgets.create(Dynamics.newFromJson("""
				{"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"%s","namespace":"%s"},"spec":{"size":%s}}"""
			.formatted(GROUP, name, namespace, size))).throwsApiException();
	}

	@Test
	void aUserClassAndDynamicObjectsWatchTheSameResource() throws Exception {
		createNamespace(core, "shared");
		createWidget("shared", "w1", "3");
		registry = new InformerRegistry(client);
		WatchSpec spec = WatchSpec.all(WIDGETS).inNamespace("shared");

		Informer<Widget> typed = registry.informer(spec, Widget.class);
		Informer<DynamicKubernetesObject> dynamic = registry.informer(spec, DynamicKubernetesObject.class);

		assertThat(typed).isNotSameAs(dynamic);
		assertThat(registry.informers()).containsExactlyInAnyOrder(typed, dynamic);
		assertThat(typed.awaitSynced(DEADLINE)).isTrue();
		assertThat(dynamic.awaitSynced(DEADLINE)).isTrue();
		createWidget("shared", "w2", "5");

		await().atMost(DEADLINE).until(() -> typed.size() == 2 && dynamic.size() == 2);
		Widget w2 = typed.getIndexer().getByKey("shared/w2");
		assertThat(w2.getSpec().getSize()).isEqualTo(5);
		assertThat(w2.getKind()).isEqualTo("Widget");
		assertThat(w2.getApiVersion()).isEqualTo(GROUP + "/v1");
		JsonObject raw = dynamic.getIndexer().getByKey("shared/w1").getRaw();
		assertThat(raw.getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(3);
		assertThat(raw.get("kind").getAsString()).isEqualTo("Widget");
		assertThat(dynamic.getIndexer().byIndex(Indexes.NAMESPACE, "shared")).hasSize(2);
	}

	@Test
	void objectsThatDoNotDecodeAreSkipped() throws Exception {
		createNamespace(core, "malformed");
		createWidget("malformed", "bad-listed", "\"huge\"");
		createWidget("malformed", "good-listed", "1");
		registry = new InformerRegistry(client, InformerOptions.defaults().withStreamingList(false));
		WatchSpec spec = WatchSpec.all(WIDGETS).inNamespace("malformed");
		Informer<Widget> typed = registry.informer(spec, Widget.class);
		Informer<DynamicKubernetesObject> dynamic = registry.informer(spec, DynamicKubernetesObject.class);
		EventLog<Widget> log = new EventLog<>();
		typed.addEventHandler(log);
		assertThat(typed.awaitSynced(DEADLINE)).isTrue();
		assertThat(typed.getIndexer().listKeys()).containsExactly("malformed/good-listed");

		createWidget("malformed", "bad-live", "\"enormous\"");
		createWidget("malformed", "good-live", "2");

		await().atMost(DEADLINE).until(() -> log.events.contains("add malformed/good-live"));
		assertThat(log.events).containsExactly("add malformed/good-listed", "add malformed/good-live");
		assertThat(typed.getIndexer().listKeys()).containsExactlyInAnyOrder("malformed/good-listed",
				"malformed/good-live");
		assertThat(typed.health().consecutiveFailures()).isZero();
		assertThat(typed.health().lastError()).isNull();
		await().atMost(DEADLINE).until(() -> dynamic.size() == 4);
	}

	@Test
	void managedFieldsAreDroppedByDefault() throws Exception {
		createNamespace(core, "applied");
		String body = """
				{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","namespace":"applied"},
				 "data":{"k":"v"}}""";
		PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap("applied", "applied", new V1Patch(body))
					.fieldManager("informer-test").force(true).buildCall(null),
				V1Patch.PATCH_FORMAT_APPLY_YAML, client);
		WatchSpec spec = WatchSpec.all(CONFIG_MAPS).inNamespace("applied");
		registry = new InformerRegistry(client);
		try (InformerRegistry untransformed = new InformerRegistry(client,
				InformerOptions.defaults().withTransform(ObjectTransform.NONE));
				InformerRegistry failing = new InformerRegistry(client,
						InformerOptions.defaults().withTransform((object) -> {
							throw new IllegalStateException("a broken transform");
						}))) {
			Informer<V1ConfigMap> typed = registry.informer(spec, V1ConfigMap.class);
			Informer<DynamicKubernetesObject> dynamic = registry.informer(spec, DynamicKubernetesObject.class);
			Informer<DynamicKubernetesObject> kept = untransformed.informer(spec, DynamicKubernetesObject.class);
			Informer<DynamicKubernetesObject> broken = failing.informer(spec, DynamicKubernetesObject.class);
			for (Informer<?> informer : new Informer<?>[] { typed, dynamic, kept, broken }) {
				assertThat(informer.awaitSynced(DEADLINE)).isTrue();
				assertThat(informer.size()).isEqualTo(1);
			}

			assertThat(managedFields(kept)).as("as the server sent it").isNotNull();
			assertThat(managedFields(kept).toString()).contains("informer-test");
			assertThat(managedFields(broken)).as("cached untransformed when the transform throws").isNotNull();
			assertThat(managedFields(dynamic)).isNull();
			// client-java's Gson already skips managedFields when it decodes a model (unless
			// -Dkubernetes.client.includeManagedFields=true); the transform then clears the list.
			assertThat(typed.getIndexer().getByKey("applied/applied").getMetadata().getManagedFields())
				.isNullOrEmpty();
		}
	}

	private static Object managedFields(Informer<DynamicKubernetesObject> informer) {
		return informer.getIndexer().getByKey("applied/applied").getRaw().getAsJsonObject("metadata")
			.get("managedFields");
	}
}
