package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;

/**
 * A fresh emulator prepared for one contender's run: the {@code Bench} custom resource definition and the
 * {@code bench} namespace created through the API, access control on so that the contender's requests (user
 * {@value #CONTENDER_USER}) are counted apart from the benchmark's own (user {@value #HARNESS_USER}), and the writes
 * the scenarios need (creates and spec updates at a bounded concurrency, over the JDK HttpClient).
 */
final class BenchCluster implements AutoCloseable {

	static final String NAMESPACE = "bench";

	static final String CONTENDER_USER = "contender";

	static final String HARNESS_USER = "harness";

	static final String CONTENDER_TOKEN = "contender-token";

	private static final String HARNESS_TOKEN = "harness-token";

	/** Writes in flight at once when the benchmark writes "at full speed". */
	static final int WRITE_CONCURRENCY = 16;

	final KubeApiEmulator emulator;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private BenchCluster(KubeApiEmulator emulator) {
		this.emulator = emulator;
	}

	/** Starts an emulator with room for every scenario's history, and creates the CRD and the namespace. */
	static BenchCluster start() throws IOException, InterruptedException {
		KubeApiEmulator emulator = KubeApiEmulator.builder()
			.historyMaxEvents(400_000)
			.watchCapacity(1_000_000)
			.build()
			.start();
		emulator.accessControl()
			.token(CONTENDER_TOKEN, CONTENDER_USER)
			.token(HARNESS_TOKEN, HARNESS_USER)
			.allow(CONTENDER_USER, AccessRule.all())
			.allow(HARNESS_USER, AccessRule.all())
			.enable();
		BenchCluster cluster = new BenchCluster(emulator);
		cluster.expect(cluster.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
				"application/json", ContenderSettings.CRD), 201);
		cluster.expect(cluster.send("POST", "/api/v1/namespaces", "application/json",
				"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}"), 201);
		return cluster;
	}

	String baseUrl() {
		return this.emulator.baseUrl();
	}

	static String benchPath() {
		return "/apis/" + ContenderSettings.GROUP + "/" + ContenderSettings.VERSION + "/namespaces/" + NAMESPACE + "/"
				+ ContenderSettings.PLURAL;
	}

	static String benchName(int index) {
		return String.format(Locale.ROOT, "b-%06d", index);
	}

	/** Creates {@code count} Bench objects (generation 1, no status). */
	void createBenches(int count) throws InterruptedException {
		writeAll(count, (i) -> request("POST", benchPath(), "application/json",
				"{\"apiVersion\":\"bench.kubecontroller.io/v1\",\"kind\":\"Bench\",\"metadata\":{\"name\":\""
						+ benchName(i) + "\"},\"spec\":{\"replicas\":1,\"message\":\"hello\"}}"),
				201, "create Bench");
	}

	/**
	 * Changes the spec of every Bench {@code rounds} times, as fast as {@value #WRITE_CONCURRENCY} concurrent merge
	 * patches allow: round by round, so each object's updates are spread over the run.
	 */
	void updateBenches(int objects, int rounds, int firstValue) throws InterruptedException {
		writeAll(objects * rounds, (i) -> specPatch(i % objects, firstValue + i / objects, "round-" + (i / objects)),
				200, "update Bench spec");
	}

	/** A merge patch of one Bench's spec. */
	HttpRequest specPatch(int index, int replicas, String message) {
		return request("PATCH", benchPath() + "/" + benchName(index), "application/merge-patch+json",
				"{\"spec\":{\"replicas\":" + replicas + ",\"message\":\"" + message + "\"}}");
	}

	/** Creates small ConfigMaps (one label, three short data keys) numbered {@code from} to {@code to - 1}. */
	void createConfigMaps(int from, int to) throws InterruptedException {
		writeAll(to - from, (i) -> {
			String name = String.format(Locale.ROOT, "cm-%06d", from + i);
			return request("POST", "/api/v1/namespaces/" + NAMESPACE + "/configmaps", "application/json",
					"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
							+ "\",\"labels\":{\"app\":\"peers-benchmark\"}},\"data\":{\"color\":\"blue\",\"size\":\""
							+ name.length() + "\",\"greeting\":\"hello from " + name + "\"}}");
		}, 201, "create ConfigMap");
	}

	/** Sends {@code count} writes with {@value #WRITE_CONCURRENCY} in flight; fails on any unexpected answer. */
	private void writeAll(int count, IntFunction<HttpRequest> requests, int expected, String what)
			throws InterruptedException {
		Semaphore inFlight = new Semaphore(WRITE_CONCURRENCY);
		AtomicReference<String> failure = new AtomicReference<>();
		AtomicLong done = new AtomicLong();
		for (int i = 0; i < count && failure.get() == null; i++) {
			inFlight.acquire();
			HttpRequest request = requests.apply(i);
			sendWithRetry(request, 3).whenComplete((response, error) -> {
				if (error != null) {
					failure.compareAndSet(null, what + ": " + error);
				}
				else if (response.statusCode() != expected) {
					failure.compareAndSet(null, what + ": HTTP " + response.statusCode() + " " + response.body());
				}
				done.incrementAndGet();
				inFlight.release();
			});
		}
		inFlight.acquire(WRITE_CONCURRENCY);
		if (failure.get() != null) {
			throw new IllegalStateException(failure.get());
		}
	}

	/**
	 * Sends a request; retries when the connection fails before an answer (the JDK client may reuse a keep-alive
	 * connection the server has just closed).
	 */
	CompletableFuture<HttpResponse<String>> sendWithRetry(HttpRequest request, int attempts) {
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
			if (error == null) {
				return CompletableFuture.completedFuture(response);
			}
			if (attempts > 1) {
				return sendWithRetry(request, attempts - 1);
			}
			return CompletableFuture.<HttpResponse<String>>failedFuture(error);
		}).thenCompose((future) -> future);
	}

	HttpRequest request(String method, String path, String contentType, String body) {
		return HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + HARNESS_TOKEN)
			.header("Content-Type", contentType)
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

	/** One Bench's generation, observedGeneration and resourceVersion as stored, for reports of objects left behind. */
	String describeBench(String name) {
		try {
			HttpResponse<String> response = this.http.send(get(benchPath() + "/" + name),
					HttpResponse.BodyHandlers.ofString());
			com.fasterxml.jackson.databind.JsonNode object = new com.fasterxml.jackson.databind.ObjectMapper()
				.readTree(response.body());
			return "generation " + object.path("metadata").path("generation").asText() + ", observedGeneration "
					+ object.path("status").path("observedGeneration").asText("none") + ", resourceVersion "
					+ object.path("metadata").path("resourceVersion").asText();
		}
		catch (IOException ex) {
			return "unreadable: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/** A request for a watch or a list, as the benchmark's user. */
	HttpRequest get(String pathAndQuery) {
		return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
			.header("Authorization", "Bearer " + HARNESS_TOKEN)
			.GET()
			.build();
	}

	HttpClient http() {
		return this.http;
	}

	private HttpResponse<String> send(String method, String path, String contentType, String body)
			throws IOException, InterruptedException {
		return this.http.send(request(method, path, contentType, body), HttpResponse.BodyHandlers.ofString());
	}

	private void expect(HttpResponse<String> response, int code) {
		if (response.statusCode() != code) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": HTTP "
					+ response.statusCode() + " " + response.body());
		}
	}

	/** What the contender has asked of the API server so far. */
	ApiLoad contenderLoad() {
		return ApiLoad.of(this.emulator.audit(), CONTENDER_USER);
	}

	@Override
	public void close() {
		this.emulator.stop();
	}

	static void sleep(Duration duration) throws InterruptedException {
		TimeUnit.MILLISECONDS.sleep(duration.toMillis());
	}
}
