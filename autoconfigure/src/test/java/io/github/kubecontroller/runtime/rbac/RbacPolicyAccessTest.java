package io.github.kubecontroller.runtime.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.runtime.client.ApiClientFactory;
import io.github.kubecontroller.runtime.client.ClientSettings;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerDependencies;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.controller.Widget;
import io.github.kubecontroller.runtime.controller.WidgetCrd;
import io.github.kubecontroller.runtime.controller.WorkerThreads;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A controller that records Events, runs under the rules planned for it and nothing more: they are enough, and
 * without the Events rule its Events are refused (while its reconciles go on: recording an Event never fails one).
 */
class RbacPolicyAccessTest {

	private static final String USER = "system:serviceaccount:ops:widgets";

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private KubeApiEmulator emulator;

	private ApiClient admin;

	private ApiClient client;

	private InformerRegistry informers;

	private Controller<Widget> controller;

	private final AtomicInteger reconciled = new AtomicInteger();

	private final ControllerSpec<Widget> spec = ControllerSpec.builder("widgets", Widget.class)
		.owns(V1ConfigMap.class)
		.finalizer("test.kubecontroller.io/cleanup")
		.build();

	@BeforeEach
	void start() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.accessControl().enable().token("admin", "admin").allow("admin", AccessRule.all())
			.token("widgets", USER);
		admin = clientWithToken("admin");
		client = clientWithToken("widgets");
		WidgetCrd.install(admin);
		informers = new InformerRegistry(client, InformerOptions.defaults());
	}

	@AfterEach
	void stop() {
		if (controller != null) {
			controller.stop(Duration.ofSeconds(5));
		}
		informers.close();
		emulator.stop();
	}

	private ApiClient clientWithToken(String token) {
		return new ApiClientFactory().create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withToken(token));
	}

	@Test
	void thePlannedRulesAreEnoughForEverythingTheControllerDoes() throws Exception {
		allow(RbacPolicy.builder(new ResourceDiscovery(client), client).controller(spec).build());
		run();

		new CustomObjectsApi(admin).createNamespacedCustomObject("test.kubecontroller.io", "v1", "default", "widgets",
				Widget.named("default", "w", "hello")).execute();

		await().atMost(DEADLINE).until(() -> !new EventsV1Api(admin).listNamespacedEvent("default").execute()
			.getItems().isEmpty());
		assertThat(new CoreV1Api(admin).readNamespacedConfigMap("w", "default").execute().getData())
			.containsEntry("content", "hello");
		assertThat(emulator.audit().count((key) -> key.user().equals(USER) && key.code() == 403)).isZero();
	}

	@Test
	void withoutTheEventsRuleEventsAreRefusedAndReconcilesGoOn() throws Exception {
		allow(RbacPolicy.builder(new ResourceDiscovery(client), client).events(false).controller(spec).build());
		run();

		new CustomObjectsApi(admin).createNamespacedCustomObject("test.kubecontroller.io", "v1", "default", "widgets",
				Widget.named("default", "w", "hello")).execute();

		await().atMost(DEADLINE).until(() -> emulator.audit().count((key) -> key.user().equals(USER)
				&& key.code() == 403 && key.verb().equals("create") && key.resource().equals("events")) > 0);
		await().atMost(DEADLINE).until(() -> reconciled.get() > 0);
		assertThat(emulator.audit().count((key) -> key.user().equals(USER) && key.code() == 403
				&& !key.resource().equals("events"))).isZero();
	}

	private void allow(RbacPolicy policy) {
		policy.clusterRules().forEach((rule) -> emulator.accessControl().allow(USER, accessRule(rule)));
		policy.namespaceRules().forEach((namespace, rules) -> rules
			.forEach((rule) -> emulator.accessControl().allow(USER, accessRule(rule).inNamespaces(namespace))));
	}

	private static AccessRule accessRule(PolicyRule rule) {
		return new AccessRule(Set.copyOf(rule.verbs()), Set.copyOf(rule.apiGroups()),
				Set.copyOf(rule.resources()), Set.of());
	}

	private void run() throws InterruptedException {
		controller = new Controller<>(spec, new ResourceReconciler<>() {
			@Override
			public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
				context.apply(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
					.metadata(new V1ObjectMeta().namespace("default").name(widget.getMetadata().getName())
						.ownerReferences(List.of(context.ownerReference())))
					.data(Map.of("content", widget.getSpec().content)));
				context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(), "done"));
				context.event("Applied", "ConfigMap applied");
				reconciled.incrementAndGet();
				return Result.done();
			}
		}, new ControllerDependencies(client, informers, new ResourceDiscovery(client), WorkerThreads.platform(),
				"test-instance"));
		controller.start();
		controller.awaitCachesSynced();
		controller.startWorkers();
	}
}
