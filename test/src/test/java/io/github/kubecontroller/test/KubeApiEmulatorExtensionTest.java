package io.github.kubecontroller.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.runtime.client.JsonRequests;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.core.io.ClassPathResource;

/** The extension gives a started emulator; the cluster handle applies YAML and objects, and awaits. */
@ExtendWith(KubeApiEmulatorExtension.class)
class KubeApiEmulatorExtensionTest {

	private static final Duration SHORT = Duration.ofMillis(300);

	@Test
	void appliesYamlOfSeveralDocumentsAndAwaitsACondition(EmulatedCluster cluster, ApiClient client) throws Exception {
		List<DynamicKubernetesObject> applied = cluster.apply("""
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: yaml
				---
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: settings
				  namespace: yaml
				  annotations:
				    written: 2024-05-01T10:00:00Z
				data:
				  color: blue
				""");

		assertThat(applied).extracting(DynamicKubernetesObject::getKind).containsExactly("Namespace", "ConfigMap");
		V1ConfigMap read = new CoreV1Api(client).readNamespacedConfigMap("settings", "yaml").execute();
		assertThat(read.getData()).containsEntry("color", "blue");
		// A timestamp stays the text it was, not a date reformatted on the way.
		assertThat(read.getMetadata().getAnnotations()).containsEntry("written", "2024-05-01T10:00:00Z");

		// Applying again updates the object, and awaits see the change.
		cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: settings, namespace: yaml}
				data: {color: green}
				""");
		V1ConfigMap green = cluster.awaitCondition(V1ConfigMap.class, "yaml", "settings",
				(configMap) -> configMap.getData().get("color").equals("green"));
		assertThat(green.getData()).containsOnly(Map.entry("color", "green"));
	}

	@Test
	void appliesACustomResourceDefinitionThenItsObjects(EmulatedCluster cluster) {
		cluster.apply(new ClassPathResource("crds/gadgets.test.kubecontroller.io.yaml"));
		cluster.apply("""
				apiVersion: test.kubecontroller.io/v1
				kind: Gadget
				metadata: {name: widget}
				spec: {size: 3}
				""");

		DynamicKubernetesObject widget = cluster.awaitCondition("test.kubecontroller.io/v1", "Gadget", "default",
				"widget", (gadget) -> gadget.getRaw().getAsJsonObject("spec").get("size").getAsInt() == 3);
		assertThat(widget.getMetadata().getGeneration()).isEqualTo(1L);
		assertThat(cluster.get("test.kubecontroller.io/v1", "Gadget", "default", "missing")).isEmpty();
	}

	@Test
	void appliesTypedObjectsAndAwaitsTheirDeletion(EmulatedCluster cluster) {
		V1ConfigMap applied = cluster.apply(new V1ConfigMap()
			.metadata(new V1ObjectMeta().name("typed").namespace("default"))
			.data(Map.of("k", "v")));
		assertThat(applied.getMetadata().getUid()).isNotBlank();
		assertThat(cluster.get(V1ConfigMap.class, "default", "typed")).hasValueSatisfying(
				(configMap) -> assertThat(configMap.getData()).containsEntry("k", "v"));

		cluster.delete(applied);
		cluster.awaitDeleted(applied);
		assertThat(cluster.get(V1ConfigMap.class, "default", "typed")).isEmpty();
	}

	@Test
	void awaitsReconciledUntilStatusObservedGenerationReachesTheGeneration(EmulatedCluster cluster) throws Exception {
		cluster.apply(new ClassPathResource("crds/gadgets.test.kubecontroller.io.yaml"));
		DynamicKubernetesObject gadget = cluster.apply("""
				apiVersion: test.kubecontroller.io/v1
				kind: Gadget
				metadata: {name: observed}
				spec: {size: 1}
				""").get(0);
		// What a controller would do: report the generation it has seen.
		new JsonRequests(cluster.client()).send("PATCH",
				"/apis/test.kubecontroller.io/v1/namespaces/default/gadgets/observed/status", List.of(),
				"application/merge-patch+json",
				"{\"status\":{\"observedGeneration\":1}}".getBytes(StandardCharsets.UTF_8));

		DynamicKubernetesObject reconciled = cluster.awaitReconciled(gadget);
		assertThat(reconciled.getRaw().getAsJsonObject("status").get("observedGeneration").getAsLong()).isEqualTo(1);
	}

	@Test
	void aConditionNotMetInTimeNamesTheObjectAndItsLastState(EmulatedCluster cluster) {
		cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: stubborn, namespace: default}
				data: {color: red}
				""");

		assertThatThrownBy(() -> cluster.awaitCondition(V1ConfigMap.class, "default", "stubborn",
				(configMap) -> configMap.getData().get("color").equals("blue"), SHORT))
			.isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("ConfigMap default/stubborn did not satisfy the condition within 300ms")
			.hasMessageContaining("last seen: {")
			.hasMessageContaining("\"color\":\"red\"")
			.hasMessageNotContaining("managedFields");
	}

	@Test
	void aConditionThatThrowsIsReportedWithTheLastState(EmulatedCluster cluster) {
		cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: empty, namespace: default}
				""");

		assertThatThrownBy(() -> cluster.awaitCondition(V1ConfigMap.class, "default", "empty",
				(configMap) -> Integer.parseInt(configMap.getData().get("count")) > 0, SHORT))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("ConfigMap default/empty")
			.hasMessageContaining("\"name\":\"empty\"")
			.hasMessageContaining("the condition threw java.lang.NumberFormatException");
	}

	@Test
	void anObjectNeverCreatedIsReportedAsNotFound(EmulatedCluster cluster) {
		assertThatThrownBy(() -> cluster.awaitCondition("v1", "ConfigMap", "default", "ghost", (any) -> true, SHORT))
			.isInstanceOf(AssertionError.class)
			.hasMessage("ConfigMap default/ghost did not satisfy the condition within 300ms;"
					+ " it was not found (404) at the last read");
	}

	@Test
	void anUnreconciledObjectIsReportedWithItsObservedGeneration(EmulatedCluster cluster) {
		cluster.apply(new ClassPathResource("crds/gadgets.test.kubecontroller.io.yaml"));
		DynamicKubernetesObject gadget = cluster.apply("""
				apiVersion: test.kubecontroller.io/v1
				kind: Gadget
				metadata: {name: ignored}
				spec: {size: 2}
				""").get(0);

		assertThatThrownBy(() -> cluster.withTimeout(SHORT).awaitReconciled(gadget))
			.isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("Gadget default/ignored was not reconciled to generation 1 within 300ms;"
					+ " status.observedGeneration is not set; last seen: {")
			.hasMessageContaining("\"size\":2");
	}

	@Test
	void refusedAppliesSayWhatWasRefused(EmulatedCluster cluster) {
		assertThatThrownBy(() -> cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: nowhere, namespace: missing-namespace}
				"""))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith("applying ConfigMap missing-namespace/nowhere was refused: 404");
		assertThatThrownBy(() -> cluster.apply("kind: ConfigMap"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("needs apiVersion, kind and metadata.name");
	}

}
