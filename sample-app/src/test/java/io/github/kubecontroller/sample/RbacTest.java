package io.github.kubecontroller.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.autoconfigure.rbac.RbacManifestExport;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.client.ApiClientFactory;
import io.github.kubecontroller.runtime.client.ClientSettings;
import io.github.kubecontroller.runtime.client.ApiFailure;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileOutcome;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.diagnostics.RecentError;
import io.github.kubecontroller.runtime.diagnostics.RecentErrors;
import io.github.kubecontroller.runtime.informer.Informer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The generated RBAC rules are enough and each one is needed: the sample operator runs against an API server that
 * lets it do only what the exported manifest grants. With every rule, Websites are reconciled and deleted; without
 * any single verb on any single resource, the operator says which rule is missing: start-up fails naming it, a
 * watch fails naming it, or a reconcile fails naming it.
 *
 * <p>In every run the operator's first finalizer patch meets a conflict (a 409, as when another writer changed the
 * finalizers meanwhile): that is when the runtime reads the Website again, and so when {@code get} is needed. The
 * rules without one verb are tried on a server without streaming lists (before Kubernetes 1.32, or with the WatchList
 * feature gate off), where a cache's first list is a {@code list}; a server with them would fill the caches with
 * {@code watch} alone.
 */
class RbacTest {

	private static final String TOKEN = "website-operator-token";

	private static final String USER = "system:serviceaccount:default:website-operator";

	private static final String ADMIN_TOKEN = "admin-token";

	// The sample's reconciler records no Events: it runs, and its manifest is made, without their rules.

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	/** The exported manifest, and every permission it grants: a verb on a resource, cluster-wide or in a namespace. */
	private static String manifest;

	private static List<Permission> permissions;

	private KubeApiEmulator emulator;

	private ApiClient admin;

	private @Nullable ConfigurableApplicationContext operator;

	/** Every failed reconcile of the operator, as its log line and recent errors word it. */
	private final List<String> failures = new CopyOnWriteArrayList<>();

	record Permission(@Nullable String namespace, String group, String resource, String verb) {

		/** How a diagnostic names the rule to add. */
		String rule() {
			return "apiGroups: [\"" + group + "\"], resources: [\"" + resource + "\"], verbs: [\"" + verb + "\"]";
		}

		AccessRule accessRule() {
			AccessRule rule = AccessRule.verbs(verb).resources(group, resource);
			return (namespace == null) ? rule : rule.inNamespaces(namespace);
		}

		@Override
		public String toString() {
			return verb + " " + resource + (group.isEmpty() ? "" : "." + group)
					+ ((namespace == null) ? "" : " in " + namespace);
		}
	}

	@BeforeAll
	static void exportTheManifest() throws Exception {
		manifest = RbacManifestExport.export(SampleApplication.class);
		permissions = new ArrayList<>();
		for (Object document : Yaml.loadAll(manifest)) {
			if (document instanceof V1ClusterRole role) {
				role.getRules().forEach((rule) -> explode(null, rule));
			}
			else if (document instanceof V1Role role) {
				role.getRules().forEach((rule) -> explode(role.getMetadata().getNamespace(), rule));
			}
		}
	}

	private static void explode(@Nullable String namespace, V1PolicyRule rule) {
		for (String group : rule.getApiGroups()) {
			for (String resource : rule.getResources()) {
				for (String verb : rule.getVerbs()) {
					permissions.add(new Permission(namespace, group, resource, verb));
				}
			}
		}
	}

	static Stream<Permission> permissions() {
		return permissions.stream();
	}

	private void startApiServer(boolean streamingLists) throws Exception {
		emulator = KubeApiEmulator.builder().streamingLists(streamingLists).build().start();
		emulator.accessControl().enable().token(ADMIN_TOKEN, "admin").allow("admin", AccessRule.all())
			.token(TOKEN, USER);
		admin = new ApiClientFactory()
			.create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withToken(ADMIN_TOKEN));
		try (InputStreamReader crd = new InputStreamReader(Objects.requireNonNull(
				getClass().getResourceAsStream("/crds/websites.demo.kubecontroller.io.yaml")), StandardCharsets.UTF_8)) {
			new ApiextensionsV1Api(admin)
				.createCustomResourceDefinition(Yaml.loadAs(crd, V1CustomResourceDefinition.class)).execute();
		}
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("patch")
			.resource("demo.kubecontroller.io", "websites")).status(409).times(1).build());
	}

	@AfterEach
	void stop() {
		if (operator != null) {
			operator.close();
		}
		if (emulator != null) {
			emulator.stop();
		}
	}

	@ParameterizedTest(name = "streaming lists: {0}")
	@ValueSource(booleans = { true, false })
	void withEveryGeneratedRuleWebsitesAreReconciledAndDeleted(boolean streamingLists) throws Exception {
		startApiServer(streamingLists);
		permissions.forEach((permission) -> emulator.accessControl().allow(USER, permission.accessRule()));
		operator = start(WebApplicationType.SERVLET, "--server.port=0",
				"--management.endpoints.web.exposure.include=kuberbac");

		createWebsite("blog");
		await().atMost(DEADLINE).until(() -> isReady(website("blog")));
		assertThat(new CoreV1Api(admin).readNamespacedConfigMap("blog-content", "default").execute().getData())
			.containsEntry("index.html", "<h1>blog</h1>");
		assertThat(new AppsV1Api(admin).readNamespacedDeployment("blog", "default").execute().getSpec().getReplicas())
			.isEqualTo(1);
		assertThat(website("blog").getMetadata().getFinalizers()).containsExactly("demo.kubecontroller.io/registry");

		websites().delete("default", "blog").throwsApiException();
		await().atMost(DEADLINE).until(() -> !websites().get("default", "blog").isSuccess());
		assertThat(operator.getBean(WebsiteRegistry.class).sites()).doesNotContain("default/blog");
		assertThat(emulator.audit().count((key) -> key.user().equals(USER) && key.code() == 403)).isZero();
		assertThat(operator.getBean(RecentErrors.class).errors("website")).isEmpty();

		// The endpoint serves what the build exported.
		int port = ((WebServerApplicationContext) operator).getWebServer().getPort();
		HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/actuator/kuberbac")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/yaml"));
		assertThat(served.body()).isEqualTo(manifest);
	}

	@ParameterizedTest(name = "without {0}")
	@MethodSource("permissions")
	void withoutAnyOneVerbTheOperatorNamesTheRuleToAdd(Permission missing) throws Exception {
		startApiServer(false);
		permissions.stream().filter((permission) -> !permission.equals(missing))
			.forEach((permission) -> emulator.accessControl().allow(USER, permission.accessRule()));
		createWebsite("blog");

		String diagnostic;
		try {
			operator = start(WebApplicationType.NONE);
		}
		catch (RuntimeException startFailure) {
			// A cache that cannot list does not sync: the start-up fails with the reason.
			diagnostic = messages(startFailure);
			assertThat(diagnostic).containsIgnoringCase("forbidden").contains(missing.rule());
			return;
		}
		// Or a reconcile fails, or a watch does.
		ConfigurableApplicationContext running = operator;
		await().atMost(DEADLINE).until(() -> diagnostics(running).contains(missing.rule()));
		diagnostic = diagnostics(running);

		assertThat(diagnostic).containsIgnoringCase("forbidden").contains(missing.rule());
	}

	private ConfigurableApplicationContext start(WebApplicationType type, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--kube.controller.client.master-url=" + emulator.baseUrl(),
				"--kube.controller.client.token=" + TOKEN, "--kube.controller.embedded.enabled=false",
				"--kube.controller.reconcilers.website.sync-timeout=2s",
				"--kube.controller.reconcilers.website.backoff-cap=1s"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(SampleApplication.class).web(type)
			.initializers((context) -> context.getBeanFactory().registerSingleton("reconcileFailures",
					new ControllerObserver() {
						@Override
						public void reconcileFinished(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason,
								ReconcileOutcome outcome, Duration duration, @Nullable Throwable error,
								@Nullable Duration nextAttemptIn) {
							if (error != null) {
								failures.add(ApiFailure.summary(error));
							}
						}
					}))
			.run(all.toArray(String[]::new));
	}

	/**
	 * Every reconcile failure (a retry that succeeds clears the recent errors), the recent errors, and the last error
	 * of every watch of the operator, one per line.
	 */
	private String diagnostics(ConfigurableApplicationContext context) {
		StringBuilder text = new StringBuilder();
		failures.forEach((failure) -> text.append(failure).append('\n'));
		context.getBean(RecentErrors.class).errors("website").stream().map(RecentError::message)
			.forEach((message) -> text.append(message).append('\n'));
		for (Controller<?> controller : context.getBean(KubeControllers.class).controllers()) {
			for (Informer<?> informer : controller.informers()) {
				String error = informer.health().lastError();
				if (error != null) {
					text.append(error).append('\n');
				}
			}
		}
		return text.toString();
	}

	private static String messages(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			text.append(cause.getMessage()).append('\n');
		}
		return text.toString();
	}

	private GenericKubernetesApi<Website, WebsiteList> websites() {
		return new GenericKubernetesApi<>(Website.class, WebsiteList.class, "demo.kubecontroller.io", "v1", "websites",
				admin);
	}

	private void createWebsite(String name) throws ApiException {
		websites().create(new Website().metadata(new V1ObjectMeta().namespace("default").name(name))
			.spec(new Website.Spec("<h1>" + name + "</h1>", 1))).throwsApiException();
	}

	private Website website(String name) throws ApiException {
		KubernetesApiResponse<Website> response = websites().get("default", name).throwsApiException();
		return response.getObject();
	}

	private static boolean isReady(Website website) {
		return website.getStatus() != null && Objects.equals(website.getStatus().getObservedGeneration(),
				website.getMetadata().getGeneration())
				&& website.getStatus().getConditions().stream()
					.anyMatch((condition) -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
	}
}
