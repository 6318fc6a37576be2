package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.apiError;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.errorCode;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.eventually;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.WatchRecorder;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.options.PatchOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Deletion through client-java: finalizers (K2–K5), the generation bump of the first deletion marking (H5/H6), and
 * namespace termination. Deletes that may answer with the object use {@link GenericKubernetesApi}, because the typed
 * APIs expect a Status there.
 */
class DeletionConformanceTest {

	private static final String NS = "cj-deletion";

	private static final String HOLD = "example.com/hold";

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	private static AppsV1Api apps;

	private static GenericKubernetesApi<V1ConfigMap, V1ConfigMapList> configMaps;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		apps = new AppsV1Api(client);
		configMaps = new GenericKubernetesApi<>(V1ConfigMap.class, V1ConfigMapList.class, "", "v1", "configmaps",
				client);
		createNamespace(core, NS);
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	@Test
	@DisplayName("K2 K3 K4 K5 F7: a finalizer holds a deleted ConfigMap (200 with the object), no new finalizers, "
			+ "removing the last one deletes it and watchers see DELETED")
	void finalizerLifecycle() throws Exception {
		V1ConfigMap created = core
			.createNamespacedConfigMap(NS,
					new V1ConfigMap().metadata(meta("held").addFinalizersItem(HOLD)).putDataItem("k", "v"))
			.execute();
		long createdRv = Long.parseLong(created.getMetadata().getResourceVersion());

		try (WatchRecorder<V1ConfigMap> watch = WatchRecorder.start(client,
				core.listNamespacedConfigMap(NS)
					.watch(true)
					.fieldSelector("metadata.name=held")
					.resourceVersion(Long.toString(createdRv))
					.buildCall(null),
				V1ConfigMap.class)) {

			KubernetesApiResponse<V1ConfigMap> deleted = configMaps.delete(NS, "held");
			assertThat(deleted.getHttpStatusCode()).isEqualTo(200);
			V1ConfigMap marked = deleted.getObject();
			assertThat(marked).as("DELETE answers with the object while a finalizer holds it").isNotNull();
			assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
			assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(0L);
			assertThat(marked.getMetadata().getFinalizers()).containsExactly(HOLD);
			long markedRv = Long.parseLong(marked.getMetadata().getResourceVersion());
			assertThat(markedRv).isGreaterThan(createdRv);

			V1ConfigMap stillThere = core.readNamespacedConfigMap("held", NS).execute();
			assertThat(stillThere.getMetadata().getDeletionTimestamp()).isEqualTo(marked.getMetadata().getDeletionTimestamp());

			// K3: a repeated DELETE changes nothing.
			KubernetesApiResponse<V1ConfigMap> again = configMaps.delete(NS, "held");
			assertThat(again.getHttpStatusCode()).isEqualTo(200);
			assertThat(again.getObject().getMetadata().getResourceVersion()).isEqualTo(Long.toString(markedRv));
			assertThat(emulator.resourceVersion()).isEqualTo(markedRv);

			// K5: no new finalizers while deleting.
			V1ConfigMap withNew = core.readNamespacedConfigMap("held", NS).execute();
			withNew.getMetadata().addFinalizersItem("example.com/other");
			ApiException forbidden = apiError(() -> core.replaceNamespacedConfigMap("held", NS, withNew).execute());
			assertThat(forbidden.getCode()).isEqualTo(422);
			V1Status status = status(forbidden);
			assertThat(status.getReason()).isEqualTo("Invalid");
			assertThat(status.getMessage()).isEqualTo("ConfigMap \"held\" is invalid: metadata.finalizers: Forbidden: "
					+ "no new finalizers can be added if the object is being deleted, found new finalizers "
					+ "[]string{\"example.com/other\"}");
			assertThat(status.getDetails().getKind()).isEqualTo("ConfigMap");
			assertThat(status.getDetails().getName()).isEqualTo("held");
			assertThat(status.getDetails().getCauses()).singleElement().satisfies((V1StatusCause cause) -> {
				assertThat(cause.getReason()).isEqualTo("FieldValueForbidden");
				assertThat(cause.getField()).isEqualTo("metadata.finalizers");
				assertThat(cause.getMessage()).isEqualTo("Forbidden: no new finalizers can be added if the object "
						+ "is being deleted, found new finalizers []string{\"example.com/other\"}");
			});

			// Other changes are still allowed while the object terminates.
			V1ConfigMap changed = core.readNamespacedConfigMap("held", NS).execute();
			changed.putDataItem("k", "v2");
			changed = core.replaceNamespacedConfigMap("held", NS, changed).execute();
			assertThat(changed.getMetadata().getDeletionTimestamp()).isNotNull();

			// K4: removing the last finalizer deletes the object in the same request.
			changed.getMetadata().setFinalizers(List.of());
			V1ConfigMap released = core.replaceNamespacedConfigMap("held", NS, changed).execute();
			assertThat(released.getMetadata().getName()).isEqualTo("held");
			assertThat(errorCode(() -> core.readNamespacedConfigMap("held", NS).execute())).isEqualTo(404);

			eventually().until(() -> watch.events.size() >= 3);
			assertThat(watch.events).extracting((e) -> e.type).containsExactly("MODIFIED", "MODIFIED", "DELETED");
			Watch.Response<V1ConfigMap> markedEvent = watch.events.get(0);
			assertThat(markedEvent.object.getMetadata().getDeletionTimestamp()).isNotNull();
			assertThat(markedEvent.object.getMetadata().getResourceVersion()).isEqualTo(Long.toString(markedRv));
			Watch.Response<V1ConfigMap> deletedEvent = watch.events.get(2);
			assertThat(Long.parseLong(deletedEvent.object.getMetadata().getResourceVersion()))
				.isGreaterThan(Long.parseLong(changed.getMetadata().getResourceVersion()));
		}
	}

	@Test
	@DisplayName("H6 K2 K4: the first deletion marking bumps a Deployment's generation; a merge patch dropping the "
			+ "last finalizer deletes it")
	void deploymentDeletionGeneration() throws ApiException {
		V1Deployment toCreate = BuiltInKindsConformanceTest.deployment("held-deploy", 1);
		toCreate.getMetadata().addFinalizersItem(HOLD);
		V1Deployment created = apps.createNamespacedDeployment(NS, toCreate).execute();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

		GenericKubernetesApi<V1Deployment, V1DeploymentList> deployments = new GenericKubernetesApi<>(
				V1Deployment.class, V1DeploymentList.class, "apps", "v1", "deployments", client);
		KubernetesApiResponse<V1Deployment> deleted = deployments.delete(NS, "held-deploy");
		assertThat(deleted.getHttpStatusCode()).isEqualTo(200);
		assertThat(deleted.getObject().getMetadata().getDeletionTimestamp()).isNotNull();
		assertThat(deleted.getObject().getMetadata().getGeneration()).isEqualTo(2L);

		KubernetesApiResponse<V1Deployment> again = deployments.delete(NS, "held-deploy");
		assertThat(again.getObject().getMetadata().getGeneration()).as("only the first marking bumps").isEqualTo(2L);

		KubernetesApiResponse<V1Deployment> released = deployments.patch(NS, "held-deploy",
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch("{\"metadata\":{\"finalizers\":null}}"),
				new PatchOptions());
		assertThat(released.isSuccess()).as("patch answered %s", released.getStatus()).isTrue();
		assertThat(errorCode(() -> apps.readNamespacedDeployment("held-deploy", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("K1 K2 K4: deleting a namespace deletes its contents, waits for held objects, then the namespace goes")
	void namespaceDeletion() throws ApiException {
		String doomed = "cj-doomed";
		createNamespace(core, doomed);
		core.createNamespacedConfigMap(doomed, new V1ConfigMap().metadata(meta("plain"))).execute();
		core.createNamespacedConfigMap(doomed, new V1ConfigMap().metadata(meta("held").addFinalizersItem(HOLD)))
			.execute();
		core.createNamespacedSecret(doomed, new V1Secret().metadata(meta("secret"))).execute();
		apps.createNamespacedDeployment(doomed, BuiltInKindsConformanceTest.deployment("app", 1)).execute();

		GenericKubernetesApi<V1Namespace, V1NamespaceList> namespaces = new GenericKubernetesApi<>(V1Namespace.class,
				V1NamespaceList.class, "", "v1", "namespaces", client);
		KubernetesApiResponse<V1Namespace> deleted = namespaces.delete(doomed);
		assertThat(deleted.isSuccess()).as("delete answered %s", deleted.getStatus()).isTrue();

		// The contents go; the held ConfigMap is marked and keeps the namespace terminating.
		eventually().untilAsserted(() -> {
			assertThat(core.listNamespacedConfigMap(doomed).execute().getItems())
				.extracting((c) -> c.getMetadata().getName())
				.containsExactly("held");
			assertThat(core.listNamespacedSecret(doomed).execute().getItems()).isEmpty();
			assertThat(apps.listNamespacedDeployment(doomed).execute().getItems()).isEmpty();
		});
		V1ConfigMap held = core.readNamespacedConfigMap("held", doomed).execute();
		assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
		V1Namespace terminating = core.readNamespace(doomed).execute();
		assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
		assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");

		ApiException refused = apiError(
				() -> core.createNamespacedConfigMap(doomed, new V1ConfigMap().metadata(meta("late"))).execute());
		assertThat(refused.getCode()).isEqualTo(403);
		assertThat(status(refused).getReason()).isEqualTo("Forbidden");

		held.getMetadata().setFinalizers(List.of());
		core.replaceNamespacedConfigMap("held", doomed, held).execute();
		eventually().until(() -> errorCode(() -> core.readNamespace(doomed).execute()) == 404);
		assertThat(core.listNamespace().execute().getItems()).extracting((n) -> n.getMetadata().getName())
			.doesNotContain(doomed)
			.contains("default", "kube-system", NS);
	}
}
