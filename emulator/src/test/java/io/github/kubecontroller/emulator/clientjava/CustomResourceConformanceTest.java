package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.apiError;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.errorCode;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.eventually;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionCondition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionList;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceSubresources;
import io.kubernetes.client.openapi.models.V1CustomResourceValidation;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.dynamic.Dynamics;
import io.kubernetes.client.util.generic.options.PatchOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CRDs and custom resources through client-java's ApiextensionsV1Api, CustomObjectsApi and
 * DynamicKubernetesApi (a GenericKubernetesApi): establishment, CRUD, two served versions, the status
 * subresource, generation, finalizers and CRD deletion.
 */
class CustomResourceConformanceTest {

	private static final String NS = "cj-custom";

	private static final String GROUP = "cj.example.com";

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CustomObjectsApi customObjects;

	private static ApiextensionsV1Api apiextensions;

	private static DynamicKubernetesApi widgets;

	private static DynamicKubernetesApi widgetsV1beta1;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		customObjects = new CustomObjectsApi(client);
		apiextensions = new ApiextensionsV1Api(client);
		createNamespace(new CoreV1Api(client), NS);
		// widgets: v1 (storage) and v1beta1, both served, both with a status subresource.
		apiextensions.createCustomResourceDefinition(crd("widgets", "Widget", true, "v1", "v1beta1")).execute();
		// gadgets: no status subresource.
		apiextensions.createCustomResourceDefinition(crd("gadgets", "Gadget", false, "v1")).execute();
		widgets = new DynamicKubernetesApi(GROUP, "v1", "widgets", client);
		widgetsV1beta1 = new DynamicKubernetesApi(GROUP, "v1beta1", "widgets", client);
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	@Test
	@DisplayName("C3 C4 C5: a created CRD is established at once, with accepted names and stored versions")
	void crdEstablished() throws ApiException {
		V1CustomResourceDefinition crd = apiextensions.readCustomResourceDefinition("widgets." + GROUP).execute();
		assertThat(crd.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(crd.getStatus().getConditions()).extracting(V1CustomResourceDefinitionCondition::getType,
				V1CustomResourceDefinitionCondition::getStatus)
			.contains(org.assertj.core.groups.Tuple.tuple("Established", "True"),
					org.assertj.core.groups.Tuple.tuple("NamesAccepted", "True"));
		assertThat(crd.getStatus().getAcceptedNames().getKind()).isEqualTo("Widget");
		assertThat(crd.getStatus().getAcceptedNames().getPlural()).isEqualTo("widgets");
		assertThat(crd.getStatus().getStoredVersions()).containsExactly("v1");
		// Usable immediately.
		assertThat(customObjects.listNamespacedCustomObject(GROUP, "v1", NS, "widgets").execute()).isNotNull();
	}

	@Test
	@DisplayName("C4 H3: a CRD spec change bumps its generation, a label change does not; the CRD stays established")
	void crdUpdate() throws ApiException {
		V1CustomResourceDefinition crd = apiextensions.readCustomResourceDefinition("gadgets." + GROUP).execute();
		assertThat(crd.getMetadata().getGeneration()).isEqualTo(1L);
		crd.getMetadata().putLabelsItem("team", "a");
		V1CustomResourceDefinition labelled = apiextensions.replaceCustomResourceDefinition("gadgets." + GROUP, crd)
			.execute();
		assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1L);
		labelled.getSpec().getNames().addShortNamesItem("gd");
		V1CustomResourceDefinition respecced = apiextensions
			.replaceCustomResourceDefinition("gadgets." + GROUP, labelled)
			.execute();
		assertThat(respecced.getMetadata().getGeneration()).isEqualTo(2L);
		assertThat(respecced.getSpec().getNames().getShortNames()).containsExactly("gd");
		assertThat(respecced.getStatus().getConditions())
			.anySatisfy((c) -> {
				assertThat(c.getType()).isEqualTo("Established");
				assertThat(c.getStatus()).isEqualTo("True");
			});
		assertThat(customObjects.listNamespacedCustomObject(GROUP, "v1", NS, "gadgets").execute()).isNotNull();
	}

	@Test
	@DisplayName("H1 H3 H5 C9 I2 I3 I4 K1: custom object CRUD through CustomObjectsApi, with the exact errors")
	void customObjectsApiCrud() throws ApiException {
		Map<String, Object> created = map(customObjects
			.createNamespacedCustomObject(GROUP, "v1", NS, "widgets", widget("w-crud", "v1", Map.of("size", 1)))
			.execute());
		assertThat(created.get("apiVersion")).isEqualTo(GROUP + "/v1");
		assertThat(created.get("kind")).isEqualTo("Widget");
		Map<String, Object> createdMeta = map(created.get("metadata"));
		assertThat(createdMeta.get("uid")).isNotNull();
		assertThat(((Number) createdMeta.get("generation")).longValue()).isEqualTo(1L);

		Map<String, Object> read = map(
				customObjects.getNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud").execute());
		read.put("spec", Map.of("size", 2));
		Map<String, Object> updated = map(
				customObjects.replaceNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud", read).execute());
		assertThat(map(updated.get("spec")).get("size")).isEqualTo(2.0);
		assertThat(((Number) map(updated.get("metadata")).get("generation")).longValue()).isEqualTo(2L);

		// I4: stale resourceVersion.
		ApiException conflict = apiError(() -> customObjects
			.replaceNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud", read)
			.execute());
		assertThat(conflict.getCode()).isEqualTo(409);
		V1Status conflictStatus = status(conflict);
		assertThat(conflictStatus.getReason()).isEqualTo("Conflict");
		assertThat(conflictStatus.getMessage()).isEqualTo("Operation cannot be fulfilled on widgets.cj.example.com "
				+ "\"w-crud\": the object has been modified; please apply your changes to the latest version and "
				+ "try again");

		// C9: no unconditional update for custom resources.
		Map<String, Object> withoutRv = widget("w-crud", "v1", Map.of("size", 3));
		ApiException invalid = apiError(() -> customObjects
			.replaceNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud", withoutRv)
			.execute());
		assertThat(invalid.getCode()).isEqualTo(422);
		assertThat(status(invalid).getMessage()).isEqualTo("widgets.cj.example.com \"w-crud\" is invalid: "
				+ "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");

		// I3: already exists.
		ApiException exists = apiError(() -> customObjects
			.createNamespacedCustomObject(GROUP, "v1", NS, "widgets", widget("w-crud", "v1", Map.of()))
			.execute());
		assertThat(exists.getCode()).isEqualTo(409);
		V1Status existsStatus = status(exists);
		assertThat(existsStatus.getReason()).isEqualTo("AlreadyExists");
		assertThat(existsStatus.getMessage()).isEqualTo("widgets.cj.example.com \"w-crud\" already exists");
		assertThat(existsStatus.getDetails().getGroup()).isEqualTo(GROUP);
		assertThat(existsStatus.getDetails().getKind()).isEqualTo("widgets");

		// K1: immediate delete answers with a Status.
		Map<String, Object> deleted = map(
				customObjects.deleteNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud").execute());
		assertThat(deleted.get("kind")).isEqualTo("Status");
		assertThat(deleted.get("status")).isEqualTo("Success");
		assertThat(map(deleted.get("details")).get("kind")).isEqualTo("widgets");
		assertThat(map(deleted.get("details")).get("group")).isEqualTo(GROUP);

		// I2: not found.
		ApiException missing = apiError(
				() -> customObjects.getNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-crud").execute());
		assertThat(missing.getCode()).isEqualTo(404);
		V1Status missingStatus = status(missing);
		assertThat(missingStatus.getReason()).isEqualTo("NotFound");
		assertThat(missingStatus.getMessage()).isEqualTo("widgets.cj.example.com \"w-crud\" not found");
		assertThat(missingStatus.getDetails().getName()).isEqualTo("w-crud");
		assertThat(missingStatus.getDetails().getGroup()).isEqualTo(GROUP);
		assertThat(missingStatus.getDetails().getKind()).isEqualTo("widgets");
	}

	@Test
	@DisplayName("H1 H3 K1: custom object CRUD and generateName through DynamicKubernetesApi (GenericKubernetesApi)")
	void dynamicApiCrud() throws ApiException {
		DynamicKubernetesObject created = widgets.create(dynamicWidget("w-dyn", "v1", 1)).throwsApiException().getObject();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(created.getApiVersion()).isEqualTo(GROUP + "/v1");

		DynamicKubernetesObject read = widgets.get(NS, "w-dyn").throwsApiException().getObject();
		read.getRaw().getAsJsonObject("spec").addProperty("size", 5);
		DynamicKubernetesObject updated = widgets.update(read).throwsApiException().getObject();
		assertThat(updated.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(5);
		assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

		DynamicKubernetesObject generated = dynamicWidget(null, "v1", 1);
		generated.setMetadata(generated.getMetadata().generateName("w-gen-"));
		DynamicKubernetesObject withName = widgets.create(generated).throwsApiException().getObject();
		assertThat(withName.getMetadata().getName()).matches("w-gen-[bcdfghjklmnpqrstvwxz2456789]{5}");

		DynamicKubernetesListObject list = widgets.list(NS).throwsApiException().getObject();
		assertThat(list.getItems()).extracting((o) -> o.getMetadata().getName())
			.contains("w-dyn", withName.getMetadata().getName());

		KubernetesApiResponse<DynamicKubernetesObject> deleted = widgets.delete(NS, "w-dyn");
		assertThat(deleted.isSuccess()).isTrue();
		assertThat(widgets.get(NS, "w-dyn").getHttpStatusCode()).isEqualTo(404);
	}

	@Test
	@DisplayName("C3 C6: two served versions, one storage version: objects are readable, listable and writable "
			+ "through both with the requested apiVersion")
	void twoServedVersions() throws ApiException {
		widgets.create(dynamicWidget("w-v1", "v1", 1)).throwsApiException().getObject();
		widgetsV1beta1.create(dynamicWidget("w-beta", "v1beta1", 2)).throwsApiException().getObject();

		DynamicKubernetesObject v1AsBeta = widgetsV1beta1.get(NS, "w-v1").throwsApiException().getObject();
		assertThat(v1AsBeta.getApiVersion()).isEqualTo(GROUP + "/v1beta1");
		assertThat(v1AsBeta.getKind()).isEqualTo("Widget");
		assertThat(v1AsBeta.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(1);

		DynamicKubernetesObject betaAsV1 = widgets.get(NS, "w-beta").throwsApiException().getObject();
		assertThat(betaAsV1.getApiVersion()).isEqualTo(GROUP + "/v1");
		assertThat(betaAsV1.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(2);

		assertThat(widgetsV1beta1.list(NS).throwsApiException().getObject().getItems())
			.filteredOn((o) -> List.of("w-v1", "w-beta").contains(o.getMetadata().getName()))
			.hasSize(2)
			.allSatisfy((o) -> assertThat(o.getApiVersion()).isEqualTo(GROUP + "/v1beta1"));
		Map<String, Object> v1List = map(customObjects.listNamespacedCustomObject(GROUP, "v1", NS, "widgets").execute());
		assertThat(v1List.get("apiVersion")).isEqualTo(GROUP + "/v1");
		assertThat(v1List.get("kind")).isEqualTo("WidgetList");
		List<?> items = (List<?>) v1List.get("items");
		assertThat(items).extracting((o) -> map(o).get("apiVersion")).containsOnly(GROUP + "/v1");

		// Update through the non-storage version, read through the storage one.
		v1AsBeta.getRaw().getAsJsonObject("spec").addProperty("size", 10);
		DynamicKubernetesObject updated = widgetsV1beta1.update(v1AsBeta).throwsApiException().getObject();
		assertThat(updated.getApiVersion()).isEqualTo(GROUP + "/v1beta1");
		assertThat(widgets.get(NS, "w-v1").throwsApiException().getObject().getRaw().getAsJsonObject("spec").get("size")
			.getAsInt()).isEqualTo(10);

		assertThat(apiextensions.readCustomResourceDefinition("widgets." + GROUP).execute().getStatus()
			.getStoredVersions()).containsExactly("v1");
		// A version the CRD does not define is not served.
		assertThat(errorCode(() -> customObjects.listNamespacedCustomObject(GROUP, "v2", NS, "widgets").execute()))
			.isEqualTo(404);
	}

	@Test
	@DisplayName("C7 H5: with a status subresource, status changes only through /status (patch and "
			+ "GenericKubernetesApi.updateStatus); generation bumps on spec changes only")
	void statusSubresource() throws ApiException {
		DynamicKubernetesObject toCreate = dynamicWidget("w-status", "v1", 1);
		JsonObject initialStatus = new JsonObject();
		initialStatus.addProperty("phase", "Ignored");
		toCreate.getRaw().add("status", initialStatus);
		DynamicKubernetesObject created = widgets.create(toCreate).throwsApiException().getObject();
		assertThat(created.getRaw().has("status")).as("create drops .status").isFalse();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

		// Merge patch on /status via CustomObjectsApi: status taken, spec in the same patch ignored.
		Object patched = PatchUtils.patch(Object.class,
				() -> customObjects
					.patchNamespacedCustomObjectStatus(GROUP, "v1", NS, "widgets", "w-status",
							new V1Patch("{\"spec\":{\"size\":99},\"status\":{\"phase\":\"Ready\",\"observed\":1}}"))
					.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
		assertThat(map(map(patched).get("status")).get("phase")).isEqualTo("Ready");
		assertThat(map(map(patched).get("spec")).get("size")).isEqualTo(1.0);
		assertThat(((Number) map(map(patched).get("metadata")).get("generation")).longValue()).isEqualTo(1L);

		// GenericKubernetesApi.updateStatus (JSON patch replacing /status).
		DynamicKubernetesObject current = widgets.get(NS, "w-status").throwsApiException().getObject();
		current.getRaw().getAsJsonObject("status").addProperty("phase", "Degraded");
		KubernetesApiResponse<DynamicKubernetesObject> viaUpdateStatus = widgets.updateStatus(current,
				(o) -> o.getRaw().get("status"));
		assertThat(viaUpdateStatus.isSuccess()).as("updateStatus answered %s", viaUpdateStatus.getStatus()).isTrue();
		assertThat(viaUpdateStatus.getObject().getRaw().getAsJsonObject("status").get("phase").getAsString())
			.isEqualTo("Degraded");
		assertThat(viaUpdateStatus.getObject().getMetadata().getGeneration()).isEqualTo(1L);

		// PUT /status with a spec change: spec ignored.
		Map<String, Object> forPut = map(
				customObjects.getNamespacedCustomObject(GROUP, "v1", NS, "widgets", "w-status").execute());
		forPut.put("spec", Map.of("size", 50));
		forPut.put("status", Map.of("phase", "Put"));
		Map<String, Object> put = map(customObjects
			.replaceNamespacedCustomObjectStatus(GROUP, "v1", NS, "widgets", "w-status", forPut)
			.execute());
		assertThat(map(put.get("status")).get("phase")).isEqualTo("Put");
		assertThat(map(put.get("spec")).get("size")).isEqualTo(1.0);

		// Main endpoint: a status-only change is discarded (no new resourceVersion, no generation bump).
		DynamicKubernetesObject main = widgets.get(NS, "w-status").throwsApiException().getObject();
		String rv = main.getMetadata().getResourceVersion();
		main.getRaw().getAsJsonObject("status").addProperty("phase", "FromMain");
		DynamicKubernetesObject ignored = widgets.update(main).throwsApiException().getObject();
		assertThat(ignored.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("Put");
		assertThat(ignored.getMetadata().getResourceVersion()).isEqualTo(rv);
		assertThat(ignored.getMetadata().getGeneration()).isEqualTo(1L);

		// A metadata-only change keeps the generation; a spec change bumps it.
		DynamicKubernetesObject labelled = widgets.get(NS, "w-status").throwsApiException().getObject();
		labelled.setMetadata(labelled.getMetadata().putLabelsItem("team", "a"));
		labelled = widgets.update(labelled).throwsApiException().getObject();
		assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1L);
		labelled.getRaw().getAsJsonObject("spec").addProperty("size", 2);
		DynamicKubernetesObject respecced = widgets.update(labelled).throwsApiException().getObject();
		assertThat(respecced.getMetadata().getGeneration()).isEqualTo(2L);
		assertThat(respecced.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("Put");
	}

	@Test
	@DisplayName("C7 J1: GenericKubernetesApi.updateStatus on a custom object without status yet: its JSON patch "
			+ "'replace /status' is applied as kube-apiserver's json-patch v4 does (a missing object member is set)")
	void updateStatusOnFreshObject() throws ApiException {
		widgets.create(dynamicWidget("w-fresh", "v1", 1)).throwsApiException();
		DynamicKubernetesObject fresh = widgets.get(NS, "w-fresh").throwsApiException().getObject();
		assertThat(fresh.getRaw().has("status")).isFalse();
		JsonObject status = new JsonObject();
		status.addProperty("phase", "Reconciled");
		fresh.getRaw().add("status", status);
		KubernetesApiResponse<DynamicKubernetesObject> updated = widgets.updateStatus(fresh,
				(o) -> o.getRaw().get("status"));
		assertThat(updated.isSuccess()).as("updateStatus answered %s", updated.getStatus()).isTrue();
		assertThat(updated.getObject().getRaw().getAsJsonObject("status").get("phase").getAsString())
			.isEqualTo("Reconciled");
		assertThat(updated.getObject().getMetadata().getGeneration()).isEqualTo(1L);
	}

	@Test
	@DisplayName("H5 C7: without a status subresource, status is an ordinary field and its changes bump generation")
	void noStatusSubresource() throws ApiException {
		DynamicKubernetesApi gadgets = new DynamicKubernetesApi(GROUP, "v1", "gadgets", client);
		DynamicKubernetesObject toCreate = Dynamics.newFromJson("""
				{"apiVersion":"cj.example.com/v1","kind":"Gadget",
				 "metadata":{"name":"g1","namespace":"%s"},
				 "spec":{"size":1},"status":{"phase":"New"}}""".formatted(NS));
		DynamicKubernetesObject created = gadgets.create(toCreate).throwsApiException().getObject();
		assertThat(created.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("New");
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

		created.getRaw().getAsJsonObject("status").addProperty("phase", "Ready");
		DynamicKubernetesObject updated = gadgets.update(created).throwsApiException().getObject();
		assertThat(updated.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("Ready");
		assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

		assertThat(errorCode(() -> customObjects.getNamespacedCustomObjectStatus(GROUP, "v1", NS, "gadgets", "g1")
			.execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("H5 K2 K4: deleting a custom object with a finalizer marks it (200 with object, generation + 1); "
			+ "a merge patch removing the finalizer deletes it")
	void finalizerDeletion() throws ApiException {
		DynamicKubernetesObject toCreate = dynamicWidget("w-held", "v1", 1);
		toCreate.setMetadata(toCreate.getMetadata().addFinalizersItem("example.com/hold"));
		DynamicKubernetesObject created = widgets.create(toCreate).throwsApiException().getObject();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

		KubernetesApiResponse<DynamicKubernetesObject> deleted = widgets.delete(NS, "w-held");
		assertThat(deleted.getHttpStatusCode()).isEqualTo(200);
		assertThat(deleted.getObject()).as("the object, not a Status").isNotNull();
		assertThat(deleted.getObject().getMetadata().getDeletionTimestamp()).isNotNull();
		assertThat(deleted.getObject().getMetadata().getGeneration()).isEqualTo(2L);

		KubernetesApiResponse<DynamicKubernetesObject> released = widgets.patch(NS, "w-held",
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch("{\"metadata\":{\"finalizers\":null}}"),
				new PatchOptions());
		assertThat(released.isSuccess()).as("patch answered %s", released.getStatus()).isTrue();
		assertThat(widgets.get(NS, "w-held").getHttpStatusCode()).isEqualTo(404);
	}

	@Test
	@DisplayName("C11: deleting a CRD deletes its objects (waiting for finalizers, refusing creates with 405), then "
			+ "the CRD and its endpoints")
	void crdDeletion() throws ApiException {
		apiextensions.createCustomResourceDefinition(crd("doomeds", "Doomed", true, "v1")).execute();
		DynamicKubernetesApi doomeds = new DynamicKubernetesApi(GROUP, "v1", "doomeds", client);
		for (String name : List.of("d1", "d2")) {
			doomeds.create(Dynamics.newFromJson(doomed(name, false))).throwsApiException().getObject();
		}
		doomeds.create(Dynamics.newFromJson(doomed("d-held", true))).throwsApiException().getObject();

		GenericKubernetesApi<V1CustomResourceDefinition, V1CustomResourceDefinitionList> crds = new GenericKubernetesApi<>(
				V1CustomResourceDefinition.class, V1CustomResourceDefinitionList.class, "apiextensions.k8s.io", "v1",
				"customresourcedefinitions", client);
		KubernetesApiResponse<V1CustomResourceDefinition> deleted = crds.delete("doomeds." + GROUP);
		assertThat(deleted.isSuccess()).as("delete answered %s", deleted.getStatus()).isTrue();

		eventually().untilAsserted(() -> assertThat(doomeds.list(NS).throwsApiException().getObject().getItems())
			.extracting((o) -> o.getMetadata().getName())
			.containsExactly("d-held"));
		V1CustomResourceDefinition terminating = apiextensions.readCustomResourceDefinition("doomeds." + GROUP)
			.execute();
		assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
		assertThat(terminating.getMetadata().getFinalizers())
			.contains("customresourcecleanup.apiextensions.k8s.io");
		assertThat(terminating.getStatus().getConditions())
			.anySatisfy((c) -> {
				assertThat(c.getType()).isEqualTo("Terminating");
				assertThat(c.getStatus()).isEqualTo("True");
			});

		ApiException refused = apiError(() -> customObjects
			.createNamespacedCustomObject(GROUP, "v1", NS, "doomeds", jsonMap(doomed("d-late", false)))
			.execute());
		assertThat(refused.getCode()).isEqualTo(405);
		V1Status refusedStatus = status(refused);
		assertThat(refusedStatus.getReason()).isEqualTo("MethodNotAllowed");
		assertThat(refusedStatus.getMessage()).isEqualTo("create not allowed while custom resource definition is terminating");

		KubernetesApiResponse<DynamicKubernetesObject> released = doomeds.patch(NS, "d-held",
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch("{\"metadata\":{\"finalizers\":null}}"),
				new PatchOptions());
		assertThat(released.isSuccess()).as("patch answered %s", released.getStatus()).isTrue();

		eventually().until(
				() -> errorCode(() -> apiextensions.readCustomResourceDefinition("doomeds." + GROUP).execute()) == 404);
		assertThat(errorCode(() -> customObjects.listNamespacedCustomObject(GROUP, "v1", NS, "doomeds").execute()))
			.as("the endpoints are gone")
			.isEqualTo(404);
		assertThat(errorCode(() -> customObjects.listClusterCustomObject(GROUP, "v1", "doomeds").execute()))
			.isEqualTo(404);

		// Re-creating the CRD shows that no object survived.
		apiextensions.createCustomResourceDefinition(crd("doomeds", "Doomed", true, "v1")).execute();
		assertThat(doomeds.list(NS).throwsApiException().getObject().getItems()).isEmpty();
	}

	// ------------------------------------------------------------------ helpers

	static V1CustomResourceDefinition crd(String plural, String kind, boolean statusSubresource, String... versions) {
		V1CustomResourceDefinitionSpec spec = new V1CustomResourceDefinitionSpec().group(GROUP)
			.scope("Namespaced")
			.names(new V1CustomResourceDefinitionNames().plural(plural)
				.singular(kind.toLowerCase(java.util.Locale.ROOT))
				.kind(kind)
				.listKind(kind + "List"));
		for (int i = 0; i < versions.length; i++) {
			V1CustomResourceDefinitionVersion version = new V1CustomResourceDefinitionVersion().name(versions[i])
				.served(true)
				.storage(i == 0)
				.schema(new V1CustomResourceValidation().openAPIV3Schema(
						new V1JSONSchemaProps().type("object").xKubernetesPreserveUnknownFields(true)));
			if (statusSubresource) {
				version.subresources(new V1CustomResourceSubresources().status(new LinkedHashMap<>()));
			}
			spec.addVersionsItem(version);
		}
		return new V1CustomResourceDefinition().metadata(meta(plural + "." + GROUP)).spec(spec);
	}

	private static Map<String, Object> widget(String name, String version, Map<String, Object> spec) {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("apiVersion", GROUP + "/" + version);
		object.put("kind", "Widget");
		object.put("metadata", Map.of("name", name));
		object.put("spec", spec);
		return object;
	}

	private static DynamicKubernetesObject dynamicWidget(String name, String version, int size) {
		String nameField = (name != null) ? "\"name\":\"" + name + "\"," : "";
		return Dynamics.newFromJson("""
				{"apiVersion":"%s/%s","kind":"Widget",
				 "metadata":{%s"namespace":"%s"},
				 "spec":{"size":%d}}""".formatted(GROUP, version, nameField, NS, size));
	}

	private static String doomed(String name, boolean finalizer) {
		String finalizers = finalizer ? ",\"finalizers\":[\"example.com/hold\"]" : "";
		return """
				{"apiVersion":"cj.example.com/v1","kind":"Doomed",
				 "metadata":{"name":"%s","namespace":"%s"%s},"spec":{}}""".formatted(name, NS, finalizers);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static Map<String, Object> jsonMap(String json) {
		return map(new com.google.gson.Gson().fromJson(json, Map.class));
	}
}
