package io.github.kubecontroller.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.embedded.EmbeddedEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample operator on its embedded emulator: children, status, spec changes, finalizer with a failing cleanup. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"kube.controller.embedded.enabled=true", "kube.controller.embedded.kubeconfig=target/test-kubeconfig",
		"kube.controller.reconcilers.website.backoff-cap=1s" })
class WebsiteOperatorTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@Autowired
	EmbeddedEmulator embedded;

	@Autowired
	ApiClient client;

	@Autowired
	WebsiteRegistry registry;

	private GenericKubernetesApi<Website, WebsiteList> websites;

	@BeforeEach
	void setUp() {
		websites = new GenericKubernetesApi<>(Website.class, WebsiteList.class, "demo.kubecontroller.io", "v1",
				"websites", client);
	}

	@Test
	void theDemoWebsitesAreReconciledOnStart() {
		for (String name : new String[] { "blog", "docs", "shop" }) {
			await().atMost(DEADLINE).until(() -> isReady(get("default", name), 1));
			assertThat(registry.sites()).contains("default/" + name);
		}
	}

	@Test
	void aWebsiteGetsItsChildrenAndOneStatusWritePerSpecChange() throws Exception {
		String namespace = namespace("lifecycle");
		embedded.emulator().audit().keepRequests(10_000);
		websites.create(website(namespace, "site", "<p>v1</p>", 2)).throwsApiException();
		await().atMost(DEADLINE).until(() -> isReady(get(namespace, "site"), 1));
		CoreV1Api core = new CoreV1Api(client);
		assertThat(core.readNamespacedConfigMap("site-content", namespace).execute().getData())
				.containsEntry("index.html", "<p>v1</p>");
		V1Deployment deployment = new AppsV1Api(client).readNamespacedDeployment("site", namespace).execute();
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
		assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
				.satisfies(owner -> assertThat(owner.getName()).isEqualTo("site"));

		Website current = get(namespace, "site");
		websites.update(website(namespace, "site", "<p>v2</p>", 3).metadata(current.getMetadata())).throwsApiException();
		await().atMost(DEADLINE).until(() -> isReady(get(namespace, "site"), 2));
		await().atMost(DEADLINE).until(() -> new AppsV1Api(client).readNamespacedDeployment("site", namespace)
				.execute().getSpec().getReplicas() == 3);
		assertThat(core.readNamespacedConfigMap("site-content", namespace).execute().getData())
				.containsEntry("index.html", "<p>v2</p>");
		// Children's own events requeue the website, yet the status is written once per generation.
		long statusWrites = embedded.emulator().audit().requests().stream()
				.filter(event -> event.request().verb().equals("patch")
						&& event.request().resource().equals("websites")
						&& "status".equals(event.request().subresource())
						&& namespace.equals(event.request().namespace()))
				.count();
		assertThat(statusWrites).isEqualTo(2);
	}

	@Test
	void aFailingCleanupKeepsTheFinalizerUntilItSucceeds() throws Exception {
		String namespace = namespace("cleanup");
		websites.create(website(namespace, "doomed", "<p>bye</p>", 1)).throwsApiException();
		await().atMost(DEADLINE).until(() -> isReady(get(namespace, "doomed"), 1));
		registry.failRemovals(true);
		try {
			websites.delete(namespace, "doomed").throwsApiException();
			await().atMost(DEADLINE).until(() -> get(namespace, "doomed").getMetadata().getDeletionTimestamp() != null);
			// The cleanup fails and is retried: the object stays, with the finalizer, and the registry keeps it.
			await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> get(namespace, "doomed") != null);
			assertThat(registry.sites()).contains(namespace + "/doomed");
		} finally {
			registry.failRemovals(false);
		}
		await().atMost(DEADLINE).until(() -> get(namespace, "doomed") == null);
		assertThat(registry.sites()).doesNotContain(namespace + "/doomed");
	}

	private String namespace(String name) throws Exception {
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
		return name;
	}

	private static Website website(String namespace, String name, String content, int replicas) {
		return new Website().metadata(new V1ObjectMeta().namespace(namespace).name(name))
				.spec(new Website.Spec(content, replicas));
	}

	private Website get(String namespace, String name) {
		var response = websites.get(namespace, name);
		return response.isSuccess() ? response.getObject() : null;
	}

	private static boolean isReady(Website website, long generation) {
		return website != null && website.getStatus() != null
				&& Long.valueOf(generation).equals(website.getStatus().getObservedGeneration())
				&& website.getStatus().getConditions().stream()
						.anyMatch(condition -> condition.getType().equals("Ready") && condition.getStatus().equals("True"));
	}
}
