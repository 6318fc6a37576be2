package io.github.kubecontroller.autoconfigure.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the application runs on the embedded emulator, and when it must not. */
class EmbeddedEmulatorAutoConfigurationTest {

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return embeddedOnly().withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class));
	}

	/** The embedded emulator's auto-configuration alone: its condition, without a client made from settings. */
	private ApplicationContextRunner embeddedOnly() {
		// Nothing of this machine may point at a cluster: an empty home, no KUBECONFIG, not in a pod.
		return new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(EmbeddedEmulatorAutoConfiguration.class))
				.withPropertyValues("user.home=" + temp.resolve("home"), "KUBECONFIG=", "KUBERNETES_SERVICE_HOST=",
						"kube.controller.embedded.kubeconfig=" + temp.resolve("kubeconfig"));
	}

	@Test
	void withNoClusterConfiguredTheApplicationRunsOnTheEmbeddedEmulator() {
		runner().run(context -> {
			assertThat(context).hasNotFailed();
			EmbeddedEmulator embedded = context.getBean(EmbeddedEmulator.class);
			ApiClient client = context.getBean(ApiClient.class);
			assertThat(client.getBasePath()).isEqualTo(embedded.emulator().baseUrl());
			assertThat(new CoreV1Api(client).listNamespace().execute().getItems()).isNotEmpty();
			// CRDs from classpath*:crds/*.yaml are installed
			assertThat(embedded.installedCrds()).contains("gizmos.test.kubecontroller.io");
			assertThat(new ApiextensionsV1Api(client).readCustomResourceDefinition("gizmos.test.kubecontroller.io")
					.execute().getSpec().getNames().getKind()).isEqualTo("Gizmo");
			// a kubeconfig kubectl can use
			assertThat(embedded.kubeconfig()).isEqualTo(temp.resolve("kubeconfig").toAbsolutePath());
			assertThat(Files.readString(embedded.kubeconfig())).contains(embedded.emulator().baseUrl());
		});
	}

	@Test
	void aConfiguredClusterWins() {
		runner().withPropertyValues("kube.controller.client.master-url=https://cluster.example:6443")
				.run(context -> {
					assertThat(context).doesNotHaveBean(EmbeddedEmulator.class);
					assertThat(context.getBean(ApiClient.class).getBasePath()).isEqualTo("https://cluster.example:6443");
				});
		embeddedOnly().withPropertyValues("KUBECONFIG=/somewhere/kubeconfig")
				.run(context -> assertThat(context).doesNotHaveBean(EmbeddedEmulator.class));
		embeddedOnly().withPropertyValues("KUBERNETES_SERVICE_HOST=10.0.0.1")
				.run(context -> assertThat(context).doesNotHaveBean(EmbeddedEmulator.class));
	}

	@Test
	void aKubeconfigInTheHomeDirectoryWins() throws Exception {
		Files.createDirectories(temp.resolve("home/.kube"));
		Files.writeString(temp.resolve("home/.kube/config"), "apiVersion: v1\nkind: Config\n");
		embeddedOnly().run(context -> assertThat(context).doesNotHaveBean(EmbeddedEmulator.class));
	}

	@Test
	void explicitSettingsDecide() {
		runner().withPropertyValues("kube.controller.embedded.enabled=true",
				"kube.controller.client.master-url=https://cluster.example:6443")
				.run(context -> assertThat(context).hasSingleBean(EmbeddedEmulator.class));
		runner().withPropertyValues("kube.controller.embedded.enabled=false",
				"kube.controller.client.master-url=https://cluster.example:6443")
				.run(context -> assertThat(context).doesNotHaveBean(EmbeddedEmulator.class));
	}

	@Test
	void withoutTheEmulatorOnTheClassPathNothingIsEmbedded() {
		runner().withClassLoader(new FilteredClassLoader("io.github.kubecontroller.emulator"))
				.withPropertyValues("kube.controller.client.master-url=https://cluster.example:6443")
				.run(context -> assertThat(context).doesNotHaveBean(EmbeddedEmulator.class));
	}

	@Test
	void aFileThatIsNotACrdFailsTheStartUpNamingIt() {
		runner().withPropertyValues("kube.controller.embedded.crds=classpath:not-crds/config-map.yaml").run(context -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root.getMessage()).contains("kube.controller.embedded.crds")
					.contains("config-map.yaml")
					.contains("holds a ConfigMap");
		});
	}
}
