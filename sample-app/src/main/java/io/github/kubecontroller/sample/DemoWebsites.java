package io.github.kubecontroller.sample;

import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.github.kubecontroller.autoconfigure.embedded.EmbeddedEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * On the embedded emulator, creates a few Websites to watch being reconciled and prints where to look.
 */
@Component
class DemoWebsites implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoWebsites.class);

	private final ObjectProvider<EmbeddedEmulator> embedded;
	private final ApiClient client;
	private final ApplicationContext context;

	DemoWebsites(ObjectProvider<EmbeddedEmulator> embedded, ApiClient client, ApplicationContext context) {
		this.embedded = embedded;
		this.client = client;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) throws ApiException {
		EmbeddedEmulator emulator = embedded.getIfAvailable();
		if (emulator == null) {
			return;
		}
		GenericKubernetesApi<Website, WebsiteList> websites = new GenericKubernetesApi<>(Website.class,
				WebsiteList.class, "demo.kubecontroller.io", "v1", "websites", client);
		for (String name : List.of("blog", "docs", "shop")) {
			Website website = new Website()
					.metadata(new V1ObjectMeta().namespace("default").name(name))
					.spec(new Website.Spec("<h1>Welcome to " + name + "</h1>", 1));
			websites.create(website).throwsApiException();
		}
		if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			int port = web.getWebServer().getPort();
			log.info("actuator: http://localhost:{}/actuator/kubecontrollers", port);
			KubeControllerProperties.Dashboard dashboard = context.getBean(KubeControllerProperties.class).getDashboard();
			if (dashboard.isEnabled()) {
				log.info("dashboard: http://localhost:{}{}", port, dashboard.getPath());
			}
		}
		log.info("try: kubectl --kubeconfig {} get websites -w", emulator.kubeconfig());
	}
}
