package io.github.kubecontroller.runtime.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.apply.RequestRecorder.Sent;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {

	private static final String NS = "apply";

	private static final String MANAGER = "demo-controller";

	private static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);

	private static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "Deployment", "deployments", true);

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static RequestRecorder recorder;

	private static ServerSideApply apply;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
		Website.installDefinition(client);
		recorder = RequestRecorder.attachTo(client);
		apply = new ServerSideApply(client, MANAGER);
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@BeforeEach
	void forgetEarlierRequests() {
		recorder.clear();
		emulator.faults().clear();
	}

	@Test
	void appliesAConfigMapModelWithoutTakingOverOtherManagersFinalizersAndLabels() throws ApiException {
		V1ConfigMap created = apply.apply(CONFIG_MAPS, configMap("settings", "blue"), V1ConfigMap.class);
		assertThat(created.getData()).containsExactly(Map.entry("color", "blue"));
		assertThat(created.getMetadata().getUid()).isNotNull();

		// Someone else adds a finalizer and a label.
		mergePatch("settings", """
				{"metadata":{"finalizers":["other.example.com/hold"],"labels":{"owner":"person"}}}""");

		// The same kind of fresh model, with its empty finalizers, ownerReferences, labels and annotations.
		V1ConfigMap updated = apply.apply(CONFIG_MAPS, configMap("settings", "green"), V1ConfigMap.class);

		assertThat(updated.getData()).containsExactly(Map.entry("color", "green"));
		assertThat(updated.getMetadata().getFinalizers()).containsExactly("other.example.com/hold");
		assertThat(updated.getMetadata().getLabels()).containsExactly(Map.entry("owner", "person"));
		List<Sent> applies = recorder.requests("PATCH", CONFIG_MAPS.objectPath(NS, "settings"))
			.stream()
			.filter((sent) -> sent.contentType().startsWith(ServerSideApply.APPLY_PATCH))
			.toList();
		assertThat(applies).hasSize(2).allSatisfy((sent) -> {
			assertThat(sent.pathAndQuery()).endsWith("?fieldManager=demo-controller&force=true");
			assertThat(emptyCollections(JsonParser.parseString(sent.body()), "")).isEmpty();
		});
		assertThat(JsonParser.parseString(applies.get(1).body())).isEqualTo(JsonParser.parseString("""
				{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"apply"},
				 "data":{"color":"green"}}"""));
		JsonObject stored = StoredObjects.get(client, CONFIG_MAPS.objectPath(NS, "settings"));
		assertThat(StoredObjects.managers(stored)).contains("demo-controller/Apply/", "person/Update/");
	}

	@Test
	void appliesADeploymentModelKeepingMeaningfulEmptyObjects() throws ApiException {
		V1Deployment created = apply.apply(DEPLOYMENTS, deployment("web", 1), V1Deployment.class);
		V1Deployment scaled = apply.apply(DEPLOYMENTS, deployment("web", 3), V1Deployment.class);

		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
		assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
		assertThat(scaled.getSpec().getTemplate().getSpec().getContainers()).singleElement()
			.satisfies((container) -> assertThat(container.getPorts()).hasSize(1));
		assertThat(emulator.audit().count("patch", "deployments")).isEqualTo(2);
		List<Sent> applies = recorder.requests("PATCH", DEPLOYMENTS.objectPath(NS, "web"));
		assertThat(applies).hasSize(2).allSatisfy((sent) -> {
			assertThat(sent.contentType()).startsWith("application/apply-patch+yaml");
			// The only empty value sent is the one that means something.
			assertThat(emptyCollections(JsonParser.parseString(sent.body()), ""))
				.containsExactly(".spec.template.spec.volumes[0].emptyDir");
		});
		JsonObject stored = StoredObjects.get(client, DEPLOYMENTS.objectPath(NS, "web"));
		assertThat(StoredObjects.managers(stored)).contains("demo-controller/Apply/");
	}

	@Test
	void appliesFromAStaleCopyBecauseServerOwnedMetadataIsNotSent() throws ApiException {
		V1ConfigMap first = apply.apply(CONFIG_MAPS, configMap("stale", "blue"), V1ConfigMap.class);
		apply.apply(CONFIG_MAPS, configMap("stale", "green"), V1ConfigMap.class);

		// first still carries the old resourceVersion, uid and creationTimestamp.
		first.setData(Map.of("color", "red"));
		V1ConfigMap result = apply.apply(CONFIG_MAPS, first, V1ConfigMap.class);

		assertThat(result.getData()).containsExactly(Map.entry("color", "red"));
		JsonObject sent = JsonParser.parseString(recorder.requests().get(recorder.requests().size() - 1).body())
			.getAsJsonObject();
		assertThat(sent.getAsJsonObject("metadata").keySet()).containsExactlyInAnyOrder("name", "namespace");
	}

	@Test
	void appliesCustomResourcesTypedAndDynamic() throws ApiException {
		Website site = new Website("blog", NS);
		site.spec = new Website.Spec();
		site.spec.host = "blog.example.com";
		Website typed = apply.apply(Website.TYPE, site, Website.class);
		assertThat(typed.spec.host).isEqualTo("blog.example.com");

		JsonObject desired = JsonParser.parseString("""
				{"metadata":{"name":"shop","namespace":"apply","labels":{},"finalizers":[]},
				 "spec":{"host":"shop.example.com","aliases":[],"tls":{}}}""").getAsJsonObject();
		JsonObject stored = apply.apply(Website.TYPE, desired);
		assertThat(stored.getAsJsonObject("spec")).isEqualTo(JsonParser.parseString("""
				{"host":"shop.example.com","tls":{}}"""));
		assertThat(stored.get("apiVersion").getAsString()).isEqualTo("demo.kubecontroller.io/v1");
		assertThat(desired.getAsJsonObject("spec").has("aliases")).as("the caller's tree is not changed").isTrue();

		DynamicKubernetesObject dynamic = apply.apply(Website.TYPE, new DynamicKubernetesObject(desired),
				DynamicKubernetesObject.class);
		assertThat(dynamic.getMetadata().getName()).isEqualTo("shop");
		assertThat(dynamic.getKind()).isEqualTo("Website");

		JsonObject withStatus = apply.applyStatus(Website.TYPE, JsonParser.parseString("""
				{"metadata":{"name":"shop","namespace":"apply"},"status":{"phase":"Ready","conditions":[]}}""")
			.getAsJsonObject());
		assertThat(withStatus.getAsJsonObject("status")).isEqualTo(JsonParser.parseString("{\"phase\":\"Ready\"}"));
		assertThat(withStatus.getAsJsonObject("spec").get("host").getAsString()).isEqualTo("shop.example.com");
		String statusBody = recorder.requests("PATCH", Website.TYPE.objectPath(NS, "shop") + "/status")
			.get(0)
			.body();
		assertThat(JsonParser.parseString(statusBody)).isEqualTo(JsonParser.parseString("""
				{"apiVersion":"demo.kubecontroller.io/v1","kind":"Website",
				 "metadata":{"name":"shop","namespace":"apply"},"status":{"phase":"Ready"}}"""));
	}

	@Test
	void apiErrorsKeepCodeHeadersAndBody() throws ApiException {
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("patch").resource("", "configmaps").name("throttled"))
				.tooManyRequestsStatus(Duration.ofSeconds(7))
				.times(1)
				.build());

		ApiException error = catchThrowableOfType(ApiException.class,
				() -> apply.apply(CONFIG_MAPS, configMap("throttled", "blue"), V1ConfigMap.class));

		assertThat(error.getCode()).isEqualTo(429);
		assertThat(error.getResponseHeaders()).containsEntry("retry-after", List.of("7"));
		assertThat(error.getResponseBody()).contains("\"reason\":\"TooManyRequests\"");
		assertThat(apply.apply(CONFIG_MAPS, configMap("throttled", "blue"), V1ConfigMap.class).getData())
			.containsEntry("color", "blue");
	}

	@Test
	void validatesWhatItCannotSend() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> apply.apply(CONFIG_MAPS, new V1ConfigMap().metadata(new V1ObjectMeta().name("x")),
					V1ConfigMap.class))
			.withMessageContaining("metadata.namespace is required");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> apply.apply(CONFIG_MAPS, new V1ConfigMap().metadata(new V1ObjectMeta().namespace(NS)),
					V1ConfigMap.class))
			.withMessageContaining("metadata.name is required");
		assertThatIllegalArgumentException().isThrownBy(() -> new ServerSideApply(client, " "));
		assertThatIllegalArgumentException().isThrownBy(() -> new ServerSideApply(client, "x".repeat(129)));
		assertThat(recorder.requests()).isEmpty();
	}

	static V1ConfigMap configMap(String name, String color) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().name(name).namespace(NS)).data(Map.of("color", color));
	}

	private static V1Deployment deployment(String name, int replicas) {
		Map<String, String> labels = Map.of("app", name);
		V1PodSpec pod = new V1PodSpec()
			.addContainersItem(new V1Container().name("app")
				.image("nginx:1.27")
				.addPortsItem(new V1ContainerPort().containerPort(80)))
			.addVolumesItem(new V1Volume().name("scratch").emptyDir(new V1EmptyDirVolumeSource()));
		return new V1Deployment().metadata(new V1ObjectMeta().name(name).namespace(NS))
			.spec(new V1DeploymentSpec().replicas(replicas)
				.selector(new V1LabelSelector().matchLabels(labels))
				.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(pod)));
	}

	private static void mergePatch(String name, String patch) throws ApiException {
		CoreV1Api core = new CoreV1Api(client);
		PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap(name, NS, new V1Patch(patch))
					.fieldManager("person")
					.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
	}

	/** The paths of every empty array and empty object in {@code element}. */
	static List<String> emptyCollections(JsonElement element, String path) {
		List<String> found = new ArrayList<>();
		if (element.isJsonObject()) {
			JsonObject object = element.getAsJsonObject();
			if (object.isEmpty()) {
				found.add(path);
			}
			object.entrySet()
				.forEach((member) -> found.addAll(emptyCollections(member.getValue(), path + "." + member.getKey())));
		}
		else if (element.isJsonArray()) {
			JsonArray array = element.getAsJsonArray();
			if (array.isEmpty()) {
				found.add(path);
			}
			for (int i = 0; i < array.size(); i++) {
				found.addAll(emptyCollections(array.get(i), path + "[" + i + "]"));
			}
		}
		return found;
	}
}
