package io.github.kubecontroller.runtime.informer;

import static io.github.kubecontroller.runtime.informer.InformerListTest.CONFIG_MAPS;
import static io.github.kubecontroller.runtime.informer.InformerListTest.configMap;
import static io.github.kubecontroller.runtime.informer.InformerListTest.createNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed lists and watches: readable errors in the health, backoff, Retry-After, credentials, outages. */
class InformerFailureTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final InformerOptions OPTIONS = InformerOptions.defaults()
		.withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));

	private static KubeApiEmulator emulator;
	private static ApiClient client;
	private static CoreV1Api core;

	private InformerRegistry registry;

	@BeforeAll
	static void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.audit().keepRequests(10_000);
		client = emulator.apiClient();
		core = new CoreV1Api(client);
	}

	@AfterEach
	void closeRegistry() {
		if (registry != null) {
			registry.close();
		}
		emulator.faults().clear();
	}

	@AfterAll
	static void stopEmulator() {
		if (emulator != null) {
			emulator.stop();
		}
	}

	/** The audited list requests of one namespace, oldest first. */
	private static List<AuditEvent> lists(String namespace) {
		return emulator.audit().requests().stream()
			.filter((e) -> e.request().verb().equals("list") && e.request().namespace().equals(namespace))
			.toList();
	}

	@Test
	void forbiddenUntilAllowedWithTheClientsBearerToken() throws Exception {
		createNamespace(core, "secured");
		core.createNamespacedConfigMap("secured", configMap("secured", "a")).execute();
		ApiClient alice = new ClientBuilder().setBasePath(emulator.baseUrl())
			.setAuthentication(new AccessTokenAuthentication("alice-token")).build();
		alice.setReadTimeout(0);
		emulator.accessControl().enable().token("alice-token", "alice");
		try {
			registry = new InformerRegistry(alice, OPTIONS);
			Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("secured"),
					V1ConfigMap.class);

			await().atMost(DEADLINE).until(() -> informer.health().consecutiveFailures() >= 2);
			WatchHealth health = informer.health();
			assertThat(health.lastError()).isEqualTo("list configmaps in namespace secured is forbidden for alice: "
					+ "add this RBAC rule to the application's Role/ClusterRole: apiGroups: [\"\"], "
					+ "resources: [\"configmaps\"], verbs: [\"list\"]");
			assertThat(health.lastErrorAt()).isNotNull();
			assertThat(health.synced()).isFalse();
			assertThat(informer.hasSynced()).isFalse();

			emulator.accessControl().allow("alice",
					AccessRule.verbs("list", "watch").resources("", "configmaps").inNamespaces("secured"));

			assertThat(informer.awaitSynced(DEADLINE)).isTrue();
			assertThat(informer.getIndexer().listKeys()).containsExactly("secured/a");
			assertThat(informer.health().consecutiveFailures()).isZero();
			assertThat(emulator.audit().requests().stream().filter((e) -> e.request().namespace().equals("secured")
					&& e.request().resource().equals("configmaps") && e.request().verb().equals("list")))
				.isNotEmpty()
				.allSatisfy((e) -> assertThat(e.user()).isEqualTo("alice"));
		}
		finally {
			emulator.accessControl().disable();
		}
	}

	@Test
	void waitsAtLeastRetryAfter() throws Exception {
		createNamespace(core, "throttled");
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("list").namespace("throttled"))
			.tooManyRequests(Duration.ofSeconds(1)).times(1).build());
		registry = new InformerRegistry(client, OPTIONS.withStreamingList(false));

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("throttled"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		List<AuditEvent> lists = lists("throttled");
		assertThat(lists).extracting(AuditEvent::code).containsExactly(429, 200);
		assertThat(Duration.between(lists.get(0).time(), lists.get(1).time())).isGreaterThanOrEqualTo(
				Duration.ofSeconds(1));
		assertThat(informer.health().lastError()).isEqualTo("list configmaps in namespace throttled: 429 Too Many "
				+ "Requests: Too many requests, please try again later. (the server asks to retry after 1 s)");
	}

	@Test
	void backsOffLongerAfterEachFailure() throws Exception {
		createNamespace(core, "flaky");
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("list").namespace("flaky"))
			.status(500).times(4).build());
		registry = new InformerRegistry(client, InformerOptions.defaults().withStreamingList(false)
			.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10)));

		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("flaky"),
				V1ConfigMap.class);

		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		List<AuditEvent> lists = lists("flaky");
		assertThat(lists).extracting(AuditEvent::code).containsExactly(500, 500, 500, 500, 200);
		for (int i = 1; i < lists.size(); i++) {
			Duration least = Duration.ofMillis(100L << (i - 1)); // 100, 200, 400, 800 ms before jitter
			assertThat(Duration.between(lists.get(i - 1).time(), lists.get(i).time())).as("wait before attempt %d", i)
				.isGreaterThanOrEqualTo(least);
		}
		WatchHealth health = informer.health();
		assertThat(health.lastError()).startsWith("list configmaps in namespace flaky: 500 Internal Server Error: ");
		assertThat(health.consecutiveFailures()).isZero();
		assertThat(health.relists()).isEqualTo(1);
	}

	@Test
	void namesAMissingCustomResourceDefinition() {
		registry = new InformerRegistry(client, OPTIONS);
		ResourceType things = new ResourceType("nothere.example.com", "v1", "Thing", "things", true);

		Informer<DynamicKubernetesObject> informer = registry.informer(WatchSpec.all(things),
				DynamicKubernetesObject.class);

		await().atMost(DEADLINE).until(() -> informer.health().lastError() != null);
		assertThat(informer.health().lastError()).isEqualTo("things.nothere.example.com/v1 is not served: is its "
				+ "CustomResourceDefinition installed? (kubectl get crd things.nothere.example.com; watch "
				+ "things.nothere.example.com cluster-wide)");
		assertThat(informer.health().state()).isIn(WatchState.BACKING_OFF, WatchState.LISTING);
	}

	@Test
	void resumesAfterAnOutage() throws Exception {
		createNamespace(core, "outage");
		registry = new InformerRegistry(client, OPTIONS);
		Informer<V1ConfigMap> informer = registry.informer(WatchSpec.all(CONFIG_MAPS).inNamespace("outage"),
				V1ConfigMap.class);
		assertThat(informer.awaitSynced(DEADLINE)).isTrue();
		EventLog<V1ConfigMap> log = new EventLog<>();
		informer.addEventHandler(log);

		String refused = "watch configmaps in namespace outage: connection refused to " + emulator.baseUrl();

		emulator.outage(Outage.REFUSE_CONNECTIONS);
		try {
			await().atMost(DEADLINE).until(() -> refused.equals(informer.health().lastError()));
			assertThat(informer.health().consecutiveFailures()).isPositive();
			assertThat(informer.health().state()).isEqualTo(WatchState.BACKING_OFF);
		}
		finally {
			emulator.restart();
		}
		core.createNamespacedConfigMap("outage", configMap("outage", "after")).execute();

		await().atMost(DEADLINE).until(() -> log.events.contains("add outage/after"));
		assertThat(informer.health().relists()).isEqualTo(1);
		assertThat(informer.health().consecutiveFailures()).isZero();
	}
}
