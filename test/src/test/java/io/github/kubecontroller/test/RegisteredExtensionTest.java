package io.github.kubecontroller.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension on a static field: a configured emulator, read through the field. */
class RegisteredExtensionTest {

	@RegisterExtension
	static KubeApiEmulatorExtension kube = new KubeApiEmulatorExtension((builder) -> builder.streamingLists(false));

	@Test
	void theFieldGivesTheRunningEmulatorAndItsCluster(KubeApiEmulator emulator) {
		assertThat(kube.emulator()).isSameAs(emulator);
		assertThat(kube.client().getBasePath()).isEqualTo(emulator.baseUrl());
		kube.cluster().apply("""
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: registered}
				""");
		assertThat(kube.cluster().get(V1ConfigMap.class, "default", "registered")).isPresent();
	}

	@Test
	void outsideTheClassTheFieldSaysSo() {
		KubeApiEmulatorExtension unused = new KubeApiEmulatorExtension();
		assertThatThrownBy(unused::cluster).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("only while the tests of the class run");
	}

}
