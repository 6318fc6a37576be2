package io.github.kubecontroller.autoconfigure.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.rbac.PolicyRule;
import io.github.kubecontroller.runtime.rbac.RbacManifest;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.util.Yaml;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The RBAC bean, its settings, the endpoint, and controllers that do not start with the context. */
class RbacAutoConfigurationTest {

	private static KubeApiEmulator emulator;

	@BeforeAll
	static void startEmulator() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		try (InputStreamReader crd = new InputStreamReader(RbacAutoConfigurationTest.class
			.getResourceAsStream("/crds/gizmos.test.kubecontroller.io.yaml"), StandardCharsets.UTF_8)) {
			new ApiextensionsV1Api(emulator.apiClient())
				.createCustomResourceDefinition(Yaml.loadAs(crd, V1CustomResourceDefinition.class)).execute();
		}
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
				KubeControllerRbacAutoConfiguration.class))
		.withBean(GizmoReconciler.class)
		.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl(),
				"management.endpoints.web.exposure.include=kuberbac");

	@Test
	void rulesOfTheControllersAreNamedAfterTheApplication() {
		runner.withPropertyValues("spring.application.name=gizmo-operator").run((context) -> {
			KubeControllersRbac rbac = context.getBean(KubeControllersRbac.class);

			assertThat(rbac.manifest()).isEqualTo(new RbacManifest("gizmo-operator", "gizmo-operator", "default"));
			assertThat(rbac.policy().clusterRules()).containsExactly(
					PolicyRule.of("", List.of("configmaps"), List.of("create", "list", "patch", "watch")),
					PolicyRule.of("events.k8s.io", List.of("events"), List.of("create", "patch")),
					PolicyRule.of("test.kubecontroller.io", List.of("gizmos"), List.of("get", "list", "patch", "watch")),
					PolicyRule.of("test.kubecontroller.io", List.of("gizmos/status"), List.of("patch")));
			assertThat(context.getBean(KubeRbacEndpoint.class).manifest()).isEqualTo(rbac.yaml())
				.contains("kind: ClusterRole\nmetadata:\n  name: gizmo-operator\n");
		});
	}

	@Test
	void namesEventsAndExtraRulesComeFromTheSettings() {
		runner.withPropertyValues("kube.controller.rbac.name=gizmos", "kube.controller.rbac.service-account=runner",
				"kube.controller.rbac.service-account-namespace=ops", "kube.controller.rbac.events=false",
				"kube.controller.rbac.extra-rules[0].resources=secrets",
				"kube.controller.rbac.extra-rules[0].verbs=get",
				"kube.controller.rbac.extra-rules[0].namespaces=vault,ops",
				"kube.controller.rbac.extra-rules[1].api-groups=apps",
				"kube.controller.rbac.extra-rules[1].resources=deployments,statefulsets",
				"kube.controller.rbac.extra-rules[1].verbs=list").run((context) -> {
					KubeControllersRbac rbac = context.getBean(KubeControllersRbac.class);

					assertThat(rbac.manifest()).isEqualTo(new RbacManifest("gizmos", "runner", "ops"));
					assertThat(rbac.policy().clusterRules())
						.contains(PolicyRule.of("apps", List.of("deployments", "statefulsets"), List.of("list")))
						.noneMatch((rule) -> rule.apiGroups().contains("events.k8s.io"));
					PolicyRule secrets = PolicyRule.of("", List.of("secrets"), List.of("get"));
					assertThat(rbac.policy().namespaceRules())
						.isEqualTo(Map.of("ops", List.of(secrets), "vault", List.of(secrets)));
					assertThat(rbac.policy().reasons("vault", secrets))
						.containsExactly("added by kube.controller.rbac.extra-rules[0]");
				});
	}

	@Test
	void anApplicationNameThatIsNoKubernetesNameFailsOnlyTheManifest() {
		runner.withPropertyValues("spring.application.name=Gizmo Operator").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThatThrownBy(() -> context.getBean(KubeControllersRbac.class).yaml())
				.hasMessageContaining("\"Gizmo Operator\" is not a valid Kubernetes name")
				.hasMessageContaining("set kube.controller.rbac.name");
		});
	}

	@Test
	void withoutANameTheRolesAreCalledKubeController() {
		runner.run((context) -> assertThat(context.getBean(KubeControllersRbac.class).manifest())
			.isEqualTo(new RbacManifest("kube-controller", "kube-controller", "default")));
	}

	@Test
	void theEndpointNeedsTheActuatorAndToBeExposedAndServesYaml() throws Exception {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KubeControllersRbac.class)
				.doesNotHaveBean(KubeRbacEndpoint.class));
		runner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KubeRbacEndpoint.class));
		runner.withPropertyValues("kube.controller.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KubeControllersRbac.class)
				.doesNotHaveBean(KubeRbacEndpoint.class));
		Method read = KubeRbacEndpoint.class.getMethod("manifest");
		assertThat(read.getAnnotation(ReadOperation.class).produces()).containsExactly("application/yaml");
	}

	@Test
	void controllersStartWithTheContextUnlessAutoStartupIsOff() {
		runner.run((context) -> {
			KubeControllers controllers = context.getBean(KubeControllers.class);
			assertThat(controllers.isAutoStartup()).isTrue();
			assertThat(controllers.controllers()).extracting(Controller::state).containsExactly(Controller.State.RUNNING);
		});
		runner.withPropertyValues("kube.controller.auto-startup=false").run((context) -> {
			KubeControllers controllers = context.getBean(KubeControllers.class);
			assertThat(controllers.isAutoStartup()).isFalse();
			assertThat(controllers.isRunning()).isFalse();
			assertThat(controllers.controllers()).extracting(Controller::state).containsExactly(Controller.State.NEW);
			// Its rules can be read all the same.
			assertThat(context.getBean(KubeControllersRbac.class).policy().clusterRules()).isNotEmpty();
		});
	}
}
