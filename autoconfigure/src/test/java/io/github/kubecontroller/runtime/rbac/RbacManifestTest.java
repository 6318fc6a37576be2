package io.github.kubecontroller.runtime.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.Widget;
import io.github.kubecontroller.runtime.controller.WidgetCrd;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Yaml;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The YAML written for a policy: what it holds, its comments, and that it never changes for the same policy. */
class RbacManifestTest {

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

	private static final ControllerSpec<Widget> WIDGETS = ControllerSpec.builder("widgets", Widget.class)
		.finalizer("test.kubecontroller.io/cleanup")
		.owns(V1ConfigMap.class)
		.build();

	private static final ControllerSpec<V1ConfigMap> SETTINGS = ControllerSpec.builder("settings", V1ConfigMap.class)
		.namespaces(List.of("shop"))
		.watches(V1Secret.class, (secret) -> List.of())
		.build();

	private static RbacPolicy.Builder builder() {
		return RbacPolicy.builder(new ResourceDiscovery(emulator.apiClient()), emulator.apiClient());
	}

	@Test
	void writesTheServiceAccountTheRolesAndTheirBindingsWithWhyEachRuleIsThere() {
		RbacPolicy policy = builder().controller(WIDGETS).leaderElection("ops").build();

		String yaml = new RbacManifest("widget-operator", "widget-operator", "ops").yaml(policy);

		assertThat(yaml).isEqualTo("""
				# RBAC of widget-operator, generated from its controllers: the rules the runtime needs for them.
				# Reads and writes a reconciler makes on its own (kinds it neither owns nor watches) need rules of their own.
				---
				apiVersion: v1
				kind: ServiceAccount
				metadata:
				  name: widget-operator
				  namespace: ops
				---
				# ClusterRole widget-operator: every namespace and cluster-scoped kinds.
				#  core configmaps: create, list, patch, watch
				#    widgets: owns ConfigMap: caches it (list, watch) and applies it by server-side apply (create, patch)
				#  events.k8s.io events: create, patch
				#    widgets: records Events about Widget (create; patch to count repeats)
				#  test.kubecontroller.io widgets: get, list, patch, watch
				#    widgets: adds and removes its finalizer test.kubecontroller.io/cleanup by JSON patch (patch; get to read the object again after a conflict)
				#    widgets: caches Widget, its primary kind (list, watch)
				#  test.kubecontroller.io widgets/status: patch
				#    widgets: writes the status of Widget by server-side apply (patch)
				apiVersion: rbac.authorization.k8s.io/v1
				kind: ClusterRole
				metadata:
				  name: widget-operator
				rules:
				- apiGroups:
				  - ''
				  resources:
				  - configmaps
				  verbs:
				  - create
				  - list
				  - patch
				  - watch
				- apiGroups:
				  - events.k8s.io
				  resources:
				  - events
				  verbs:
				  - create
				  - patch
				- apiGroups:
				  - test.kubecontroller.io
				  resources:
				  - widgets
				  verbs:
				  - get
				  - list
				  - patch
				  - watch
				- apiGroups:
				  - test.kubecontroller.io
				  resources:
				  - widgets/status
				  verbs:
				  - patch
				---
				apiVersion: rbac.authorization.k8s.io/v1
				kind: ClusterRoleBinding
				metadata:
				  name: widget-operator
				roleRef:
				  kind: ClusterRole
				  apiGroup: rbac.authorization.k8s.io
				  name: widget-operator
				subjects:
				- kind: ServiceAccount
				  name: widget-operator
				  namespace: ops
				---
				# Role widget-operator in namespace ops.
				#  coordination.k8s.io leases: create, get, update
				#    leader election: holds a Lease (get, create, update)
				apiVersion: rbac.authorization.k8s.io/v1
				kind: Role
				metadata:
				  name: widget-operator
				  namespace: ops
				rules:
				- apiGroups:
				  - coordination.k8s.io
				  resources:
				  - leases
				  verbs:
				  - create
				  - get
				  - update
				---
				apiVersion: rbac.authorization.k8s.io/v1
				kind: RoleBinding
				metadata:
				  name: widget-operator
				  namespace: ops
				roleRef:
				  kind: Role
				  apiGroup: rbac.authorization.k8s.io
				  name: widget-operator
				subjects:
				- kind: ServiceAccount
				  name: widget-operator
				  namespace: ops
				""");
	}

	@Test
	void readsBackAsTheKubernetesObjectsItDescribes() throws Exception {
		RbacPolicy policy = builder().controller(WIDGETS).controller(SETTINGS).build();

		List<Object> objects = Yaml.loadAll(new RbacManifest("ops", "runner", "tools").yaml(policy));

		assertThat(objects).hasSize(5);
		assertThat(objects.get(0)).isInstanceOfSatisfying(V1ServiceAccount.class,
				(account) -> assertThat(account.getMetadata().getName()).isEqualTo("runner"));
		assertThat(objects.get(1)).isInstanceOfSatisfying(V1ClusterRole.class,
				(role) -> assertThat(role.getRules()).hasSize(policy.clusterRules().size()));
		assertThat(objects.get(2)).isInstanceOfSatisfying(V1ClusterRoleBinding.class, (binding) -> {
			assertThat(binding.getRoleRef().getName()).isEqualTo("ops");
			assertThat(binding.getSubjects()).singleElement()
				.satisfies((subject) -> assertThat(subject.getNamespace()).isEqualTo("tools"));
		});
		assertThat(objects.get(3)).isInstanceOfSatisfying(V1Role.class, (role) -> {
			assertThat(role.getMetadata().getNamespace()).isEqualTo("shop");
			// What the ClusterRole grants already (configmaps, events) is left out.
			assertThat(role.getRules()).extracting((rule) -> rule.getResources()).containsExactly(List.of("secrets"));
		});
		assertThat(objects.get(4)).isInstanceOfSatisfying(V1RoleBinding.class,
				(binding) -> assertThat(binding.getRoleRef().getKind()).isEqualTo("Role"));
	}

	@Test
	void theSameControllersInAnyOrderGiveTheSameText() {
		RbacManifest manifest = new RbacManifest("ops", "ops", "default");

		String one = manifest.yaml(builder().controller(WIDGETS).controller(SETTINGS).build());
		String other = manifest.yaml(builder().controllers(List.of(SETTINGS, WIDGETS)).build());

		assertThat(one).isEqualTo(other);
	}

	@Test
	void withoutRulesOnlyTheServiceAccountIsWritten() {
		String yaml = new RbacManifest("ops", "ops", "default").yaml(builder().build());

		assertThat(yaml).contains("kind: ServiceAccount").doesNotContain("Role");
	}

	@Test
	void namesMustBeKubernetesNames() {
		assertThatThrownBy(() -> new RbacManifest("Website Operator", "ops", "default"))
			.hasMessageContaining("\"Website Operator\" is not a valid Kubernetes name");
	}
}
