package io.github.kubecontroller.benchmarks.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * Write load: small ConfigMaps (one label, three data keys) created by a fixed number of concurrent requests, with
 * the JDK HttpClient (HTTP/1.1, its keep-alive connection pool) or with client-java's generated API (OkHttp).
 */
final class Load {

	/** CPU used by load threads that have ended (their time is gone from ThreadMXBean once they end). */
	static final AtomicLong ENDED_WRITERS_CPU = new AtomicLong();

	private Load() {
	}

	/** One load run: how many writes succeeded (201) and failed, and the wall time they took. */
	record Outcome(long succeeded, long failed, long nanos, String firstError) {

		double perSecond() {
			return this.succeeded / (this.nanos / 1e9);
		}
	}

	/** A small ConfigMap as a client would send it: one label and three short data keys. */
	static String configMapJson(String name) {
		return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
				+ "\",\"labels\":{\"app\":\"emulator-benchmark\"}},\"data\":{\"color\":\"blue\",\"size\":\"" + name.length()
				+ "\",\"greeting\":\"hello from " + name + "\"}}";
	}

	static V1ConfigMap configMap(String name) {
		Map<String, String> data = new LinkedHashMap<>();
		data.put("color", "blue");
		data.put("size", Integer.toString(name.length()));
		data.put("greeting", "hello from " + name);
		return new V1ConfigMap().apiVersion("v1")
			.kind("ConfigMap")
			.metadata(new V1ObjectMeta().name(name).putLabelsItem("app", "emulator-benchmark"))
			.data(data);
	}

	static HttpClient jdkClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	static void createNamespace(HttpClient client, String baseUrl, String namespace)
			throws IOException, InterruptedException {
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/namespaces"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
							+ namespace + "\"}}"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw new IOException("creating namespace " + namespace + ": " + response.statusCode() + " " + response.body());
		}
	}

	static void createNamespace(ApiClient client, String namespace) throws ApiException {
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
	}

	/**
	 * Creates ConfigMaps {@code prefix-0}, {@code prefix-1}, ... with {@code concurrency} threads, each sending one
	 * request at a time, until {@code maxCount} are sent or {@code duration} has passed.
	 */
	static Outcome jdkCreates(HttpClient client, String baseUrl, String namespace, String prefix, int concurrency,
			long maxCount, Duration duration) throws InterruptedException {
		return jdkCreates(client, baseUrl, namespace, prefix, concurrency, maxCount, duration, new AtomicBoolean());
	}

	/** As above, also ending when {@code stop} is set. */
	static Outcome jdkCreates(HttpClient client, String baseUrl, String namespace, String prefix, int concurrency,
			long maxCount, Duration duration, AtomicBoolean stop) throws InterruptedException {
		URI uri = URI.create(baseUrl + "/api/v1/namespaces/" + namespace + "/configmaps");
		return run(concurrency, maxCount, duration, stop, (index) -> {
			HttpRequest request = HttpRequest.newBuilder(uri)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(configMapJson(prefix + "-" + index)))
				.build();
			HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 201) {
				throw new StatusIOException(response.statusCode(), "create answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
		});
	}

	/** As {@link #jdkCreates}, through client-java's {@code CoreV1Api.createNamespacedConfigMap}. */
	static Outcome clientJavaCreates(ApiClient client, String namespace, String prefix, int concurrency,
			long maxCount, Duration duration) throws InterruptedException {
		CoreV1Api api = new CoreV1Api(client);
		return run(concurrency, maxCount, duration, new AtomicBoolean(),
				(index) -> api.createNamespacedConfigMap(namespace, configMap(prefix + "-" + index)).execute());
	}

	interface Write {

		void send(long index) throws Exception;
	}

	private static Outcome run(int concurrency, long maxCount, Duration duration, AtomicBoolean stop, Write write)
			throws InterruptedException {
		AtomicLong next = new AtomicLong();
		AtomicLong succeeded = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicReference<String> firstError = new AtomicReference<>();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < concurrency; t++) {
			Thread thread = new Thread(() -> {
				try {
					work(next, maxCount, deadline, stop, write, succeeded, failed, firstError);
				}
				finally {
					ENDED_WRITERS_CPU.addAndGet(
							java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
				}
			}, "bench-writer-" + t);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return new Outcome(succeeded.get(), failed.get(), System.nanoTime() - start, firstError.get());
	}

	private static void work(AtomicLong next, long maxCount, long deadline, AtomicBoolean stop, Write write,
			AtomicLong succeeded, AtomicLong failed, AtomicReference<String> firstError) {
		while (System.nanoTime() < deadline && !stop.get()) {
			long index = next.getAndIncrement();
			if (index >= maxCount) {
				return;
			}
			try {
				sendWithRetry(write, index);
				succeeded.incrementAndGet();
			}
			catch (Exception ex) {
				failed.incrementAndGet();
				String text = (ex instanceof ApiException api) ? api.getCode() + " " + api.getResponseBody()
						: String.valueOf(ex);
				firstError.compareAndSet(null, text);
			}
		}
	}

	/**
	 * Sends one write; a connection-level failure (a pooled keep-alive connection closed under the client) is retried
	 * twice, and a retry answered with 409 AlreadyExists counts as done, since the first attempt did arrive.
	 */
	private static void sendWithRetry(Write write, long index) throws Exception {
		for (int attempt = 1;; attempt++) {
			try {
				write.send(index);
				return;
			}
			catch (IOException | ApiException ex) {
				boolean connection = (ex instanceof IOException && !(ex instanceof StatusIOException))
						|| (ex instanceof ApiException api && api.getCode() == 0);
				boolean exists = attempt > 1 && ((ex instanceof StatusIOException status && status.code == 409)
						|| (ex instanceof ApiException api && api.getCode() == 409));
				if (exists) {
					return;
				}
				if (!connection || attempt >= 3) {
					throw ex;
				}
				RETRIES.incrementAndGet();
				FIRST_RETRY_CAUSE.compareAndSet(null, String.valueOf(ex));
			}
		}
	}

	/** Connection-level retries so far (reported when not zero). */
	static final AtomicLong RETRIES = new AtomicLong();

	static final AtomicReference<String> FIRST_RETRY_CAUSE = new AtomicReference<>();

	/** A response with an unexpected status. */
	static final class StatusIOException extends IOException {

		private static final long serialVersionUID = 1L;

		final int code;

		StatusIOException(int code, String message) {
			super(message);
			this.code = code;
		}
	}
}
