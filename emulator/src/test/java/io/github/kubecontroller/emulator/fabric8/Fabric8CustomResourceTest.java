package io.github.kubecontroller.emulator.fabric8;

import static io.github.kubecontroller.emulator.fabric8.Fabric8ConformanceTest.catchClientException;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A custom resource through fabric8's {@link GenericKubernetesResource}, after creating its CRD with fabric8's typed
 * apiextensions client. fabric8 finds the plural of {@code f8.example.com/v1 Gadget} through discovery.
 */
class Fabric8CustomResourceTest extends Fabric8Support {

	private static final String CRD_NAME = "gadgets.f8.example.com";

	private static final String API_VERSION = "f8.example.com/v1";

	private static final String CRD_YAML = """
			apiVersion: apiextensions.k8s.io/v1
			kind: CustomResourceDefinition
			metadata:
			  name: gadgets.f8.example.com
			spec:
			  group: f8.example.com
			  scope: Namespaced
			  names:
			    plural: gadgets
			    singular: gadget
			    kind: Gadget
			    listKind: GadgetList
			    shortNames: [gd]
			  versions:
			  - name: v1
			    served: true
			    storage: true
			    subresources:
			      status: {}
			    schema:
			      openAPIV3Schema:
			        type: object
			        x-kubernetes-preserve-unknown-fields: true
			""";

	@Test
	@DisplayName("C1 C4 C5 C7 C8 C11 H5 J1 J5 I5 K1: a CRD created through fabric8 is Established; its custom resource "
			+ "is created, read, listed, informed, merge-patched (generation +1), status-edited (generation kept), "
			+ "server-side applied with a conflict, rejects strategic merge, and goes with its CRD")
	void customResourceThroughGenericKubernetesResource() {
		CustomResourceDefinition crd = this.client.getKubernetesSerialization()
			.unmarshal(CRD_YAML, CustomResourceDefinition.class);
		CustomResourceDefinition created = this.client.apiextensions().v1().customResourceDefinitions().resource(crd)
			.create();
		assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
		CustomResourceDefinition established = this.client.apiextensions().v1().customResourceDefinitions()
			.withName(CRD_NAME)
			.waitUntilCondition((c) -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
				.anyMatch((cond) -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
					DEADLINE.toSeconds(), TimeUnit.SECONDS);
		assertThat(established.getStatus().getAcceptedNames().getKind()).isEqualTo("Gadget");
		assertThat(established.getStatus().getStoredVersions()).containsExactly("v1");

		MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> gadgets = this.client
			.genericKubernetesResources(API_VERSION, "Gadget");

		try (SharedIndexInformer<GenericKubernetesResource> informer = gadgets.inNamespace(NS).inform()) {
			// Create and read.
			GenericKubernetesResource g1 = gadgets.inNamespace(NS)
				.resource(gadget("g1", Map.of("size", 1, "color", "red")))
				.create();
			assertThat(g1.getMetadata().getGeneration()).as("H5: create sets generation 1").isEqualTo(1L);
			assertThat(g1.getMetadata().getUid()).isNotBlank();
			assertThat(at(g1, "spec", "color")).isEqualTo("red");
			GenericKubernetesResource read = gadgets.inNamespace(NS).withName("g1").get();
			assertThat(read.getMetadata().getResourceVersion()).isEqualTo(g1.getMetadata().getResourceVersion());
			assertThat(read.getKind()).isEqualTo("Gadget");
			assertThat(read.getApiVersion()).isEqualTo(API_VERSION);
			assertThat(requests((r) -> r.path().equals("/apis/f8.example.com/v1"))).as("fabric8 used discovery")
				.isNotEmpty();

			// The informer sees it.
			await("informer has g1").until(() -> informer.getStore().getByKey(NS + "/g1") != null);

			// Merge patch of the spec: generation +1.
			GenericKubernetesResource patched = gadgets.inNamespace(NS).withName("g1")
				.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"size\":2}}");
			assertThat(at(patched, "spec", "size")).isEqualTo(2);
			assertThat(at(patched, "spec", "color")).isEqualTo("red");
			assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);

			// Status through the status subresource (editStatus sends a JSON patch to /status): generation kept.
			GenericKubernetesResource withStatus = gadgets.inNamespace(NS).withName("g1").editStatus((g) -> {
				g.setAdditionalProperty("status", new LinkedHashMap<>(Map.of("phase", "Ready")));
				return g;
			});
			assertThat(at(withStatus, "status", "phase")).isEqualTo("Ready");
			assertThat(withStatus.getMetadata().getGeneration()).as("/status writes keep the generation")
				.isEqualTo(2L);
			assertThat(requests((r) -> "PATCH".equals(r.method()))).last()
				.satisfies((r) -> assertThat(r.path()).endsWith("/gadgets/g1/status"));

			// C7: status written on the main resource is reset, so nothing changes (F11: no new resourceVersion).
			GenericKubernetesResource ignored = gadgets.inNamespace(NS).withName("g1")
				.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Hacked\"}}");
			assertThat(at(ignored, "status", "phase")).isEqualTo("Ready");
			assertThat(ignored.getMetadata().getResourceVersion())
				.isEqualTo(withStatus.getMetadata().getResourceVersion());
			assertThat(ignored.getMetadata().getGeneration()).isEqualTo(2L);

			// C8: no strategic merge patch for custom resources.
			KubernetesClientException smp = catchClientException(() -> gadgets.inNamespace(NS).withName("g1")
				.patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"size\":3}}"));
			assertThat(smp.getCode()).isEqualTo(415);
			assertThat(smp.getStatus().getReason()).isEqualTo("UnsupportedMediaType");

			// Server-side apply: alice creates g2, bob conflicts on spec.color, then forces it.
			GenericKubernetesResource g2 = gadgets.inNamespace(NS)
				.resource(gadget("g2", Map.of("size", 5, "color", "blue")))
				.fieldManager("alice")
				.serverSideApply();
			assertThat(g2.getMetadata().getGeneration()).isEqualTo(1L);
			KubernetesClientException conflict = catchClientException(() -> gadgets.inNamespace(NS)
				.resource(gadget("g2", Map.of("color", "green")))
				.fieldManager("bob")
				.serverSideApply());
			assertThat(conflict.getCode()).isEqualTo(409);
			assertThat(conflict.getStatus().getMessage())
				.isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .spec.color");
			GenericKubernetesResource forced = gadgets.inNamespace(NS)
				.resource(gadget("g2", Map.of("color", "green")))
				.fieldManager("bob")
				.forceConflicts()
				.serverSideApply();
			assertThat(at(forced, "spec", "color")).isEqualTo("green");
			assertThat(at(forced, "spec", "size")).isEqualTo(5);
			assertThat(forced.getMetadata().getGeneration()).isEqualTo(2L);

			// List.
			assertThat(gadgets.inNamespace(NS).list().getItems()).extracting((g) -> g.getMetadata().getName())
				.containsExactly("g1", "g2");
			await("informer has both").until(() -> informer.getStore().list().size() == 2);

			// Delete g1 (K1): gone at once, the informer drops it.
			assertThat(gadgets.inNamespace(NS).withName("g1").delete()).hasSize(1);
			assertThat(gadgets.inNamespace(NS).withName("g1").get()).isNull();
			await("informer dropped g1").until(() -> informer.getStore().getByKey(NS + "/g1") == null);
		}

		// C11: deleting the CRD deletes its objects, then the CRD and its endpoints.
		this.client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).delete();
		await("CRD gone").until(
				() -> this.client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get() == null);
		KubernetesClientException gone = catchClientException(() -> gadgets.inNamespace(NS).list());
		assertThat(gone.getCode()).isEqualTo(404);
	}

	/** The value at {@code path} in {@code resource}. */
	private static Object at(GenericKubernetesResource resource, Object... path) {
		return resource.get(path);
	}

	private static GenericKubernetesResource gadget(String name, Map<String, Object> spec) {
		return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION)
			.withKind("Gadget")
			.withNewMetadata()
			.withName(name)
			.withNamespace(NS)
			.endMetadata()
			.withAdditionalProperties(Map.of("spec", new LinkedHashMap<>(spec)))
			.build();
	}
}
