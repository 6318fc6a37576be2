package io.github.kubecontroller.emulator.clientjava;

import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.apiError;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.createNamespace;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.errorCode;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.eventually;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.meta;
import static io.github.kubecontroller.emulator.clientjava.ClientJavaSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.dynamic.Dynamics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Create/get/update/delete of every built-in kind through client-java's typed APIs, with the error Status bodies
 * client-java parses, optimistic concurrency, no-op writes and the Deployment status subresource.
 */
class BuiltInKindsConformanceTest {

	private static final String NS = "cj-builtin";

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	private static AppsV1Api apps;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		apps = new AppsV1Api(client);
		createNamespace(core, NS);
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	// ------------------------------------------------------------------ CRUD per kind

	@Test
	@DisplayName("H1 H2 H3 H6 K1 I1: ConfigMap create (201) / get / update / delete (Status) / get (404)")
	void configMapCrud() throws ApiException {
		long before = emulator.resourceVersion();
		ApiResponse<V1ConfigMap> created = core
			.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("crud")).putDataItem("k", "v1"))
			.executeWithHttpInfo();
		assertThat(created.getStatusCode()).isEqualTo(201);
		V1ConfigMap cm = created.getData();
		assertThat(cm.getKind()).isEqualTo("ConfigMap");
		assertThat(cm.getApiVersion()).isEqualTo("v1");
		assertThat(cm.getMetadata().getUid()).isNotBlank();
		assertThat(cm.getMetadata().getNamespace()).isEqualTo(NS);
		assertThat(cm.getMetadata().getCreationTimestamp()).isNotNull();
		assertThat(cm.getMetadata().getGeneration()).as("ConfigMap keeps no generation (H6)").isNull();
		long createdRv = Long.parseLong(cm.getMetadata().getResourceVersion());
		assertThat(createdRv).isGreaterThan(before).isEqualTo(emulator.resourceVersion());

		V1ConfigMap read = core.readNamespacedConfigMap("crud", NS).execute();
		assertThat(read.getData()).containsExactly(Map.entry("k", "v1"));
		assertThat(read.getMetadata().getResourceVersion()).isEqualTo(cm.getMetadata().getResourceVersion());

		read.putDataItem("k", "v2");
		ApiResponse<V1ConfigMap> updated = core.replaceNamespacedConfigMap("crud", NS, read).executeWithHttpInfo();
		assertThat(updated.getStatusCode()).isEqualTo(200);
		assertThat(updated.getData().getData()).containsEntry("k", "v2");
		assertThat(Long.parseLong(updated.getData().getMetadata().getResourceVersion())).isGreaterThan(createdRv);
		assertThat(updated.getData().getMetadata().getUid()).isEqualTo(cm.getMetadata().getUid());

		assertThat(core.listNamespacedConfigMap(NS).execute().getItems())
			.extracting((c) -> c.getMetadata().getName())
			.contains("crud");

		V1Status deleted = core.deleteNamespacedConfigMap("crud", NS).execute();
		assertThat(deleted.getStatus()).isEqualTo("Success");
		assertThat(deleted.getDetails().getName()).isEqualTo("crud");
		assertThat(deleted.getDetails().getKind()).isEqualTo("configmaps");
		assertThat(deleted.getDetails().getUid()).isEqualTo(cm.getMetadata().getUid());

		ApiException missing = apiError(() -> core.readNamespacedConfigMap("crud", NS).execute());
		assertThat(missing.getCode()).isEqualTo(404);
		V1Status status = status(missing);
		assertThat(status.getReason()).isEqualTo("NotFound");
		assertThat(status.getMessage()).isEqualTo("configmaps \"crud\" not found");
		assertThat(status.getCode()).isEqualTo(404);
		assertThat(status.getDetails().getName()).isEqualTo("crud");
		assertThat(status.getDetails().getKind()).isEqualTo("configmaps");
	}

	@Test
	@DisplayName("H1 H3 K1: Secret create / get / update / delete with binary data, type defaulted to Opaque")
	void secretCrud() throws ApiException {
		byte[] binary = { 0, 1, 2, (byte) 0xff };
		V1Secret created = core
			.createNamespacedSecret(NS, new V1Secret().metadata(meta("secret-crud")).putDataItem("bin", binary))
			.execute();
		assertThat(created.getType()).isEqualTo("Opaque");
		assertThat(created.getData()).containsKey("bin");
		assertThat(created.getData().get("bin")).containsExactly(binary);

		V1Secret read = core.readNamespacedSecret("secret-crud", NS).execute();
		assertThat(read.getData().get("bin")).containsExactly(binary);
		read.putDataItem("text", "hello".getBytes(StandardCharsets.UTF_8));
		V1Secret updated = core.replaceNamespacedSecret("secret-crud", NS, read).execute();
		assertThat(new String(updated.getData().get("text"), StandardCharsets.UTF_8)).isEqualTo("hello");
		assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(read.getMetadata().getResourceVersion());

		V1Status deleted = core.deleteNamespacedSecret("secret-crud", NS).execute();
		assertThat(deleted.getStatus()).isEqualTo("Success");
		assertThat(deleted.getDetails().getKind()).isEqualTo("secrets");
		assertThat(apiError(() -> core.readNamespacedSecret("secret-crud", NS).execute()).getCode()).isEqualTo(404);
	}

	@Test
	@DisplayName("H1: Secret stringData is write-only and merged into data (base64) on create and update")
	void secretStringData() throws ApiException {
		V1Secret created = core
			.createNamespacedSecret(NS,
					new V1Secret().metadata(meta("secret-string"))
						.putStringDataItem("user", "admin")
						.putDataItem("keep", "x".getBytes(StandardCharsets.UTF_8)))
			.execute();
		assertThat(created.getStringData()).as("stringData is never returned").isNullOrEmpty();
		assertThat(created.getData()).containsOnlyKeys("user", "keep");
		assertThat(new String(created.getData().get("user"), StandardCharsets.UTF_8)).isEqualTo("admin");

		V1Secret read = core.readNamespacedSecret("secret-string", NS).execute();
		assertThat(read.getStringData()).isNullOrEmpty();
		read.putStringDataItem("user", "root");
		V1Secret updated = core.replaceNamespacedSecret("secret-string", NS, read).execute();
		assertThat(updated.getStringData()).isNullOrEmpty();
		assertThat(new String(updated.getData().get("user"), StandardCharsets.UTF_8)).isEqualTo("root");
	}

	@Test
	@DisplayName("H1 H3 K1: Pod create / get / update / delete (an unscheduled pod goes at once; DELETE returns the Pod)")
	void podCrud() throws ApiException {
		V1Pod pod = new V1Pod().metadata(meta("pod-crud").putLabelsItem("app", "web"))
			.spec(new V1PodSpec().addContainersItem(new V1Container().name("app").image("nginx:1.27")));
		V1Pod created = core.createNamespacedPod(NS, pod).execute();
		assertThat(created.getMetadata().getUid()).isNotBlank();
		assertThat(created.getSpec().getContainers()).extracting(V1Container::getName).containsExactly("app");
		assertThat(created.getStatus()).isNotNull();
		assertThat(created.getStatus().getPhase()).isEqualTo("Pending");

		V1Pod read = core.readNamespacedPod("pod-crud", NS).execute();
		read.getMetadata().putLabelsItem("tier", "front");
		V1Pod updated = core.replaceNamespacedPod("pod-crud", NS, read).execute();
		assertThat(updated.getMetadata().getLabels()).containsEntry("tier", "front");

		V1Pod deleted = core.deleteNamespacedPod("pod-crud", NS).execute();
		assertThat(deleted.getKind()).isEqualTo("Pod");
		assertThat(deleted.getMetadata().getName()).isEqualTo("pod-crud");
		eventually().until(() -> errorCode(() -> core.readNamespacedPod("pod-crud", NS).execute()) == 404);
	}

	@Test
	@DisplayName("H1 H3 K1: Service create / get / update / delete (DELETE returns the Service, as its OpenAPI says)")
	void serviceCrud() throws ApiException {
		V1Service service = new V1Service().metadata(meta("svc-crud"))
			.spec(new V1ServiceSpec().putSelectorItem("app", "web")
				.addPortsItem(new V1ServicePort().name("http").port(80).targetPort(new IntOrString(8080))));
		V1Service created = core.createNamespacedService(NS, service).execute();
		assertThat(created.getSpec().getPorts()).singleElement()
			.satisfies((p) -> assertThat(p.getPort()).isEqualTo(80));

		V1Service read = core.readNamespacedService("svc-crud", NS).execute();
		read.getSpec().putSelectorItem("tier", "front");
		V1Service updated = core.replaceNamespacedService("svc-crud", NS, read).execute();
		assertThat(updated.getSpec().getSelector()).containsEntry("tier", "front");

		V1Service deleted = core.deleteNamespacedService("svc-crud", NS).execute();
		assertThat(deleted.getKind()).isEqualTo("Service");
		assertThat(deleted.getMetadata().getName()).isEqualTo("svc-crud");
		assertThat(errorCode(() -> core.readNamespacedService("svc-crud", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("H1 H3 K1: ServiceAccount create / get / update / delete (DELETE returns the ServiceAccount)")
	void serviceAccountCrud() throws ApiException {
		V1ServiceAccount created = core
			.createNamespacedServiceAccount(NS, new V1ServiceAccount().metadata(meta("sa-crud")))
			.execute();
		assertThat(created.getMetadata().getUid()).isNotBlank();
		V1ServiceAccount read = core.readNamespacedServiceAccount("sa-crud", NS).execute();
		read.automountServiceAccountToken(false);
		V1ServiceAccount updated = core.replaceNamespacedServiceAccount("sa-crud", NS, read).execute();
		assertThat(updated.getAutomountServiceAccountToken()).isFalse();

		V1ServiceAccount deleted = core.deleteNamespacedServiceAccount("sa-crud", NS).execute();
		assertThat(deleted.getKind()).isEqualTo("ServiceAccount");
		assertThat(deleted.getMetadata().getName()).isEqualTo("sa-crud");
		assertThat(errorCode(() -> core.readNamespacedServiceAccount("sa-crud", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("H1 H3 K1: events.k8s.io/v1 Event create / get / update / delete, also readable as core/v1 Event")
	void eventsV1Crud() throws ApiException {
		EventsV1Api eventsApi = new EventsV1Api(client);
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		EventsV1Event newEvent = new EventsV1Event().metadata(meta("ev-new"))
			.eventTime(now)
			.reportingController("example.com/cj-test")
			.reportingInstance("cj-test-1")
			.action("Reconcile")
			.reason("Reconciled")
			.type("Normal")
			.note("reconciled it")
			.regarding(new V1ObjectReference().kind("ConfigMap").namespace(NS).name("other").apiVersion("v1"));
		EventsV1Event created = eventsApi.createNamespacedEvent(NS, newEvent).execute();
		assertThat(created.getApiVersion()).isEqualTo("events.k8s.io/v1");
		assertThat(created.getRegarding().getName()).isEqualTo("other");
		assertThat(created.getNote()).isEqualTo("reconciled it");

		CoreV1Event asCore = core.readNamespacedEvent("ev-new", NS).execute();
		assertThat(asCore.getApiVersion()).isEqualTo("v1");
		assertThat(asCore.getInvolvedObject().getName()).isEqualTo("other");
		assertThat(asCore.getMessage()).isEqualTo("reconciled it");
		assertThat(asCore.getReportingComponent()).isEqualTo("example.com/cj-test");

		EventsV1Event read = eventsApi.readNamespacedEvent("ev-new", NS).execute();
		read.setNote("changed");
		EventsV1Event updated = eventsApi.replaceNamespacedEvent("ev-new", NS, read).execute();
		assertThat(updated.getNote()).isEqualTo("changed");
		assertThat(core.readNamespacedEvent("ev-new", NS).execute().getMessage()).isEqualTo("changed");

		assertThat(eventsApi.deleteNamespacedEvent("ev-new", NS).execute().getStatus()).isEqualTo("Success");
		assertThat(errorCode(() -> core.readNamespacedEvent("ev-new", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("H1 H3 K1: core/v1 Event create / get / update / delete, also readable as events.k8s.io/v1 Event "
			+ "(eventTime is always serialised, null when unset)")
	void coreEventCrud() throws ApiException {
		EventsV1Api eventsApi = new EventsV1Api(client);
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		CoreV1Event coreEvent = new CoreV1Event().metadata(meta("ev-core"))
			.involvedObject(new V1ObjectReference().kind("ConfigMap").namespace(NS).name("cfg").apiVersion("v1"))
			.reason("Synced")
			.message("synced it")
			.type("Normal")
			.source(new V1EventSource().component("cj-test"))
			.firstTimestamp(now)
			.lastTimestamp(now)
			.count(1);
		CoreV1Event created = core.createNamespacedEvent(NS, coreEvent).execute();
		assertThat(created.getInvolvedObject().getName()).isEqualTo("cfg");
		assertThat(created.getFirstTimestamp()).isEqualTo(now);

		CoreV1Event read = core.readNamespacedEvent("ev-core", NS).execute();
		CoreV1Event updated = core.replaceNamespacedEvent("ev-core", NS, read.message("changed").count(2)).execute();
		assertThat(updated.getMessage()).isEqualTo("changed");
		assertThat(updated.getCount()).isEqualTo(2);

		// A legacy event has no eventTime; events.k8s.io/v1 serialises it anyway (the field has no omitempty),
		// and client-java's EventsV1Event requires the key.
		EventsV1Event asNew = eventsApi.readNamespacedEvent("ev-core", NS).execute();
		assertThat(asNew.getApiVersion()).isEqualTo("events.k8s.io/v1");
		assertThat(asNew.getKind()).isEqualTo("Event");
		assertThat(asNew.getEventTime()).isNull();
		assertThat(asNew.getRegarding().getName()).isEqualTo("cfg");
		assertThat(asNew.getNote()).isEqualTo("changed");
		assertThat(asNew.getDeprecatedCount()).isEqualTo(2);

		assertThat(core.deleteNamespacedEvent("ev-core", NS).execute().getStatus()).isEqualTo("Success");
		assertThat(errorCode(() -> core.readNamespacedEvent("ev-core", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("H1 H3 K1: coordination.k8s.io/v1 Lease create / get / update (MicroTime) / delete")
	void leaseCrud() throws ApiException {
		CoordinationV1Api leases = new CoordinationV1Api(client);
		OffsetDateTime renew = OffsetDateTime.parse("2026-01-02T03:04:05.123456Z");
		V1Lease created = leases
			.createNamespacedLease(NS,
					new V1Lease().metadata(meta("lease-crud"))
						.spec(new V1LeaseSpec().holderIdentity("pod-a").leaseDurationSeconds(15).acquireTime(renew)
							.renewTime(renew)))
			.execute();
		assertThat(created.getSpec().getHolderIdentity()).isEqualTo("pod-a");
		assertThat(created.getSpec().getRenewTime()).isEqualTo(renew);

		V1Lease read = leases.readNamespacedLease("lease-crud", NS).execute();
		read.getSpec().holderIdentity("pod-b").renewTime(renew.plusSeconds(5)).leaseTransitions(1);
		V1Lease updated = leases.replaceNamespacedLease("lease-crud", NS, read).execute();
		assertThat(updated.getSpec().getHolderIdentity()).isEqualTo("pod-b");
		assertThat(updated.getSpec().getLeaseTransitions()).isEqualTo(1);
		assertThat(updated.getSpec().getRenewTime()).isEqualTo(renew.plusSeconds(5));

		assertThat(leases.deleteNamespacedLease("lease-crud", NS).execute().getStatus()).isEqualTo("Success");
		assertThat(errorCode(() -> leases.readNamespacedLease("lease-crud", NS).execute())).isEqualTo(404);
	}

	@Test
	@DisplayName("rbac.authorization.k8s.io/v1 ClusterRole, ClusterRoleBinding, Role and RoleBinding are stored")
	void rbacObjectsAreStored() throws ApiException {
		RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
		V1PolicyRule rule = new V1PolicyRule().apiGroups(List.of("apps")).resources(List.of("deployments"))
			.verbs(List.of("list", "watch"));
		rbac.createClusterRole(new V1ClusterRole().metadata(new V1ObjectMeta().name("operator")).rules(List.of(rule)))
			.execute();
		rbac.createClusterRoleBinding(new V1ClusterRoleBinding().metadata(new V1ObjectMeta().name("operator"))
			.roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("ClusterRole").name("operator"))
			.subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name("operator").namespace(NS))))
			.execute();
		rbac.createNamespacedRole(NS, new V1Role().metadata(meta("leases")).rules(List.of(rule))).execute();
		rbac.createNamespacedRoleBinding(NS, new V1RoleBinding().metadata(meta("leases"))
			.roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name("leases")))
			.execute();

		assertThat(rbac.readClusterRole("operator").execute().getRules()).containsExactly(rule);
		assertThat(rbac.readClusterRoleBinding("operator").execute().getSubjects()).hasSize(1);
		assertThat(rbac.readNamespacedRole("leases", NS).execute().getRules()).containsExactly(rule);
		assertThat(rbac.readNamespacedRoleBinding("leases", NS).execute().getRoleRef().getName()).isEqualTo("leases");
	}

	@Test
	@DisplayName("H1 H3 H6 K1: Deployment create (generation 1) / get / update / delete")
	void deploymentCrud() throws ApiException {
		V1Deployment created = apps.createNamespacedDeployment(NS, deployment("deploy-crud", 2)).execute();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(created.getSpec().getReplicas()).isEqualTo(2);

		V1Deployment read = apps.readNamespacedDeployment("deploy-crud", NS).execute();
		read.getSpec().setReplicas(4);
		V1Deployment updated = apps.replaceNamespacedDeployment("deploy-crud", NS, read).execute();
		assertThat(updated.getSpec().getReplicas()).isEqualTo(4);
		assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

		V1Status deleted = apps.deleteNamespacedDeployment("deploy-crud", NS).execute();
		assertThat(deleted.getStatus()).isEqualTo("Success");
		assertThat(deleted.getDetails().getGroup()).isEqualTo("apps");
		assertThat(deleted.getDetails().getKind()).isEqualTo("deployments");
		ApiException missing = apiError(() -> apps.readNamespacedDeployment("deploy-crud", NS).execute());
		assertThat(missing.getCode()).isEqualTo(404);
		V1Status status = status(missing);
		assertThat(status.getMessage()).isEqualTo("deployments.apps \"deploy-crud\" not found");
		assertThat(status.getDetails().getGroup()).isEqualTo("apps");
		assertThat(status.getDetails().getKind()).isEqualTo("deployments");
	}

	@Test
	@DisplayName("H1 H3: Namespace create (phase Active) / get / update / delete")
	void namespaceCrud() throws ApiException {
		V1Namespace created = core.createNamespace(new V1Namespace().metadata(meta("cj-ns-crud").putLabelsItem("a", "1")))
			.execute();
		assertThat(created.getStatus().getPhase()).isEqualTo("Active");
		assertThat(created.getMetadata().getNamespace()).isNull();
		V1Namespace read = core.readNamespace("cj-ns-crud").execute();
		read.getMetadata().putLabelsItem("b", "2");
		V1Namespace updated = core.replaceNamespace("cj-ns-crud", read).execute();
		assertThat(updated.getMetadata().getLabels()).containsEntry("a", "1").containsEntry("b", "2");

		// The typed deleteNamespace expects a Status, but a namespace DELETE answers with the Namespace: use the
		// generic API, which accepts both.
		GenericKubernetesApi<V1Namespace, V1NamespaceList> namespaces = new GenericKubernetesApi<>(V1Namespace.class,
				V1NamespaceList.class, "", "v1", "namespaces", client);
		KubernetesApiResponse<V1Namespace> deleted = namespaces.delete("cj-ns-crud");
		assertThat(deleted.isSuccess()).as("delete answered %s", deleted.getStatus()).isTrue();
		eventually().until(() -> errorCode(() -> core.readNamespace("cj-ns-crud").execute()) == 404);
	}

	// ------------------------------------------------------------------ names, conflicts, errors

	@Test
	@DisplayName("H1: generateName gives the prefix plus 5 characters from the Kubernetes alphabet")
	void generateName() throws ApiException {
		V1ConfigMap first = core
			.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(new V1ObjectMeta().generateName("gen-")))
			.execute();
		V1ConfigMap second = core
			.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(new V1ObjectMeta().generateName("gen-")))
			.execute();
		for (V1ConfigMap cm : new V1ConfigMap[] { first, second }) {
			assertThat(cm.getMetadata().getName()).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
			assertThat(cm.getMetadata().getGenerateName()).isEqualTo("gen-");
		}
		assertThat(first.getMetadata().getName()).isNotEqualTo(second.getMetadata().getName());
		assertThat(core.readNamespacedConfigMap(first.getMetadata().getName(), NS).execute().getMetadata().getUid())
			.isEqualTo(first.getMetadata().getUid());
	}

	@Test
	@DisplayName("H1 I3: creating an existing name gives 409 AlreadyExists with the exact Status")
	void alreadyExists() throws ApiException {
		core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("dup"))).execute();
		ApiException ex = apiError(
				() -> core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("dup"))).execute());
		assertThat(ex.getCode()).isEqualTo(409);
		V1Status status = status(ex);
		assertThat(status.getStatus()).isEqualTo("Failure");
		assertThat(status.getReason()).isEqualTo("AlreadyExists");
		assertThat(status.getMessage()).isEqualTo("configmaps \"dup\" already exists");
		assertThat(status.getCode()).isEqualTo(409);
		assertThat(status.getDetails().getName()).isEqualTo("dup");
		assertThat(status.getDetails().getKind()).isEqualTo("configmaps");

		apps.createNamespacedDeployment(NS, deployment("dup", 1)).execute();
		ApiException deploymentEx = apiError(
				() -> apps.createNamespacedDeployment(NS, deployment("dup", 1)).execute());
		assertThat(deploymentEx.getCode()).isEqualTo(409);
		V1Status deploymentStatus = status(deploymentEx);
		assertThat(deploymentStatus.getReason()).isEqualTo("AlreadyExists");
		assertThat(deploymentStatus.getMessage()).isEqualTo("deployments.apps \"dup\" already exists");
		assertThat(deploymentStatus.getDetails().getGroup()).isEqualTo("apps");
		assertThat(deploymentStatus.getDetails().getKind()).isEqualTo("deployments");
	}

	@Test
	@DisplayName("H3 I4: an update with a stale resourceVersion gives 409 Conflict")
	void staleResourceVersion() throws ApiException {
		V1ConfigMap original = core
			.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("occ")).putDataItem("k", "1"))
			.execute();
		V1ConfigMap fresh = core.readNamespacedConfigMap("occ", NS).execute();
		fresh.putDataItem("k", "2");
		core.replaceNamespacedConfigMap("occ", NS, fresh).execute();

		original.putDataItem("k", "stale");
		ApiException ex = apiError(() -> core.replaceNamespacedConfigMap("occ", NS, original).execute());
		assertThat(ex.getCode()).isEqualTo(409);
		V1Status status = status(ex);
		assertThat(status.getReason()).isEqualTo("Conflict");
		assertThat(status.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"occ\": the object "
				+ "has been modified; please apply your changes to the latest version and try again");
		assertThat(status.getDetails().getName()).isEqualTo("occ");
		assertThat(status.getDetails().getKind()).isEqualTo("configmaps");
		assertThat(core.readNamespacedConfigMap("occ", NS).execute().getData()).containsEntry("k", "2");
	}

	@Test
	@DisplayName("I1 H3: get, update, patch and delete of a missing object give 404 NotFound")
	void missingObject() {
		V1ConfigMap ghost = new V1ConfigMap().metadata(meta("ghost").resourceVersion("1"));
		for (ClientJavaSupport.ThrowingCall call : new ClientJavaSupport.ThrowingCall[] {
				() -> core.readNamespacedConfigMap("ghost", NS).execute(),
				() -> core.replaceNamespacedConfigMap("ghost", NS, ghost).execute(),
				() -> PatchUtils.patch(V1ConfigMap.class,
						() -> core.patchNamespacedConfigMap("ghost", NS, new V1Patch("{\"data\":{\"a\":\"b\"}}"))
							.buildCall(null),
						V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client),
				() -> core.deleteNamespacedConfigMap("ghost", NS).execute() }) {
			ApiException ex = apiError(call);
			assertThat(ex.getCode()).isEqualTo(404);
			V1Status status = status(ex);
			assertThat(status.getReason()).isEqualTo("NotFound");
			assertThat(status.getMessage()).isEqualTo("configmaps \"ghost\" not found");
		}
	}

	@Test
	@DisplayName("H1 I1: creating in a namespace that does not exist gives 404 for the namespace")
	void missingNamespace() {
		ApiException ex = apiError(() -> core
			.createNamespacedConfigMap("cj-no-such-namespace", new V1ConfigMap().metadata(meta("orphan")))
			.execute());
		assertThat(ex.getCode()).isEqualTo(404);
		V1Status status = status(ex);
		assertThat(status.getReason()).isEqualTo("NotFound");
		assertThat(status.getMessage()).isEqualTo("namespaces \"cj-no-such-namespace\" not found");
		assertThat(status.getDetails().getName()).isEqualTo("cj-no-such-namespace");
		assertThat(status.getDetails().getKind()).isEqualTo("namespaces");
	}

	// ------------------------------------------------------------------ no-op writes

	@Test
	@DisplayName("F11: an update that changes nothing keeps the resourceVersion (ConfigMap and Deployment)")
	void noOpUpdate() throws ApiException {
		core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("noop").putLabelsItem("a", "b"))
			.putDataItem("k", "v")).execute();
		V1ConfigMap read = core.readNamespacedConfigMap("noop", NS).execute();
		long revision = emulator.resourceVersion();
		V1ConfigMap same = core.replaceNamespacedConfigMap("noop", NS, read).execute();
		assertThat(same.getMetadata().getResourceVersion()).isEqualTo(read.getMetadata().getResourceVersion());
		assertThat(emulator.resourceVersion()).isEqualTo(revision);

		V1ConfigMap patched = PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap("noop", NS, new V1Patch("{\"data\":{\"k\":\"v\"}}"))
					.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
		assertThat(patched.getMetadata().getResourceVersion()).isEqualTo(read.getMetadata().getResourceVersion());

		apps.createNamespacedDeployment(NS, deployment("noop", 1)).execute();
		V1Deployment deployment = apps.readNamespacedDeployment("noop", NS).execute();
		revision = emulator.resourceVersion();
		V1Deployment sameDeployment = apps.replaceNamespacedDeployment("noop", NS, deployment).execute();
		assertThat(sameDeployment.getMetadata().getResourceVersion())
			.isEqualTo(deployment.getMetadata().getResourceVersion());
		assertThat(sameDeployment.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(emulator.resourceVersion()).isEqualTo(revision);
	}

	@Test
	@DisplayName("F11: client-java sends empty labels/annotations/finalizers/ownerReferences; stored as the Go types "
			+ "omit them, an equivalent write without them is a no-op")
	void emptyCollectionsAreNotStored() throws ApiException {
		V1ConfigMap created = core
			.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(meta("empties")).putDataItem("k", "v"))
			.execute();
		String rv = created.getMetadata().getResourceVersion();
		DynamicKubernetesApi dynamic = new DynamicKubernetesApi("", "v1", "configmaps", client);
		DynamicKubernetesObject minimal = Dynamics.newFromJson("""
				{"apiVersion":"v1","kind":"ConfigMap",
				 "metadata":{"name":"empties","namespace":"%s","resourceVersion":"%s"},
				 "data":{"k":"v"}}""".formatted(NS, rv));
		KubernetesApiResponse<DynamicKubernetesObject> updated = dynamic.update(minimal).throwsApiException();
		assertThat(updated.getObject().getMetadata().getResourceVersion())
			.as("an equivalent write is not persisted")
			.isEqualTo(rv);

		DynamicKubernetesObject raw = dynamic.get(NS, "empties").throwsApiException().getObject();
		assertThat(raw.getRaw().getAsJsonObject("metadata").keySet())
			.as("empty collections are omitted from the stored object")
			.doesNotContain("labels", "annotations", "finalizers", "ownerReferences");
	}

	// ------------------------------------------------------------------ Deployment status subresource

	@Test
	@DisplayName("C7 H6: Deployment status only through /status (patch, PUT, GenericKubernetesApi.updateStatus); "
			+ "the main endpoint keeps the old status")
	void deploymentStatusSubresource() throws ApiException {
		V1Deployment toCreate = deployment("status-demo", 1);
		toCreate.status(new V1DeploymentStatus().replicas(7).observedGeneration(9L));
		V1Deployment created = apps.createNamespacedDeployment(NS, toCreate).execute();
		assertThat(created.getStatus() == null || created.getStatus().getReplicas() == null)
			.as("create drops .status: %s", created.getStatus())
			.isTrue();

		// Merge patch on /status: status is taken, spec changes in the same patch are discarded.
		V1Deployment patched = PatchUtils.patch(V1Deployment.class,
				() -> apps
					.patchNamespacedDeploymentStatus("status-demo", NS,
							new V1Patch("{\"spec\":{\"replicas\":5},\"status\":{\"replicas\":1,\"observedGeneration\":1}}"))
					.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
		assertThat(patched.getStatus().getReplicas()).isEqualTo(1);
		assertThat(patched.getStatus().getObservedGeneration()).isEqualTo(1L);
		assertThat(patched.getSpec().getReplicas()).as("spec ignored on /status").isEqualTo(1);
		assertThat(patched.getMetadata().getGeneration()).isEqualTo(1L);

		// GenericKubernetesApi.updateStatus: a JSON patch replacing /status.
		GenericKubernetesApi<V1Deployment, V1DeploymentList> generic = new GenericKubernetesApi<>(V1Deployment.class,
				V1DeploymentList.class, "apps", "v1", "deployments", client);
		V1Deployment current = apps.readNamespacedDeployment("status-demo", NS).execute();
		current.getStatus().readyReplicas(1).availableReplicas(1);
		KubernetesApiResponse<V1Deployment> viaGeneric = generic.updateStatus(current, V1Deployment::getStatus);
		assertThat(viaGeneric.isSuccess()).as("updateStatus answered %s", viaGeneric.getStatus()).isTrue();
		assertThat(viaGeneric.getObject().getStatus().getReadyReplicas()).isEqualTo(1);
		assertThat(viaGeneric.getObject().getMetadata().getGeneration()).isEqualTo(1L);

		// PUT /status.
		V1Deployment forPut = apps.readNamespacedDeployment("status-demo", NS).execute();
		forPut.getStatus().updatedReplicas(1);
		forPut.getSpec().replicas(8);
		V1Deployment put = apps.replaceNamespacedDeploymentStatus("status-demo", NS, forPut).execute();
		assertThat(put.getStatus().getUpdatedReplicas()).isEqualTo(1);
		assertThat(put.getSpec().getReplicas()).isEqualTo(1);
		assertThat(put.getMetadata().getGeneration()).isEqualTo(1L);

		// The main endpoint ignores status changes: a status-only change is a no-op.
		V1Deployment main = apps.readNamespacedDeployment("status-demo", NS).execute();
		String rv = main.getMetadata().getResourceVersion();
		main.getStatus().replicas(42);
		V1Deployment ignored = apps.replaceNamespacedDeployment("status-demo", NS, main).execute();
		assertThat(ignored.getStatus().getReplicas()).isEqualTo(1);
		assertThat(ignored.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(ignored.getMetadata().getResourceVersion()).isEqualTo(rv);

		// A spec change with a status change: spec taken, generation bumped, status kept.
		V1Deployment both = apps.readNamespacedDeployment("status-demo", NS).execute();
		both.getSpec().replicas(3);
		both.getStatus().replicas(99);
		V1Deployment bumped = apps.replaceNamespacedDeployment("status-demo", NS, both).execute();
		assertThat(bumped.getSpec().getReplicas()).isEqualTo(3);
		assertThat(bumped.getStatus().getReplicas()).isEqualTo(1);
		assertThat(bumped.getMetadata().getGeneration()).isEqualTo(2L);
	}

	@Test
	@DisplayName("H6: Deployment generation bumps on spec and annotation changes, not on label changes")
	void deploymentGeneration() throws ApiException {
		apps.createNamespacedDeployment(NS, deployment("gen-demo", 1)).execute();
		V1Deployment labelled = apps.readNamespacedDeployment("gen-demo", NS).execute();
		labelled.getMetadata().putLabelsItem("team", "a");
		V1Deployment afterLabel = apps.replaceNamespacedDeployment("gen-demo", NS, labelled).execute();
		assertThat(afterLabel.getMetadata().getGeneration()).as("labels only").isEqualTo(1L);

		afterLabel.getSpec().getTemplate().getSpec().getContainers().get(0).image("nginx:1.28");
		V1Deployment afterSpec = apps.replaceNamespacedDeployment("gen-demo", NS, afterLabel).execute();
		assertThat(afterSpec.getMetadata().getGeneration()).as("template change").isEqualTo(2L);

		afterSpec.getMetadata().putAnnotationsItem("example.com/note", "x");
		V1Deployment afterAnnotation = apps.replaceNamespacedDeployment("gen-demo", NS, afterSpec).execute();
		assertThat(afterAnnotation.getMetadata().getGeneration())
			.as("the Deployment strategy bumps generation on annotation changes too")
			.isEqualTo(3L);

		V1Deployment patched = PatchUtils.patch(V1Deployment.class,
				() -> apps.patchNamespacedDeployment("gen-demo", NS, new V1Patch("{\"spec\":{\"replicas\":2}}"))
					.buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
		assertThat(patched.getMetadata().getGeneration()).as("patched spec").isEqualTo(4L);
	}

	// ------------------------------------------------------------------ helpers

	static V1Deployment deployment(String name, int replicas) {
		Map<String, String> labels = Map.of("app", name);
		return new V1Deployment().metadata(meta(name))
			.spec(new V1DeploymentSpec().replicas(replicas)
				.selector(new V1LabelSelector().matchLabels(labels))
				.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta()
					.labels(labels))
					.spec(new V1PodSpec().addContainersItem(new V1Container().name("app").image("nginx:1.27")))));
	}
}
