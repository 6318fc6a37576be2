package io.github.kubecontroller.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The one-annotation form: an emulator of its own, and the attributes reach Spring Boot's test support. */
@KubeControllerTest(classes = GreeterApplication.class, properties = "greeting.test=one-annotation")
class KubeControllerTestAnnotationTest {

	@Autowired
	EmulatedCluster cluster;

	@Autowired
	ApiClient client;

	@Value("${greeting.test}")
	String property;

	@Test
	void startsTheApplicationOnAnEmulatorOfItsOwn() {
		assertThat(this.client.getBasePath()).isEqualTo(this.cluster.emulator().baseUrl());
		assertThat(this.property).isEqualTo("one-annotation");
	}
}
