package io.github.kubecontroller.runtime.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.TypeRef;
import io.github.kubecontroller.runtime.controller.Widget;
import io.github.kubecontroller.runtime.controller.WidgetCrd;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules planned for controllers, with kinds resolved by the emulator's API discovery. */
class RbacPolicyTest {

	private static final String WIDGETS_GROUP = "test.kubecontroller.io";

	private static KubeApiEmulator emulator;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		WidgetCrd.install(emulator.apiClient());
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private static RbacPolicy.Builder builder() {
		return RbacPolicy.builder(new ResourceDiscovery(emulator.apiClient()), emulator.apiClient());
	}

	private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
		return PolicyRule.of(group, resources, verbs);
	}

	@Test
	void controllerOfAllNamespacesGetsClusterRulesForEverythingItDoes() {
		ControllerSpec<Widget> spec = ControllerSpec.builder("widgets", Widget.class)
			.finalizer("test.kubecontroller.io/cleanup")
			.owns(V1ConfigMap.class)
			.owns(V1Deployment.class)
			.watches(V1Secret.class, (secret) -> List.of())
			.build();

		RbacPolicy policy = builder().controller(spec).build();

		assertThat(policy.clusterRules()).containsExactly(
				rule("", List.of("configmaps"), List.of("create", "list", "patch", "watch")),
				rule("", List.of("secrets"), List.of("list", "watch")),
				rule("apps", List.of("deployments"), List.of("create", "list", "patch", "watch")),
				rule("events.k8s.io", List.of("events"), List.of("create", "patch")),
				rule(WIDGETS_GROUP, List.of("widgets"), List.of("get", "list", "patch", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets/status"), List.of("patch")));
		assertThat(policy.namespaceRules()).isEmpty();
		assertThat(policy.reasons(null, policy.clusterRules().get(0))).containsExactly("widgets: owns ConfigMap:"
				+ " caches it (list, watch) and applies it by server-side apply (create, patch)");
		assertThat(policy.reasons(null, policy.clusterRules().get(4))).containsExactly(
				"widgets: adds and removes its finalizer test.kubecontroller.io/cleanup by JSON patch (patch; get to"
						+ " read the object again after a conflict)",
				"widgets: caches Widget, its primary kind (list, watch)");
	}

	@Test
	void withoutFinalizerThePrimaryIsOnlyReadAndItsStatusWritten() {
		RbacPolicy policy = builder().events(false)
			.controller(ControllerSpec.builder("widgets", Widget.class).build())
			.build();

		assertThat(policy.clusterRules()).containsExactly(
				rule(WIDGETS_GROUP, List.of("widgets"), List.of("list", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets/status"), List.of("patch")));
	}

	@Test
	void resourcesOfOneGroupNeedingTheSameVerbsShareARule() {
		ControllerSpec<V1ConfigMap> spec = ControllerSpec.builder("settings", V1ConfigMap.class)
			.watches(V1Secret.class, (secret) -> List.of())
			.build();

		RbacPolicy policy = builder().events(false).controller(spec).build();

		// ConfigMaps have no status subresource: no configmaps/status rule.
		assertThat(policy.clusterRules())
			.containsExactly(rule("", List.of("configmaps", "secrets"), List.of("list", "watch")));
		assertThat(policy.reasons(null, policy.clusterRules().get(0))).containsExactly(
				"settings: caches ConfigMap, its primary kind (list, watch)",
				"settings: watches Secret: caches it (list, watch)");
	}

	@Test
	void controllerOfSomeNamespacesGetsARoleInEachAndClusterRulesForClusterScopedKinds() {
		ControllerSpec<Widget> spec = ControllerSpec.builder("widgets", Widget.class)
			.namespaces(List.of("shop", "blog"))
			.owns(V1ConfigMap.class)
			.watches(V1Namespace.class, (namespace) -> List.of())
			.build();

		RbacPolicy policy = builder().controller(spec).build();

		assertThat(policy.clusterRules()).containsExactly(rule("", List.of("namespaces"), List.of("list", "watch")));
		List<PolicyRule> role = List.of(
				rule("", List.of("configmaps"), List.of("create", "list", "patch", "watch")),
				rule("events.k8s.io", List.of("events"), List.of("create", "patch")),
				rule(WIDGETS_GROUP, List.of("widgets"), List.of("list", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets/status"), List.of("patch")));
		assertThat(policy.namespaceRules()).isEqualTo(Map.of("blog", role, "shop", role));
		assertThat(policy.namespaceRules().keySet()).containsExactly("blog", "shop");
	}

	@Test
	void namespaceRulesTheClusterRoleGrantsAlreadyAreLeftOut() {
		ControllerSpec<V1ConfigMap> everywhere = ControllerSpec.builder("audit", V1ConfigMap.class).build();
		ControllerSpec<Widget> shop = ControllerSpec.builder("widgets", Widget.class)
			.namespaces(List.of("shop"))
			.owns(V1ConfigMap.class)
			.build();

		RbacPolicy policy = builder().events(false).controller(shop).controller(everywhere).build();

		assertThat(policy.clusterRules()).containsExactly(rule("", List.of("configmaps"), List.of("list", "watch")));
		// list and watch of configmaps come with the ClusterRole: the Role adds only what it lacks.
		assertThat(policy.namespaceRules().get("shop")).containsExactly(
				rule("", List.of("configmaps"), List.of("create", "patch")),
				rule(WIDGETS_GROUP, List.of("widgets"), List.of("list", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets/status"), List.of("patch")));
	}

	@Test
	void clusterScopedPrimaryIsWatchedEverywhereAndRecordsItsEventsInDefault() {
		// Namespaces are ignored for a cluster-scoped kind, as the controller ignores them.
		ControllerSpec<V1Namespace> spec = ControllerSpec.builder("tenants", V1Namespace.class)
			.namespaces(List.of("shop"))
			.owns(V1ConfigMap.class)
			.build();

		RbacPolicy policy = builder().controller(spec).build();

		// No namespaces/status: a built-in kind's status belongs to Kubernetes' own controllers.
		assertThat(policy.clusterRules()).containsExactly(
				rule("", List.of("configmaps"), List.of("create", "list", "patch", "watch")),
				rule("", List.of("namespaces"), List.of("list", "watch")));
		assertThat(policy.namespaceRules())
			.isEqualTo(Map.of("default", List.of(rule("events.k8s.io", List.of("events"), List.of("create", "patch")))));
	}

	@Test
	void kindsGivenByApiVersionAndKindAreResolvedToo() {
		ControllerSpec<DynamicKubernetesObject> spec = ControllerSpec
			.builder("dynamic", new TypeRef<>(DynamicKubernetesObject.class, WIDGETS_GROUP + "/v1", "Widget"))
			.owns(new TypeRef<>(DynamicKubernetesObject.class, "coordination.k8s.io/v1", "Lease"))
			.build();

		RbacPolicy policy = builder().events(false).controller(spec).build();

		assertThat(policy.clusterRules()).containsExactly(
				rule("coordination.k8s.io", List.of("leases"), List.of("create", "list", "patch", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets"), List.of("list", "watch")),
				rule(WIDGETS_GROUP, List.of("widgets/status"), List.of("patch")));
	}

	@Test
	void leaderElectionNeedsItsLeaseInOneNamespace() {
		RbacPolicy policy = builder().events(false)
			.controller(ControllerSpec.builder("settings", V1ConfigMap.class).build())
			.leaderElection("operators")
			.build();

		assertThat(policy.namespaceRules()).isEqualTo(Map.of("operators",
				List.of(rule("coordination.k8s.io", List.of("leases"), List.of("create", "get", "update")))));
		assertThat(policy.reasons("operators", policy.namespaceRules().get("operators").get(0)))
			.containsExactly("leader election: holds a Lease (get, create, update)");
	}

	@Test
	void extraRulesAreMergedWithThePlannedOnes() {
		RbacPolicy policy = builder().events(false)
			.controller(ControllerSpec.builder("settings", V1ConfigMap.class).build())
			.rule(null, new PolicyRule(List.of(""), List.of("secrets", "configmaps"), List.of("watch", "list")),
					"settings reads secrets")
			.rule("shop", PolicyRule.of("", List.of("pods"), List.of("delete")), "settings restarts pods")
			.build();

		assertThat(policy.clusterRules())
			.containsExactly(rule("", List.of("configmaps", "secrets"), List.of("list", "watch")));
		assertThat(policy.namespaceRules())
			.isEqualTo(Map.of("shop", List.of(rule("", List.of("pods"), List.of("delete")))));
		assertThat(policy.reasons("shop", rule("", List.of("pods"), List.of("delete"))))
			.containsExactly("settings restarts pods");
	}

	@Test
	void noControllersNoRules() {
		RbacPolicy policy = builder().build();

		assertThat(policy.clusterRules()).isEmpty();
		assertThat(policy.namespaceRules()).isEmpty();
	}

	@Test
	void aKindTheServerDoesNotServeFailsWithItsName() {
		ControllerSpec<DynamicKubernetesObject> spec = ControllerSpec
			.builder("gadgets", new TypeRef<>(DynamicKubernetesObject.class, "test.kubecontroller.io/v1", "Gadget"))
			.build();

		assertThatThrownBy(() -> builder().controller(spec).build()).isInstanceOf(ResourceNotFoundException.class)
			.hasMessageContaining("Gadget");
	}

	@Test
	void aRuleNeedsGroupsResourcesAndVerbs() {
		assertThatThrownBy(() -> new PolicyRule(List.of(""), List.of(), List.of("get")))
			.hasMessageContaining("resources");
		assertThat(Set.copyOf(PolicyRule.of("", List.of("pods"), List.of("get")).apiGroups())).containsExactly("");
	}
}
