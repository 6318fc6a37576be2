package com.example.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.KubeControllerTest;
import io.kubernetes.client.openapi.models.V1Service;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@KubeControllerTest
class ExposeReconcilerTest {

	@Autowired
	EmulatedCluster cluster;

	@Test
	void exposesLabelledDeployments() {
		cluster.apply("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: hello, namespace: default, labels: {expose: "true"}}
				spec:
				  selector: {matchLabels: {app: hello}}
				  template:
				    metadata: {labels: {app: hello}}
				    spec: {containers: [{name: hello, image: nginx, ports: [{containerPort: 8080}]}]}
				""");

		V1Service service = cluster.awaitCondition(V1Service.class, "default", "hello", created -> true);

		assertThat(service.getSpec().getSelector()).containsEntry("app", "hello");
		assertThat(service.getSpec().getPorts().get(0).getTargetPort().getIntValue()).isEqualTo(8080);
	}
}
