package com.example.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.EmulatedKubernetes;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator's Deployment manifest ({@code deploy/operator.yaml}) is one the API server accepts, and its probes
 * point at endpoints the running application answers on the container port it declares.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmulatedKubernetes
class DeployManifestTest {

	private static final Path MANIFEST = Path.of("deploy", "operator.yaml");

	@Autowired
	EmulatedCluster cluster;

	@LocalServerPort
	int port;

	@Test
	void theApiServerAcceptsTheManifest() throws IOException {
		cluster.apply(Files.readString(MANIFEST));

		assertThat(cluster.get(V1Deployment.class, "default", "expose-operator")).isPresent();
	}

	@Test
	void theDeploymentRunsAsTheServiceAccountOfTheGeneratedRbac() throws IOException {
		Path rbac = Path.of("target", "kube-controller", "rbac.yaml");
		V1ServiceAccount account = Yaml.loadAll(Files.readString(rbac)).stream()
			.filter(V1ServiceAccount.class::isInstance).map(V1ServiceAccount.class::cast).findFirst().orElseThrow();

		V1Deployment deployment = manifest();
		assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
			.isEqualTo(account.getMetadata().getName());
		assertThat(deployment.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
	}

	@Test
	void everyProbeAnswersUpOnTheDeclaredPort() throws Exception {
		V1Container container = manifest().getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(container.getPorts().get(0).getContainerPort()).as("the application's default server.port")
				.isEqualTo(8080);
		List<V1HTTPGetAction> probes = List.of(container.getStartupProbe().getHttpGet(),
				container.getLivenessProbe().getHttpGet(), container.getReadinessProbe().getHttpGet());
		HttpClient http = HttpClient.newHttpClient();
		for (V1HTTPGetAction probe : probes) {
			assertThat(probe.getPort().getStrValue()).isEqualTo(container.getPorts().get(0).getName());
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + probe.getPath())).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(probe.getPath() + ": " + response.body()).isEqualTo(200);
		}
	}

	private static V1Deployment manifest() throws IOException {
		return Yaml.loadAs(Files.readString(MANIFEST), V1Deployment.class);
	}
}
