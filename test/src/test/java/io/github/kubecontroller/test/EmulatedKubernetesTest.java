package io.github.kubecontroller.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.autoconfigure.embedded.EmbeddedEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A Spring Boot test on an emulator of its own: the application's client points at it even when a cluster is
 * configured, CRDs from the class path are installed, and a reconciler's work can be awaited.
 */
@SpringBootTest(classes = GreeterApplication.class,
		properties = "kube.controller.client.master-url=http://127.0.0.1:1")
@EmulatedKubernetes
class EmulatedKubernetesTest {

	@Autowired
	EmulatedCluster cluster;

	@Autowired
	ApiClient client;

	@Autowired
	EmbeddedEmulator embedded;

	@Test
	void theApplicationTalksToTheEmulatorNotTheConfiguredCluster() {
		assertThat(this.client.getBasePath()).isEqualTo(this.cluster.emulator().baseUrl());
		assertThat(this.cluster.emulator()).isSameAs(this.embedded.emulator());
		assertThat(this.embedded.kubeconfig().toString()).contains("target");
	}

	@Test
	void customResourceDefinitionsOfTheClassPathAreInstalled() {
		assertThat(this.embedded.installedCrds()).contains("gadgets.test.kubecontroller.io");
		DynamicKubernetesObject gadget = this.cluster.apply("""
				apiVersion: test.kubecontroller.io/v1
				kind: Gadget
				metadata: {name: installed, namespace: default}
				""").get(0);
		assertThat(gadget.getMetadata().getUid()).isNotBlank();
	}

	@Test
	void theReconcilersWorkCanBeAwaited() {
		long writesBefore = this.cluster.writes("configmaps");
		this.cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: world
				  namespace: default
				  labels: {app: greeter}
				data: {name: world}
				""");

		V1ConfigMap greeting = this.cluster.awaitCondition(V1ConfigMap.class, "default", "world-greeting",
				(configMap) -> "hello world".equals(configMap.getData().get("greeting")));
		assertThat(greeting.getData()).containsOnlyKeys("greeting");
		// The test's apply and the reconciler's at least.
		assertThat(this.cluster.writes("configmaps")).isGreaterThanOrEqualTo(writesBefore + 2);

		this.cluster.apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: world, namespace: default, labels: {app: greeter}}
				data: {name: everyone}
				""");
		this.cluster.awaitCondition(V1ConfigMap.class, "default", "world-greeting",
				(configMap) -> "hello everyone".equals(configMap.getData().get("greeting")));
	}

}
