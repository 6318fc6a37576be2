package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ApiFailure} on constructed failures; {@link ApiFailureServerTest} checks it on the emulator's answers. */
class ApiFailureTest {

	static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);

	static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "Deployment", "deployments", true);

	static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", false);

	static final ResourceType WIDGETS = new ResourceType("demo.example.com", "v1", "Widget", "widgets", true);

	private static ApiException response(int code, String body, Map<String, List<String>> headers) {
		return new ApiException("", code, headers, body);
	}

	private static String status(int code, String reason, String message) {
		return """
				{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s","reason":"%s",\
				"code":%d}""".formatted(message.replace("\"", "\\\""), reason, code);
	}

	@Test
	void forbiddenNamesTheUserAndTheRbacRule() {
		ApiException denied = response(403, status(403, "Forbidden", "configmaps is forbidden: User"
				+ " \"system:serviceaccount:ops:controller\" cannot list resource \"configmaps\" in API group \"\" in"
				+ " the namespace \"team-a\""), Map.of());

		assertThat(ApiFailure.of(denied).describe("list", CONFIGMAPS, "team-a")).isEqualTo("list configmaps in"
				+ " namespace team-a is forbidden for system:serviceaccount:ops:controller: add this RBAC rule to the"
				+ " application's Role/ClusterRole: apiGroups: [\"\"], resources: [\"configmaps\"], verbs: [\"list\"]");
	}

	@Test
	void forbiddenAtTheClusterScopeAsksForAClusterRule() {
		ApiException denied = response(403, status(403, "Forbidden", "deployments.apps is forbidden: User \"bob\""
				+ " cannot watch resource \"deployments\" in API group \"apps\" at the cluster scope"), Map.of());

		assertThat(ApiFailure.of(denied).describe("watch", DEPLOYMENTS, null)).isEqualTo("watch deployments.apps"
				+ " cluster-wide is forbidden for bob: add this RBAC rule to the application's ClusterRole:"
				+ " apiGroups: [\"apps\"], resources: [\"deployments\"], verbs: [\"watch\"]");
	}

	@Test
	void forbiddenSubresourceNamesTheSubresource() {
		ApiException denied = response(403, status(403, "Forbidden", "widgets.demo.example.com \"w\" is forbidden:"
				+ " User \"bob\" cannot patch resource \"widgets/status\" in API group \"demo.example.com\" in the"
				+ " namespace \"ns\""), Map.of());

		assertThat(ApiFailure.of(denied).describe("patch", WIDGETS, "ns"))
			.startsWith("patch widgets.demo.example.com/status in namespace ns is forbidden for bob")
			.endsWith("apiGroups: [\"demo.example.com\"], resources: [\"widgets/status\"], verbs: [\"patch\"]");
	}

	@Test
	void summaryOfAForbiddenWriteNamesTheRuleToAddOnOneShortLine() {
		ApiException denied = response(403, status(403, "Forbidden", "widgets.demo.example.com \"w\" is forbidden:"
				+ " User \"system:serviceaccount:ops:controller\" cannot patch resource \"widgets/status\" in API group"
				+ " \"demo.example.com\" in the namespace \"ns\""), Map.of());

		assertThat(ApiFailure.summary(denied)).isEqualTo("API error 403 Forbidden: system:serviceaccount:ops:controller"
				+ " cannot patch widgets.demo.example.com/status in namespace ns: add the RBAC rule apiGroups:"
				+ " [\"demo.example.com\"], resources: [\"widgets/status\"], verbs: [\"patch\"]");
	}

	@Test
	void summaryOfAForbiddenClusterRequestSaysClusterWide() {
		ApiException denied = response(403, status(403, "Forbidden", "deployments.apps is forbidden: User \"bob\""
				+ " cannot create resource \"deployments\" in API group \"apps\" at the cluster scope"), Map.of());

		assertThat(ApiFailure.summary(denied)).isEqualTo("API error 403 Forbidden: bob cannot create deployments.apps"
				+ " cluster-wide: add the RBAC rule apiGroups: [\"apps\"], resources: [\"deployments\"], verbs:"
				+ " [\"create\"]");
	}

	@Test
	void summaryOfAnotherForbiddenWordingKeepsTheMessage() {
		ApiException denied = response(403, status(403, "Forbidden", "access denied by policy"), Map.of());

		assertThat(ApiFailure.summary(denied)).isEqualTo("API error 403 Forbidden: access denied by policy");
	}

	@Test
	void forbiddenWithoutAUserInTheMessageInventsNone() {
		ApiException denied = response(403, status(403, "Forbidden", "access denied by policy"), Map.of());

		String sentence = ApiFailure.of(denied).describe("get", CONFIGMAPS, "ns");

		assertThat(sentence).startsWith("get configmaps in namespace ns is forbidden: access denied by policy")
			.doesNotContain("forbidden for")
			.contains("apiGroups: [\"\"], resources: [\"configmaps\"], verbs: [\"get\"]");
	}

	@Test
	void forbiddenForAnonymousSaysNoCredentialsWereSent() {
		ApiException denied = response(403, status(403, "Forbidden", "namespaces is forbidden: User"
				+ " \"system:anonymous\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"),
				Map.of());

		assertThat(ApiFailure.of(denied).describe("list", NAMESPACES, null))
			.contains("is forbidden for system:anonymous (the request carried no credentials)");
	}

	@Test
	void forbiddenPathAsksForANonResourceRule() {
		ApiException denied = response(403, status(403, "Forbidden", "forbidden: User \"bob\" cannot get path"
				+ " \"/apis/demo.example.com/v1\""), Map.of());

		assertThat(ApiFailure.of(denied).describe("GET /apis/demo.example.com/v1")).isEqualTo("GET"
				+ " /apis/demo.example.com/v1 is forbidden for bob: add this rule to the application's ClusterRole:"
				+ " nonResourceURLs: [\"/apis/demo.example.com/v1\"], verbs: [\"get\"]");
	}

	@Test
	void unauthorizedSaysTheCredentialsAreInvalidOrExpired() {
		ApiException rejected = response(401, status(401, "Unauthorized", "Unauthorized"), Map.of());

		assertThat(ApiFailure.of(rejected).describe("list", CONFIGMAPS, "ns"))
			.startsWith("the API server rejected the credentials (401 Unauthorized): they are invalid or expired.");
	}

	@Test
	void notFoundCustomResourceCollectionAsksForItsDefinition() {
		ApiException missing = response(404, "404 page not found\n", Map.of());

		assertThat(ApiFailure.of(missing).describe("list", WIDGETS, "ns")).startsWith("widgets.demo.example.com/v1 is"
				+ " not served: is its CustomResourceDefinition installed? (kubectl get crd widgets.demo.example.com;");
	}

	@Test
	void notFoundBuiltInCollectionIsNotServed() {
		ApiException missing = response(404,
				status(404, "NotFound", "the server could not find the requested resource"), Map.of());

		assertThat(ApiFailure.of(missing).describe("list", DEPLOYMENTS, "ns"))
			.startsWith("deployments.apps/v1 is not served by this API server");
	}

	@Test
	void notFoundObjectIsReportedAsIs() {
		ApiException missing = response(404, status(404, "NotFound", "widgets.demo.example.com \"w\" not found"),
				Map.of());

		assertThat(ApiFailure.of(missing).describe("get", WIDGETS, "ns")).isEqualTo("get widgets.demo.example.com in"
				+ " namespace ns failed with 404 NotFound: widgets.demo.example.com \"w\" not found");
	}

	@Test
	void tooManyRequestsInPlainTextCarriesRetryAfter() {
		ApiException throttled = response(429, "Too many requests, please try again later.\n",
				Map.of("retry-after", List.of("3"), "content-type", List.of("text/plain; charset=utf-8")));

		ApiFailure failure = ApiFailure.of(throttled);

		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(3));
		assertThat(failure.reason()).isEqualTo("TooManyRequests");
		assertThat(failure.describe("list", CONFIGMAPS, "ns")).isEqualTo("list configmaps in namespace ns failed"
				+ " with 429 TooManyRequests, retry after 3 s: Too many requests, please try again later.");
	}

	@Test
	void serverErrorWithoutRetryAfter() {
		ApiException failed = response(500, status(500, "InternalError", "etcd leader changed"), Map.of());

		assertThat(ApiFailure.of(failed).describe("update", NAMESPACES, null))
			.isEqualTo("update namespaces cluster-wide failed with 500 InternalError: etcd leader changed");
	}

	@Test
	void retryAfterComesFromTheHeaderInAnyCaseOrFromTheStatusDetails() {
		assertThat(ApiFailure.retryAfter(response(503, "", Map.of("Retry-After", List.of(" 7 ")))))
			.contains(Duration.ofSeconds(7));
		String status = """
				{"kind":"Status","code":429,"reason":"TooManyRequests","details":{"retryAfterSeconds":2}}""";
		assertThat(ApiFailure.retryAfter(response(429, status, Map.of()))).contains(Duration.ofSeconds(2));
		Map<String, List<String>> httpDate = Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT"));
		assertThat(ApiFailure.retryAfter(response(429, "", httpDate))).isEmpty();
		assertThat(ApiFailure.retryAfter(new ApiException(429, "no headers"))).isEmpty();
	}

	@Test
	void connectionFailureNamesTheServer() {
		ApiException refused = new ApiException(new ConnectException("Failed to connect to /10.0.0.1:6443"));

		ApiFailure failure = ApiFailure.of(refused, "https://10.0.0.1:6443");

		assertThat(failure.responded()).isFalse();
		assertThat(failure.describe("list", CONFIGMAPS, null)).isEqualTo("cannot reach the API server at"
				+ " https://10.0.0.1:6443: ConnectException: Failed to connect to /10.0.0.1:6443 (list configmaps"
				+ " cluster-wide)");
	}

	@Test
	void ioFailureWrappedInAnUncheckedExceptionIsFound() {
		RuntimeException wrapped = new IllegalStateException(
				new UncheckedIOException(new SocketTimeoutException("timeout")));

		ApiFailure failure = ApiFailure.of(wrapped);

		assertThat(failure.code()).isZero();
		assertThat(failure.reason()).isEqualTo("SocketTimeoutException");
		assertThat(failure.describe("get", CONFIGMAPS, "ns"))
			.startsWith("cannot reach the API server at the configured URL: SocketTimeoutException: timeout");
	}

	@Test
	void statusTextOfGenericKubernetesApiIsRead() {
		// GenericKubernetesApi's throwsApiException() keeps only V1Status.toString().
		V1Status status = new V1Status().code(409)
			.reason("Conflict")
			.message("Operation cannot be fulfilled on configmaps \"x\": the object has been modified");
		ApiException conflict = new ApiException(409, status.toString());

		ApiFailure failure = ApiFailure.of(conflict);

		assertThat(failure.reason()).isEqualTo("Conflict");
		assertThat(failure.message())
			.isEqualTo("Operation cannot be fulfilled on configmaps \"x\": the object has been modified");
	}
}
