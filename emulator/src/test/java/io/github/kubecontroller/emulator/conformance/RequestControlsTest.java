package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;

@DisplayName("Fault injection, access control, audit, outages")
class RequestControlsTest extends ConformanceSupport {

	@Test
	@DisplayName("M1: an injected APF 429 is plain text with Retry-After, and stops after its count")
	void plainTooManyRequests() {
		Fault fault = this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("create").resource("", "configmaps"))
				.tooManyRequests(Duration.ofSeconds(2))
				.times(2)
				.build());
		for (int i = 0; i < 2; i++) {
			Resp throttled = post(CM, configMap("x"));
			assertThat(throttled.code()).isEqualTo(429);
			assertThat(throttled.contentType()).isEqualTo("text/plain; charset=utf-8");
			assertThat(throttled.body()).isEqualTo("Too many requests, please try again later.\n");
			assertThat(throttled.header("Retry-After")).contains("2");
		}
		assertThat(get(CM + "/x").code()).as("nothing was stored").isEqualTo(404);
		assertThat(post(CM, configMap("x")).code()).isEqualTo(201);
		assertThat(fault.triggered()).isEqualTo(2);
	}

	@Test
	@DisplayName("M3, I14: an injected 429 Status carries retryAfterSeconds and the Retry-After header")
	void statusTooManyRequests() {
		this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("list")).tooManyRequestsStatus(Duration.ofSeconds(3)).build());
		Resp throttled = get(CM);
		assertThat(throttled.code()).isEqualTo(429);
		assertThat(throttled.header("Retry-After")).contains("3");
		JsonNode status = throttled.json();
		assertThat(status.path("reason").asText()).isEqualTo("TooManyRequests");
		assertThat(status.path("details").path("retryAfterSeconds").asInt()).isEqualTo(3);
		this.emulator.faults().clear();
		assertThat(get(CM).code()).isEqualTo(200);
	}

	@Test
	@DisplayName("faults match by verb, resource, namespace and name; probability 0 never fires; during() expires")
	void faultMatching() {
		createConfigMap("x");
		this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("get").resource("", "configmaps").namespace("default").name("x"))
				.status(503)
				.build());
		this.emulator.faults().add(Fault.matching(RequestMatch.any()).status(500).probability(0).build());
		assertThat(get(CM + "/x").code()).isEqualTo(503);
		assertThat(get(CM + "/x").json().path("reason").asText()).isEqualTo("ServiceUnavailable");
		assertThat(get(CM).code()).isEqualTo(200);
		assertThat(get("/api/v1/namespaces/kube-system/configmaps").code()).isEqualTo(200);

		this.emulator.faults().clear();
		this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("get")).status(500).during(Duration.ofMillis(300)).build());
		assertThat(get(CM + "/x").code()).isEqualTo(500);
		await().atMost(Duration.ofSeconds(5)).until(() -> get(CM + "/x").code() == 200);
	}

	@Test
	@DisplayName("injected latency delays matching requests only")
	void latency() {
		this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("list").resource("", "secrets"))
				.latency(Duration.ofMillis(400))
				.build());
		long start = System.nanoTime();
		assertThat(get("/api/v1/namespaces/default/secrets").code()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
	}

	@Test
	@DisplayName("F5: expireAllWatches ends open watches with an ERROR 410 event")
	void expireAllWatches() {
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion());
		await().atMost(DEADLINE).until(() -> this.emulator.openWatches() == 1);
		this.emulator.expireAllWatches();
		JsonNode event = watch.next();
		assertThat(event.path("type").asText()).isEqualTo("ERROR");
		assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
		assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
		assertThat(watch.awaitEnd(DEADLINE)).as("nothing after the ERROR event").isEmpty();
	}

	@Test
	@DisplayName("I12, I13: with access control on, tokens authenticate, rules authorize, revoked tokens get 401")
	void accessControl() {
		this.emulator.accessControl()
			.enable()
			.token("alice-token", "alice")
			.allow("alice", AccessRule.verbs("get", "list", "watch").resources("", "configmaps").inNamespaces("default"));
		String alice = "Bearer alice-token";
		assertThat(get(CM, "Authorization", alice).code()).isEqualTo(200);

		Resp forbidden = post(CM, configMap("x"), "Authorization", alice);
		assertThat(forbidden.code()).isEqualTo(403);
		assertThat(forbidden.raw()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
				+ "\"Failure\",\"message\":\"configmaps is forbidden: User \\\"alice\\\" cannot create resource "
				+ "\\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\","
				+ "\"details\":{\"kind\":\"configmaps\"},\"code\":403}");
		Resp named = get("/api/v1/namespaces/kube-system/configmaps/y", "Authorization", alice);
		assertThat(named.json().path("message").asText()).isEqualTo("configmaps \"y\" is forbidden: User \"alice\" "
				+ "cannot get resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"");
		assertThat(get("/api/v1/namespaces", "Authorization", alice).json().path("message").asText())
			.isEqualTo("namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" "
					+ "at the cluster scope");
		Resp anonymous = get("/api");
		assertThat(anonymous.code()).isEqualTo(403);
		assertThat(anonymous.json().path("message").asText())
			.isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\"");
		assertThat(get("/version").code()).isEqualTo(200);

		assertStatus(get(CM, "Authorization", "Bearer wrong"), 401, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				+ "\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
				+ "\"code\":401}");
		// Rotation: the old token stops working, the new one works at once.
		this.emulator.accessControl().token("alice-token-2", "alice").revoke("alice-token");
		assertThat(get(CM, "Authorization", alice).code()).isEqualTo(401);
		assertThat(get(CM, "Authorization", "Bearer alice-token-2").code()).isEqualTo(200);
	}

	@Test
	@DisplayName("I13: a server-side apply that creates an object needs create permission as well as patch")
	void applyThatCreatesIsAuthorizedAsCreate() {
		this.emulator.accessControl()
			.enable()
			.token("patcher-token", "patcher")
			.allow("patcher", AccessRule.verbs("get", "patch").resources("", "configmaps").inNamespaces("default"));
		String patcher = "Bearer patcher-token";
		String apply = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"made\"},"
				+ "\"data\":{\"k\":\"v\"}}";
		Resp refused = patch(CM + "/made?fieldManager=m", "application/apply-patch+yaml", apply, "Authorization", patcher);
		assertThat(refused.code()).isEqualTo(403);
		assertThat(refused.json().path("message").asText()).isEqualTo("configmaps \"made\" is forbidden: User "
				+ "\"patcher\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"");
		this.emulator.accessControl().disable();
		assertThat(get(CM + "/made").code()).as("nothing was stored").isEqualTo(404);
		this.emulator.accessControl().enable();

		// Once the object exists, patch permission is enough to apply to it.
		this.emulator.accessControl().allow("patcher", AccessRule.verbs("create").resources("", "configmaps"));
		assertThat(patch(CM + "/made?fieldManager=m", "application/apply-patch+yaml", apply, "Authorization", patcher)
			.code()).isEqualTo(201);
		this.emulator.accessControl().revokeRules("patcher").allow("patcher",
				AccessRule.verbs("patch").resources("", "configmaps").inNamespaces("default"));
		assertThat(patch(CM + "/made?fieldManager=m", "application/apply-patch+yaml", apply.replace("\"v\"", "\"w\""),
				"Authorization", patcher).code()).isEqualTo(200);
	}

	@Test
	@DisplayName("I12: an expired token gets 401")
	void expiredToken() {
		this.emulator.accessControl().enable().token("short", "bob", Instant.now(Clock.systemUTC()).minusSeconds(1));
		assertThat(get(CM, "Authorization", "Bearer short").code()).isEqualTo(401);
	}

	@Test
	@DisplayName("the audit counts requests by verb, resource, code and user, and keeps the latest ones")
	void audit() {
		Audit audit = this.emulator.audit().keepRequests(10);
		audit.reset();
		createConfigMap("x");
		get(CM + "/x");
		get(CM + "/missing");
		patch(CM + "/x", MERGE_PATCH, "{\"data\":{\"k\":\"w\"}}");
		assertThat(audit.count("create", "configmaps")).isEqualTo(1);
		assertThat(audit.count("get", "configmaps")).isEqualTo(2);
		assertThat(audit.count((key) -> key.code() == 404)).isEqualTo(1);
		assertThat(audit.writes()).isEqualTo(2);
		assertThat(audit.requests()).hasSize(4);
		assertThat(audit.requests().get(3).request().verb()).isEqualTo("patch");
		assertThat(audit.requests().get(3).user()).isEqualTo("system:anonymous");
		audit.reset();
		assertThat(audit.writes()).isZero();
		assertThat(audit.requests()).isEmpty();
	}

	@Test
	@DisplayName("the audit records concurrent requests each with its own status code")
	void auditOfConcurrentRequests() {
		Audit audit = this.emulator.audit().keepRequests(100);
		WatchConnection watch = watch(CM + "?watch=true");
		Fault slowCreates = this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("create").resource("", "configmaps"))
				.latency(Duration.ofMillis(500))
				.build());
		Fault slowReads = this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("get", "list").resource("", "configmaps"))
				.latency(Duration.ofSeconds(1))
				.build());
		List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			creates.add(sendAsync("POST", CM, configMap("c" + i)));
		}
		await().atMost(DEADLINE).until(() -> slowCreates.triggered() == 3);
		// These start while the creates are held and are still held when the creates are answered.
		CompletableFuture<HttpResponse<String>> list = sendAsync("GET", CM, null);
		List<CompletableFuture<HttpResponse<String>>> missing = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			missing.add(sendAsync("GET", CM + "/missing" + i, null));
		}
		await().atMost(DEADLINE).until(() -> slowReads.triggered() == 4);

		creates.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(201));
		assertThat(list.join().statusCode()).isEqualTo(200);
		missing.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(404));
		assertThat(watch.status()).isEqualTo(200);
		List<AuditEvent> requests = audit.requests();
		assertThat(requests).hasSize(8);
		for (AuditEvent event : requests) {
			int expected = switch (event.request().verb()) {
				case "create" -> 201;
				case "get" -> 404;
				default -> 200;
			};
			assertThat(event.code()).as("%s", event).isEqualTo(expected);
		}
	}

	@Test
	@DisplayName("the audit keeps each request's query string, raw and decoded")
	void auditQuery() {
		Audit audit = this.emulator.audit().keepRequests(10);
		JsonNode x = createConfigMap("x");
		get(CM + "?limit=500&labelSelector=" + urlEncode("app in (a,b)"));
		watch(CM + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + rv(x));

		List<AuditEvent> requests = audit.requests();
		assertThat(requests).extracting((event) -> event.request().verb()).containsExactly("create", "list", "watch");
		assertThat(requests.get(0).query()).isEmpty();
		assertThat(requests.get(0).queryParameter("limit")).isNull();
		AuditEvent list = requests.get(1);
		assertThat(list.query()).isEqualTo("limit=500&labelSelector=app+in+%28a%2Cb%29");
		assertThat(list.queryParameter("labelSelector")).isEqualTo("app in (a,b)");
		assertThat(list.request().queryParameters()).containsOnlyKeys("limit", "labelSelector");
		AuditEvent watch = requests.get(2);
		assertThat(watch.queryParameter("allowWatchBookmarks")).isEqualTo("true");
		assertThat(watch.queryParameter("resourceVersion")).isEqualTo(rv(x));
	}

	@Test
	@DisplayName("faults match query parameters, and requests by path or path prefix (discovery documents)")
	void faultMatchingByQueryAndPath() {
		createConfigMap("x");
		this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("list").queryParameter("limit", "1")).status(500).build());
		this.emulator.faults().add(Fault.matching(RequestMatch.any().queryParameter("continue")).status(503).build());
		assertThat(get(CM + "?limit=1").code()).isEqualTo(500);
		assertThat(get(CM + "?limit=2").code()).isEqualTo(200);
		assertThat(get(CM).code()).isEqualTo(200);
		assertThat(get(CM + "?limit=2&continue=token").code()).isEqualTo(503);

		this.emulator.faults().clear();
		this.emulator.faults().add(Fault.matching(RequestMatch.any().path("/apis")).status(503).build());
		assertThat(get("/apis").code()).isEqualTo(503);
		assertThat(get("/api").code()).isEqualTo(200);
		assertThat(get("/apis/apps/v1").code()).isEqualTo(200);

		this.emulator.faults().clear();
		this.emulator.faults().add(Fault.matching(RequestMatch.any().verbs("get").path("/apis/*")).status(500).build());
		assertThat(get("/apis/apps/v1").code()).isEqualTo(500);
		assertThat(get("/apis/coordination.k8s.io").code()).isEqualTo(500);
		assertThat(get("/apis").code()).isEqualTo(200);
		assertThat(get("/api/v1").code()).isEqualTo(200);
	}

	@Test
	@DisplayName("a malformed-watch-event fault starts matching watches with one line that is not JSON, then events flow")
	void malformedWatchEvent() {
		JsonNode x = createConfigMap("x");
		Fault fault = this.emulator.faults()
			.add(Fault.matching(RequestMatch.any().resource("", "configmaps")).malformedWatchEvent().times(1).build());
		assertThat(get(CM).code()).as("not a watch").isEqualTo(200);
		assertThat(fault.triggered()).isZero();

		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + rv(x));
		assertThat(watch.nextLine()).isEqualTo("this line is not a JSON watch event");
		JsonNode y = createConfigMap("y");
		WatchTest.assertEvent(watch.next(), "ADDED", "y", rv(y));

		WatchConnection next = watch(CM + "?watch=true&resourceVersion=" + rv(x));
		WatchTest.assertEvent(next.next(), "ADDED", "y", rv(y));
		assertThat(fault.triggered()).isEqualTo(1);
	}

	private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json)
					: HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", JSON);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	@DisplayName("an outage refuses connections; restart serves the same data on the same port")
	void refusingOutageAndRestart() {
		createConfigMap("x");
		long revision = this.emulator.resourceVersion();
		int port = this.emulator.port();
		this.emulator.outage(Outage.REFUSE_CONNECTIONS);
		assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
		this.emulator.restart();
		assertThat(this.emulator.port()).isEqualTo(port);
		assertThat(get(CM + "/x").code()).isEqualTo(200);
		assertThat(this.emulator.resourceVersion()).isEqualTo(revision);
	}

	@Test
	@DisplayName("a hanging outage accepts connections and never answers; restart ends it")
	void hangingOutage() throws Exception {
		int port = this.emulator.port();
		this.emulator.outage(Outage.HANG);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(500);
			socket.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
		}
		this.emulator.restart();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + "/version")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}
}
