package io.github.kubecontroller.autoconfigure.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;

/** The build-time export: an application booted on the embedded emulator, its manifest written, nothing started. */
class RbacManifestExportTest {

	@TempDir
	Path directory;

	@Test
	void writesTheManifestOfAnApplicationWhoseKindsComeFromItsCrdFiles() throws Exception {
		Path output = directory.resolve("deploy/rbac.yaml");

		// A master URL nobody serves: the export must run on the embedded emulator all the same.
		RbacManifestExport.main(new String[] { GizmoApplication.class.getName(), output.toString(),
				"--spring.application.name=gizmo-operator", "--kube.controller.client.master-url=https://192.0.2.1:6443" });

		String yaml = Files.readString(output);
		assertThat(yaml).startsWith("# RBAC of gizmo-operator")
			.contains("kind: ClusterRole\nmetadata:\n  name: gizmo-operator\n")
			.contains("  - gizmos/status\n")
			.contains("#    gizmo: owns ConfigMap:");
		assertThat(GizmoApplication.started).isFalse();
	}

	@Test
	void sameApplicationSameText() throws Exception {
		assertThat(RbacManifestExport.export(GizmoApplication.class))
			.isEqualTo(RbacManifestExport.export(GizmoApplication.class));
	}

	@Test
	void anUnknownApplicationClassIsNamed() {
		assertThatThrownBy(() -> RbacManifestExport.main(new String[] { "com.example.Missing", "rbac.yaml" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("RBAC export: the application class com.example.Missing is not on the class path");
		assertThatThrownBy(() -> RbacManifestExport.main(new String[] { "com.example.Missing" }))
			.hasMessageStartingWith("Usage: RbacManifestExport <application class> <output file>");
	}

	@Test
	void anApplicationThatDoesNotStartIsReportedWithTheReason() {
		assertThatThrownBy(() -> RbacManifestExport.export(GizmoApplication.class, "--kube.controller.typo=1"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith("RBAC export: " + GizmoApplication.class.getName() + " did not start on the"
					+ " embedded API server emulator: ")
			.hasMessageContaining("kube.controller.typo");
	}

	/** An application with one controller; it records whether its controllers were started. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GizmoApplication {

		static volatile boolean started;

		@Bean
		GizmoReconciler gizmoReconciler() {
			return new GizmoReconciler();
		}

		// Runs after the controllers' phase: they would be running by then had they been started.
		@Bean
		SmartLifecycle startWatcher(KubeControllers controllers) {
			return new SmartLifecycle() {

				@Override
				public void start() {
					started |= controllers.controllers().stream().anyMatch((controller) -> controller.state() != Controller.State.NEW);
				}

				@Override
				public void stop() {
				}

				@Override
				public boolean isRunning() {
					return false;
				}
			};
		}
	}
}
