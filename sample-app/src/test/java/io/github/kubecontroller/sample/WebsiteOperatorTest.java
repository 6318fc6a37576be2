package io.github.kubecontroller.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.EmulatedKubernetes;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The sample operator on an emulated cluster: the demo websites, children and status, spec changes, a finalizer
 * with a failing cleanup, and convergence while the API server throttles writes and drops watches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "kube.controller.reconcilers.website.backoff-cap=1s")
@EmulatedKubernetes
class WebsiteOperatorTest {

	@Autowired
	EmulatedCluster cluster;

	@Autowired
	WebsiteRegistry registry;

	@Test
	void theDemoWebsitesAreReconciledOnStart() {
		for (String name : List.of("blog", "docs", "shop")) {
			this.cluster.awaitCondition(Website.class, "default", name, (website) -> isReady(website, 1));
			assertThat(this.registry.sites()).contains("default/" + name);
		}
	}

	@Test
	void aWebsiteGetsItsChildrenAndOneStatusWritePerSpecChange() {
		String namespace = namespace("lifecycle");
		this.cluster.audit().keepRequests(10_000);
		Website created = this.cluster.apply(website(namespace, "site", "<p>v1</p>", 2));
		this.cluster.awaitReconciled(created);
		assertThat(this.cluster.get(V1ConfigMap.class, namespace, "site-content")).hasValueSatisfying(
				(content) -> assertThat(content.getData()).containsEntry("index.html", "<p>v1</p>"));
		V1Deployment deployment = this.cluster.get(V1Deployment.class, namespace, "site").orElseThrow();
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
		assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
			.satisfies((owner) -> assertThat(owner.getName()).isEqualTo("site"));

		Website changed = this.cluster.apply(website(namespace, "site", "<p>v2</p>", 3));
		assertThat(this.cluster.awaitReconciled(changed)).satisfies((website) -> assertThat(isReady(website, 2)).isTrue());
		this.cluster.awaitCondition(V1Deployment.class, namespace, "site",
				(site) -> site.getSpec().getReplicas() == 3);
		assertThat(this.cluster.get(V1ConfigMap.class, namespace, "site-content")).hasValueSatisfying(
				(content) -> assertThat(content.getData()).containsEntry("index.html", "<p>v2</p>"));
		// Children's own events requeue the website, yet the status is written once per generation.
		long statusWrites = this.cluster.audit().requests().stream()
			.filter((event) -> event.request().verb().equals("patch")
					&& event.request().resource().equals("websites")
					&& "status".equals(event.request().subresource())
					&& namespace.equals(event.request().namespace()))
			.count();
		assertThat(statusWrites).isEqualTo(2);
	}

	@Test
	void aFailingCleanupKeepsTheFinalizerUntilItSucceeds() {
		String namespace = namespace("cleanup");
		Website doomed = this.cluster.awaitReconciled(this.cluster.apply(website(namespace, "doomed", "<p>bye</p>", 1)));
		this.registry.failRemovals(true);
		try {
			this.cluster.delete(doomed);
			this.cluster.awaitCondition(Website.class, namespace, "doomed",
					(website) -> website.getMetadata().getDeletionTimestamp() != null);
			// The cleanup fails and is retried: the object stays, with the finalizer, and the registry keeps it.
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
				.until(() -> this.cluster.get(Website.class, namespace, "doomed")
					.map((website) -> website.getMetadata().getFinalizers().contains("demo.kubecontroller.io/registry"))
					.orElse(false));
			assertThat(this.registry.sites()).contains(namespace + "/doomed");
		}
		finally {
			this.registry.failRemovals(false);
		}
		this.cluster.awaitDeleted(doomed);
		assertThat(this.registry.sites()).doesNotContain(namespace + "/doomed");
	}

	@Test
	void websitesConvergeWhileWritesAreThrottledAndWatchesAreCutAndCompacted() {
		String namespace = namespace("faults");
		List<String> names = List.of("a", "b", "c", "d", "e");
		for (String name : names) {
			this.cluster.awaitReconciled(this.cluster.apply(website(namespace, name, "<p>v1</p>", 1)));
		}
		// Half of the status writes and a third of the Deployment writes in this namespace: 429, Retry-After 1s.
		Fault throttledStatus = this.cluster.faults().add(Fault.matching(RequestMatch.any().writes()
			.resource("demo.kubecontroller.io", "websites/status").namespace(namespace))
			.tooManyRequests(Duration.ofSeconds(1)).probability(0.5).build());
		Fault throttledDeployments = this.cluster.faults().add(Fault.matching(RequestMatch.any().writes()
			.resource("apps", "deployments").namespace(namespace))
			.tooManyRequests(Duration.ofSeconds(1)).probability(0.3).build());
		List<Website> latest = new ArrayList<>();
		try {
			for (String name : names) {
				this.cluster.apply(website(namespace, name, "<p>v2</p>", 2));
			}
			// Every watch drops, and the history it would resume from is gone: the informers must relist.
			this.cluster.emulator().closeAllWatches();
			this.cluster.emulator().compactHistory();
			for (String name : names) {
				latest.add(this.cluster.apply(website(namespace, name, "<p>v3</p>", 3)));
			}

			for (Website website : latest) {
				Website reconciled = this.cluster.awaitReconciled(website);
				assertThat(reconciled.getStatus().getObservedGeneration())
					.isEqualTo(reconciled.getMetadata().getGeneration());
				String name = website.getMetadata().getName();
				this.cluster.awaitCondition(V1Deployment.class, namespace, name,
						(deployment) -> deployment.getSpec().getReplicas() == 3);
				this.cluster.awaitCondition(V1ConfigMap.class, namespace, name + "-content",
						(content) -> "<p>v3</p>".equals(content.getData().get("index.html")));
			}
			assertThat(throttledStatus.triggered() + throttledDeployments.triggered()).isPositive();
			assertThat(this.cluster.audit().count((key) -> key.code() == 429)).isPositive();
		}
		finally {
			this.cluster.faults().remove(throttledStatus);
			this.cluster.faults().remove(throttledDeployments);
		}
	}

	private String namespace(String name) {
		this.cluster.apply("""
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: %s
				""".formatted(name));
		return name;
	}

	private static Website website(String namespace, String name, String content, int replicas) {
		return new Website().metadata(new V1ObjectMeta().namespace(namespace).name(name))
			.spec(new Website.Spec(content, replicas));
	}

	private static boolean isReady(Website website, long generation) {
		return website.getStatus() != null && Long.valueOf(generation).equals(website.getStatus().getObservedGeneration())
				&& website.getStatus().getConditions().stream()
					.anyMatch((condition) -> condition.getType().equals("Ready") && condition.getStatus().equals("True"));
	}

}
