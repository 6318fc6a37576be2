package io.github.kubecontroller.benchmarks.contender.runtime;

import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.benchmarks.contender.ControlChannel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Contender (a) of the peers benchmark: a Spring Boot application (no web server) on this project's starter with one
 * {@code @Reconciler}, {@link BenchReconciler} or {@link ConfigMapReconciler} as {@code bench.kind} says (or
 * {@link ConfigMapMetadataWatch} in its place with {@code bench.configmap.metadata-only=true}).
 *
 * <p>The benchmark's settings become the runtime's properties as defaults; any {@code kube.controller.*} system
 * property given to the JVM (the benchmark's runtime variants) wins over them. Ready is when
 * {@link SpringApplication#run} returns: the controllers start within the context's refresh, after every cache has
 * synced, and their workers run.
 */
@SpringBootApplication
public class RuntimeContender {

	public static void main(String[] args) {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		String controller = settings.kind().name().toLowerCase(Locale.ROOT);
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.main.banner-mode", "off");
		// bench.controller picks the bean: the controller of bench.kind or, for the memory scenarios' metadata-only
		// variant, a metadata-only informer on ConfigMaps in its place.
		boolean metadataOnly = Boolean.getBoolean("bench.configmap.metadata-only");
		defaults.put("bench.controller", metadataOnly ? "configmap-metadata" : controller);
		defaults.put("kube.controller.client.master-url", settings.masterUrl());
		defaults.put("kube.controller.client.token", settings.token());
		defaults.put("kube.controller.embedded.enabled", "false");
		if (!metadataOnly) {
			defaults.put("kube.controller.reconcilers." + controller + ".concurrency", settings.concurrency());
		}
		if (settings.resyncRequested() && !metadataOnly) {
			defaults.put("kube.controller.reconcilers." + controller + ".resync-period",
					settings.resync().toSeconds() + "s");
		}
		SpringApplication application = new SpringApplication(RuntimeContender.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(defaults);
		ConfigurableApplicationContext context = application.run(args);
		ControlChannel.ready("runtime");
		ControlChannel.serve(context::close);
	}
}
