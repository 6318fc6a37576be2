package io.github.kubecontroller.runtime.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A controller that cannot start says why: a kind that is not served, a cache that cannot be filled. */
class ControllerStartupTest {

	@Nested
	class WithoutTheCustomResourceDefinition {

		@RegisterExtension
		final EmulatedCluster cluster = EmulatedCluster.withoutWidgetCrd();

		@Test
		void startNamesTheKindAndItsCustomResourceDefinition() {
			Controller<Widget> controller = cluster.controller(ControllerSpec.builder("widgets", Widget.class).build(),
					(widget, context) -> Result.done());

			assertThatThrownBy(controller::start).isInstanceOf(ResourceNotFoundException.class)
					.hasMessageContaining("Controller 'widgets'")
					.hasMessageContaining("Widget (test.kubecontroller.io/v1)")
					.hasMessageContaining("CustomResourceDefinition installed")
					.hasMessageContaining("widgets.test.kubecontroller.io");
			assertThat(controller.state()).isEqualTo(Controller.State.FAILED);
		}
	}

	@Nested
	class WithAForbiddenList {

		@RegisterExtension
		final EmulatedCluster cluster = new EmulatedCluster();

		@Test
		void awaitingTheCachesNamesTheResourceAndTheRefusal() {
			cluster.emulator().faults().add(Fault.matching(RequestMatch.any().verbs("list", "watch")
					.resource("test.kubecontroller.io", "widgets")).status(403).build());
			Controller<Widget> controller = cluster.controller(ControllerSpec.builder("widgets", Widget.class)
					.syncTimeout(Duration.ofSeconds(2)).build(), (widget, context) -> Result.done());
			controller.start();

			assertThatThrownBy(controller::awaitCachesSynced).isInstanceOf(CacheSyncException.class)
					.hasMessageContaining("Controller 'widgets'")
					.hasMessageContaining("widgets.test.kubecontroller.io")
					.hasMessageContaining("403");
			assertThat(controller.state()).isEqualTo(Controller.State.FAILED);
			assertThatThrownBy(controller::startWorkers).isInstanceOf(IllegalStateException.class);
		}
	}
}
