package io.github.kubecontroller.autoconfigure.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpoint;
import io.github.kubecontroller.autoconfigure.endpoint.KubeControllersEndpointAutoConfiguration;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.function.RouterFunction;

/** When the dashboard is served, where, and how it finds the endpoint. */
@ExtendWith(OutputCaptureExtension.class)
class KubeControllersDashboardAutoConfigurationTest {

	private static final String ROUTE = "kubeControllersDashboard";
	private static final String NOT_EXPOSED = "add kubecontrollers to management.endpoints.web.exposure.include";

	private static KubeApiEmulator emulator;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
					KubeControllersEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class, WebMvcAutoConfiguration.class,
					KubeControllersDashboardAutoConfiguration.class))
			.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl(),
					"management.endpoints.web.exposure.include=kubecontrollers");

	@Test
	void isOffByDefault(CapturedOutput output) {
		runner.run(context -> {
			assertThat(context).hasNotFailed().hasSingleBean(KubeControllersEndpoint.class).doesNotHaveBean(ROUTE)
					.doesNotHaveBean(EndpointNotExposedWarning.class);
			mvc(context).perform(get("/kubecontrollers")).andExpect(status().isNotFound());
		});
		assertThat(output).doesNotContain(NOT_EXPOSED);
	}

	@Test
	void servesTheSelfContainedPageWithTheEndpointsPath() {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true").run(context -> {
			assertThat(context).hasNotFailed().hasBean(ROUTE).doesNotHaveBean(EndpointNotExposedWarning.class);
			String html = mvc(context).perform(get("/kubecontrollers"))
					.andExpect(status().isOk())
					.andExpect(content().contentType("text/html;charset=UTF-8"))
					.andExpect(header().string("Cache-Control", "no-store"))
					.andExpect(header().string("Content-Security-Policy",
							allOf(containsString("default-src 'none'"),
									containsString("script-src 'sha256-"),
									containsString("connect-src 'self'"))))
					.andReturn().getResponse().getContentAsString();
			assertThat(html).contains("<meta name=\"kubecontrollers-endpoint\" content=\"/actuator/kubecontrollers\">")
					.doesNotContain(DashboardPage.ENDPOINT_PLACEHOLDER);
			// Self-contained: nothing is loaded from elsewhere, and data from the endpoint never becomes markup.
			assertThat(html).doesNotContain("src=", "href=\"http", "url(", "@import", "<link rel=\"stylesheet\"")
					.doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write");
		});
	}

	@Test
	void followsThePathPropertyTheActuatorsPathsAndTheContextPath() {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true", "kube.controller.dashboard.path=/ops/controllers",
				"management.endpoints.web.base-path=/manage",
				"management.endpoints.web.path-mapping.kubecontrollers=kc").run(context -> {
					MockMvc mvc = mvc(context);
					mvc.perform(get("/kubecontrollers")).andExpect(status().isNotFound());
					mvc.perform(get("/app/ops/controllers").contextPath("/app"))
							.andExpect(status().isOk())
							.andExpect(content().string(containsString(
									"<meta name=\"kubecontrollers-endpoint\" content=\"/app/manage/kc\">")));
				});
	}

	@Test
	void isNotServedWithoutTheEndpointExposedAndSaysOnceHowToExposeIt(CapturedOutput output) {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true",
				"management.endpoints.web.exposure.include=health").run(context -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE)
							.hasSingleBean(EndpointNotExposedWarning.class);
					mvc(context).perform(get("/kubecontrollers")).andExpect(status().isNotFound());
				});
		assertThat(output.getOut().split(Pattern.quote(NOT_EXPOSED), -1)).hasSize(2);
	}

	@Test
	void warnsThatThePageCannotReachAnActuatorOnItsOwnPort(CapturedOutput output) {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true", "management.server.port=18081")
				.run(context -> assertThat(context).hasNotFailed().hasBean(ROUTE));
		assertThat(output).contains("the actuator listens on management.server.port");
	}

	@Test
	void isNotServedWithoutControllersOrOutsideASpringMvcApplication() {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true", "kube.controller.enabled=false")
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE)
						.doesNotHaveBean(EndpointNotExposedWarning.class));
		runner.withPropertyValues("kube.controller.dashboard.enabled=true")
				.withClassLoader(new FilteredClassLoader(RouterFunction.class))
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE));
		new WebApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
						KubeControllersEndpointAutoConfiguration.class, WebMvcAutoConfiguration.class,
						KubeControllersDashboardAutoConfiguration.class))
				.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl(),
						"kube.controller.dashboard.enabled=true")
				.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE));
		new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(KubeControllerAutoConfiguration.class,
						KubeControllersEndpointAutoConfiguration.class, KubeControllersDashboardAutoConfiguration.class))
				.withPropertyValues("kube.controller.client.master-url=" + emulator.baseUrl(),
						"management.endpoints.web.exposure.include=kubecontrollers", "kube.controller.dashboard.enabled=true")
				.run(context -> assertThat(context).hasNotFailed().hasSingleBean(KubeControllersEndpoint.class)
						.doesNotHaveBean(ROUTE));
	}

	@Test
	void aPathWithoutLeadingSlashFailsTheStartWithTheProperty() {
		runner.withPropertyValues("kube.controller.dashboard.enabled=true", "kube.controller.dashboard.path=dashboard")
				.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
						.hasMessageContaining("kube.controller.dashboard.path must start with '/'"));
	}

	private static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).build();
	}
}
