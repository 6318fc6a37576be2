package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceValidation;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceDiscoveryTest {

	private static final String GROUP = "demo.example.com";

	private KubeApiEmulator emulator;

	private ResourceDiscovery discovery;

	@BeforeEach
	void start() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.audit().keepRequests(1000);
		discovery = new ResourceDiscovery(emulator.apiClient());
	}

	@AfterEach
	void stop() {
		emulator.stop();
	}

	private void installCrd(String plural, String kind, String scope, String... versions) throws ApiException {
		V1CustomResourceDefinitionSpec spec = new V1CustomResourceDefinitionSpec().group(GROUP)
			.scope(scope)
			.names(new V1CustomResourceDefinitionNames().plural(plural)
				.singular(kind.toLowerCase(Locale.ROOT))
				.kind(kind)
				.listKind(kind + "List"));
		for (int i = 0; i < versions.length; i++) {
			spec.addVersionsItem(new V1CustomResourceDefinitionVersion().name(versions[i])
				.served(true)
				.storage(i == 0)
				.schema(new V1CustomResourceValidation()
					.openAPIV3Schema(new V1JSONSchemaProps().type("object").xKubernetesPreserveUnknownFields(true))));
		}
		new ApiextensionsV1Api(emulator.apiClient())
			.createCustomResourceDefinition(new V1CustomResourceDefinition()
				.metadata(new V1ObjectMeta().name(plural + "." + GROUP))
				.spec(spec))
			.execute();
	}

	/** Requests for a discovery document; client-java asks for {@code /api/v1/} with a trailing slash. */
	private long discoveryRequests(String path) {
		return emulator.audit().requests().stream().filter((event) -> event.request().path().equals(path)).count();
	}

	@Test
	void coreKind() {
		assertThat(discovery.resolve("v1", "ConfigMap"))
			.isEqualTo(new ResourceType("", "v1", "ConfigMap", "configmaps", true));
	}

	@Test
	void groupedKind() {
		assertThat(discovery.resolve("apps/v1", "Deployment"))
			.isEqualTo(new ResourceType("apps", "v1", "Deployment", "deployments", true));
	}

	@Test
	void clusterScopedKind() {
		assertThat(discovery.resolve("v1", "Namespace"))
			.isEqualTo(new ResourceType("", "v1", "Namespace", "namespaces", false));
		assertThat(discovery.resolve(V1Namespace.class).namespaced()).isFalse();
	}

	@Test
	void subresourcesOfTheSameKindAreIgnored() {
		// pods/status is listed with kind Pod too.
		assertThat(discovery.resolve("v1", "Pod").plural()).isEqualTo("pods");
	}

	@Test
	void clientJavaModelsResolveToTheGroupThatServesThem() {
		assertThat(discovery.resolve(V1ConfigMap.class))
			.isEqualTo(new ResourceType("", "v1", "ConfigMap", "configmaps", true));
		assertThat(discovery.resolve(V1Pod.class))
			.isEqualTo(new ResourceType("", "v1", "Pod", "pods", true));
		assertThat(discovery.resolve(V1Deployment.class))
			.isEqualTo(new ResourceType("apps", "v1", "Deployment", "deployments", true));
		assertThat(discovery.resolve(V1Lease.class))
			.isEqualTo(new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", true));
		assertThat(discovery.resolve(EventsV1Event.class))
			.isEqualTo(new ResourceType("events.k8s.io", "v1", "Event", "events", true));
		assertThat(discovery.resolve(CoreV1Event.class))
			.isEqualTo(new ResourceType("", "v1", "Event", "events", true));
		assertThat(discovery.resolve(V1CustomResourceDefinition.class)).isEqualTo(new ResourceType(
				"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false));
	}

	@Test
	void clientJavaModelOfAVersionNoGroupServes() {
		assertThatThrownBy(() -> discovery.resolve(V2HorizontalPodAutoscaler.class))
			.isInstanceOf(ResourceNotFoundException.class)
			.hasMessage("Kind HorizontalPodAutoscaler of version v2 (the client-java model"
					+ " V2HorizontalPodAutoscaler) is not served by the API server in any group; use a model of a"
					+ " version it serves");
	}

	@Test
	void aGroupWhoseDiscoveryFailsDoesNotHideAModelsKind() {
		// Warm the caches of /api/v1 and /apis, so that the next discovery request is the first group's (apps).
		discovery.resolve(V1ConfigMap.class);
		assertThatThrownBy(() -> discovery.resolve("absent.example.com/v1", "Thing"))
			.isInstanceOf(ResourceNotFoundException.class);
		Fault appsDown = emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("get").resource("", "")).status(503).times(1).build());

		assertThat(discovery.resolve(V1Lease.class))
			.isEqualTo(new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", true));
		assertThat(appsDown.triggered()).isEqualTo(1);
	}

	@Test
	void aModelsKindNotFoundBecauseDiscoveryFailedReportsTheFailure() {
		discovery.resolve(V1ConfigMap.class);
		assertThatThrownBy(() -> discovery.resolve("absent.example.com/v1", "Thing"))
			.isInstanceOf(ResourceNotFoundException.class);
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("get").resource("", "")).status(503).build());

		assertThatThrownBy(() -> discovery.resolve(V1Lease.class)).isInstanceOf(ApiFailureException.class)
			.hasMessageStartingWith("API discovery failed: GET /apis/apps/v1 failed with 503 ServiceUnavailable");
	}

	@Test
	void customResourceDefinitionInstalledLaterIsFoundWithoutInvalidating() throws ApiException {
		assertThatThrownBy(() -> discovery.resolve(GROUP + "/v1", "Widget"))
			.isInstanceOf(ResourceNotFoundException.class)
			.hasMessage("Kind Widget (demo.example.com/v1) is not served by the API server: is its"
					+ " CustomResourceDefinition installed? (kubectl get crd widgets.demo.example.com)");

		installCrd("widgets", "Widget", "Namespaced", "v1");
		assertThat(discovery.resolve(GROUP + "/v1", "Widget"))
			.isEqualTo(new ResourceType(GROUP, "v1", "Widget", "widgets", true));

		// A second definition in the same, now cached, group version.
		installCrd("gadgets", "Gadget", "Cluster", "v1");
		assertThat(discovery.resolve(GROUP + "/v1", "Gadget"))
			.isEqualTo(new ResourceType(GROUP, "v1", "Gadget", "gadgets", false));
	}

	@Test
	void missingVersionOfAServedGroupNamesTheServedVersions() throws ApiException {
		installCrd("policies", "Policy", "Namespaced", "v1alpha1", "v1beta1");

		assertThatThrownBy(() -> discovery.resolve(GROUP + "/v1", "Policy"))
			.isInstanceOf(ResourceNotFoundException.class)
			.hasMessage("Kind Policy (demo.example.com/v1) is not served by the API server, which serves"
					+ " demo.example.com only in v1beta1, v1alpha1: is its CustomResourceDefinition installed?"
					+ " (kubectl get crd policies.demo.example.com)");
	}

	@Test
	void missingCoreKindIsNotServed() {
		assertThatThrownBy(() -> discovery.resolve("v1", "Gizmo")).isInstanceOf(ResourceNotFoundException.class)
			.hasMessage("Kind Gizmo (v1) is not served by the API server");
		assertThatThrownBy(() -> discovery.resolve("apps/v9", "Deployment"))
			.isInstanceOf(ResourceNotFoundException.class)
			.hasMessage("Kind Deployment (apps/v9) is not served by the API server");
	}

	@Test
	void annotatedClass() throws ApiException {
		installCrd("widgets", "Widget", "Namespaced", "v1");

		assertThat(discovery.resolve(Widget.class)).isEqualTo(new ResourceType(GROUP, "v1", "Widget", "widgets", true));
		assertThat(discovery.resolve(WidgetWithPlural.class))
			.isEqualTo(new ResourceType(GROUP, "v1", "Widget", "widgets", true));
	}

	@Test
	void annotatedClassWithAWrongPlural() throws ApiException {
		installCrd("widgets", "Widget", "Namespaced", "v1");

		assertThatThrownBy(() -> discovery.resolve(WidgetWithWrongPlural.class))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("gives the plural \"widgetz\", but the API server serves Widget of"
					+ " demo.example.com/v1 as \"widgets\"");
	}

	@Test
	void annotatedClassWithoutItsDefinitionNamesTheAnnotatedPlural() {
		assertThatThrownBy(() -> discovery.resolve(WidgetWithWrongPlural.class))
			.isInstanceOf(ResourceNotFoundException.class)
			.hasMessageEndingWith("(kubectl get crd widgetz.demo.example.com)");
	}

	@Test
	void classesThatNameNoKindAreRejected() {
		assertThatThrownBy(() -> discovery.resolve(DynamicKubernetesObject.class))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(DynamicKubernetesObject.class.getName() + " does not say which kind it is")
			.hasMessageContaining("@KubernetesResource(apiVersion = ");
		assertThatThrownBy(() -> discovery.resolve(Unannotated.class)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void malformedApiVersionIsRejected() {
		for (String apiVersion : List.of("", "/v1", "apps/", "a/b/c")) {
			assertThatThrownBy(() -> discovery.resolve(apiVersion, "Thing")).as(apiVersion)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("is not of the form v1 or group/version");
		}
	}

	@Test
	void resultsAreCachedUntilInvalidated() {
		discovery.resolve("v1", "ConfigMap");
		discovery.resolve("v1", "Secret");
		discovery.resolve(V1ConfigMap.class);
		assertThat(discoveryRequests("/api/v1/")).isEqualTo(1);

		discovery.invalidate();
		discovery.resolve(V1ConfigMap.class);
		assertThat(discoveryRequests("/api/v1/")).isEqualTo(2);
	}

	@Test
	void concurrentResolutionsAgree() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<ResourceType>> results = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				Callable<ResourceType> task = (i % 2 == 0) ? () -> discovery.resolve(V1Deployment.class)
						: () -> discovery.resolve("apps/v1", "Deployment");
				results.add(executor.submit(task));
			}
			for (Future<ResourceType> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS))
					.isEqualTo(new ResourceType("apps", "v1", "Deployment", "deployments", true));
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void forbiddenDiscoverySaysWhatToAllow() {
		emulator.accessControl().enable(); // the emulator's client sends no token: system:anonymous

		assertThatThrownBy(() -> discovery.resolve("v1", "ConfigMap")).isInstanceOf(ApiFailureException.class)
			.hasMessage("API discovery failed: GET /api/v1 is forbidden for system:anonymous (the request carried no"
					+ " credentials): add this rule to the application's ClusterRole: nonResourceURLs: [\"/api/v1/\"],"
					+ " verbs: [\"get\"]")
			.satisfies((ex) -> assertThat(((ApiFailureException) ex).failure().code()).isEqualTo(403));
	}

	@Test
	void unreachableServerIsNamed() {
		String server = emulator.baseUrl();
		emulator.outage(Outage.REFUSE_CONNECTIONS);

		assertThatThrownBy(() -> discovery.resolve("apps/v1", "Deployment")).isInstanceOf(ApiFailureException.class)
			.hasMessageStartingWith("API discovery failed: cannot reach the API server at " + server + ": ")
			.hasMessageEndingWith("(GET /apis/apps/v1)");
	}

	@Test
	void pluralGuessFollowsEnglishEndings() {
		assertThat(List.of("Widget", "Policy", "Gateway", "Ingress", "Box", "Patch", "Mesh"))
			.map(ResourceDiscovery::pluralGuess)
			.containsExactly("widgets", "policies", "gateways", "ingresses", "boxes", "patches", "meshes");
	}

	@KubernetesResource(apiVersion = GROUP + "/v1", kind = "Widget")
	abstract static class Widget implements KubernetesObject {
	}

	@KubernetesResource(apiVersion = GROUP + "/v1", kind = "Widget", plural = "widgets")
	abstract static class WidgetWithPlural implements KubernetesObject {
	}

	@KubernetesResource(apiVersion = GROUP + "/v1", kind = "Widget", plural = "widgetz")
	abstract static class WidgetWithWrongPlural implements KubernetesObject {
	}

	abstract static class Unannotated implements KubernetesObject {
	}
}
