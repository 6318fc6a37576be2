package io.github.kubecontroller.test;

import io.github.kubecontroller.autoconfigure.embedded.EmbeddedEmulator;
import io.kubernetes.client.openapi.ApiClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Turns the embedded emulator on for a test context, whatever else is configured, and registers the
 * {@link EmulatedCluster} bean, which also checks that every {@code ApiClient} bean points at the emulator. Equal for
 * equal settings, so that Spring's context cache shares one context (and one emulator) between such tests.
 */
final class EmulatedKubernetesContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "emulatedCluster";

	/** Numbers the kubeconfig files of the contexts of one JVM. */
	private static final AtomicInteger contexts = new AtomicInteger();

	private final List<String> crds;

	EmulatedKubernetesContextCustomizer(List<String> crds) {
		this.crds = List.copyOf(crds);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("kube.controller.embedded.enabled", "true");
		properties.put("kube.controller.embedded.port", "0");
		properties.put("kube.controller.embedded.kubeconfig", "target/kube-controller-test/kubeconfig-"
				+ ProcessHandle.current().pid() + "-" + contexts.incrementAndGet());
		properties.put("kube.controller.embedded.crds", String.join(",", this.crds));
		// First: these win over the test's and the application's own properties.
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("emulatedKubernetes", properties));
		if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
			ConfigurableListableBeanFactory beans = context.getBeanFactory();
			// Not lazy: made before any lifecycle starts, so controllers never start on a client it would refuse.
			RootBeanDefinition definition = new RootBeanDefinition(EmulatedCluster.class, () -> cluster(beans));
			registry.registerBeanDefinition(BEAN_NAME, definition);
		}
	}

	private static EmulatedCluster cluster(ConfigurableListableBeanFactory beans) {
		EmbeddedEmulator embedded;
		try {
			embedded = beans.getBean(EmbeddedEmulator.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new IllegalStateException("@EmulatedKubernetes found no embedded emulator: the test's context needs"
					+ " auto-configuration (@SpringBootApplication or @EnableAutoConfiguration)", ex);
		}
		String emulatorUrl = embedded.emulator().baseUrl();
		beans.getBeansOfType(ApiClient.class, false, false).forEach((name, client) -> {
			if (!sameServer(client.getBasePath(), emulatorUrl)) {
				throw new IllegalStateException("@EmulatedKubernetes: the ApiClient bean '" + name + "' points at "
						+ client.getBasePath() + ", not at the emulator (" + emulatorUrl + "); a test must never reach"
						+ " a real cluster: build that client from EmbeddedEmulator.emulator().apiClient() in tests");
			}
		});
		return EmulatedCluster.of(embedded.emulator());
	}

	private static boolean sameServer(String basePath, String emulatorUrl) {
		return strip(basePath).equals(strip(emulatorUrl));
	}

	private static String strip(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof EmulatedKubernetesContextCustomizer customizer && customizer.crds.equals(this.crds);
	}

	@Override
	public int hashCode() {
		return this.crds.hashCode();
	}

}
