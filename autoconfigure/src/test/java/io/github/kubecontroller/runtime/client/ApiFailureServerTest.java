package io.github.kubecontroller.runtime.client;

import static io.github.kubecontroller.runtime.client.ApiFailureTest.CONFIGMAPS;
import static io.github.kubecontroller.runtime.client.ApiFailureTest.DEPLOYMENTS;
import static io.github.kubecontroller.runtime.client.ApiFailureTest.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ApiFailure} on failures answered by the emulator to client-java's typed APIs. */
class ApiFailureServerTest {

	private KubeApiEmulator emulator;

	private ApiClient client;

	@BeforeEach
	void start() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.accessControl()
			.enable()
			.token("t1", "alice")
			.allow("alice",
					AccessRule.verbs("get", "list", "watch").resources("", "configmaps").inNamespaces("default"))
			.allow("alice", AccessRule.verbs("list").resources("demo.example.com", "widgets"));
		client = new ApiClientFactory(new ClientEnvironment((name) -> null, null, Path.of("/nonexistent")))
			.create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withToken("t1"));
	}

	@AfterEach
	void stop() {
		emulator.stop();
	}

	private ApiFailure failure(ThrowingCall call) {
		return ApiFailure.of(catchThrowableOfType(Exception.class, call::run), client.getBasePath());
	}

	@Test
	void forbiddenListInANamespace() {
		ApiFailure failure = failure(() -> new CoreV1Api(client).listNamespacedSecret("default").execute());

		assertThat(failure.code()).isEqualTo(403);
		ResourceType secrets = new ResourceType("", "v1", "Secret", "secrets", true);
		assertThat(failure.describe("list", secrets, "default")).isEqualTo("list secrets in namespace default is"
				+ " forbidden for alice: add this RBAC rule to the application's Role/ClusterRole: apiGroups: [\"\"],"
				+ " resources: [\"secrets\"], verbs: [\"list\"]");
	}

	@Test
	void forbiddenWatchAcrossAllNamespaces() {
		ApiFailure failure = failure(
				() -> new AppsV1Api(client).listDeploymentForAllNamespaces().watch(true).execute());

		assertThat(failure.describe("watch", DEPLOYMENTS, null)).isEqualTo("watch deployments.apps cluster-wide is"
				+ " forbidden for alice: add this RBAC rule to the application's ClusterRole: apiGroups: [\"apps\"],"
				+ " resources: [\"deployments\"], verbs: [\"watch\"]");
	}

	@Test
	void customResourceWithoutDefinition() {
		ApiFailure failure = failure(() -> new CustomObjectsApi(client)
			.listNamespacedCustomObject("demo.example.com", "v1", "default", "widgets")
			.execute());

		assertThat(failure.code()).isEqualTo(404);
		assertThat(failure.describe("list", WIDGETS, "default")).isEqualTo("widgets.demo.example.com/v1 is not"
				+ " served: is its CustomResourceDefinition installed? (kubectl get crd widgets.demo.example.com; list"
				+ " widgets.demo.example.com in namespace default)");
	}

	@Test
	void missingObject() {
		ApiFailure failure = failure(
				() -> new CoreV1Api(client).readNamespacedConfigMap("absent", "default").execute());

		assertThat(failure.describe("get", CONFIGMAPS, "default")).isEqualTo("get configmaps in namespace default"
				+ " failed with 404 NotFound: configmaps \"absent\" not found");
	}

	@Test
	void rejectedToken() {
		emulator.accessControl().revoke("t1");

		ApiFailure failure = failure(() -> new CoreV1Api(client).listNamespacedConfigMap("default").execute());

		assertThat(failure.code()).isEqualTo(401);
		assertThat(failure.describe("list", CONFIGMAPS, "default"))
			.startsWith("the API server rejected the credentials (401 Unauthorized)");
	}

	@Test
	void throttledByPriorityAndFairness() {
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("list").resource("", "configmaps"))
				.tooManyRequests(Duration.ofSeconds(2))
				.build());

		ApiFailure failure = failure(() -> new CoreV1Api(client).listNamespacedConfigMap("default").execute());

		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
		assertThat(failure.describe("list", CONFIGMAPS, "default")).startsWith("list configmaps in namespace default"
				+ " failed with 429 TooManyRequests, retry after 2 s: ");
	}

	@Test
	void unavailable() {
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("get").resource("", "configmaps")).status(503).build());

		ApiFailure failure = failure(() -> new CoreV1Api(client).readNamespacedConfigMap("x", "default").execute());

		assertThat(failure.describe("get", CONFIGMAPS, "default"))
			.startsWith("get configmaps in namespace default failed with 503 ServiceUnavailable");
	}

	@Test
	void refusedConnection() {
		emulator.outage(Outage.REFUSE_CONNECTIONS);

		ApiFailure failure = failure(() -> new CoreV1Api(client).listNamespacedConfigMap("default").execute());

		assertThat(failure.responded()).isFalse();
		assertThat(failure.describe("list", CONFIGMAPS, "default"))
			.startsWith("cannot reach the API server at " + client.getBasePath() + ": ConnectException: ")
			.endsWith("(list configmaps in namespace default)");
	}

	@FunctionalInterface
	interface ThrowingCall {

		void run() throws Exception;
	}
}
