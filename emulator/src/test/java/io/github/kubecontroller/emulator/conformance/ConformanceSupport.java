package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.kubecontroller.emulator.KubeApiEmulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared plumbing of the raw-HTTP conformance suite: a fresh emulator per test, a plain {@link HttpClient}, helpers
 * to build objects and Status bodies, and {@link WatchConnection} for streaming reads.
 *
 * <p>
 * Every test gets its own emulator, so that compaction and history settings of one test never leak into another.
 */
abstract class ConformanceSupport {

	static final ObjectMapper MAPPER = new ObjectMapper();

	/** The longest any single expected thing may take to show up. */
	static final Duration DEADLINE = Duration.ofSeconds(5);

	static final String JSON = "application/json";

	static final String MERGE_PATCH = "application/merge-patch+json";

	static final String JSON_PATCH = "application/json-patch+json";

	static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";

	static final String APPLY_PATCH = "application/apply-patch+yaml";

	static final String CM = "/api/v1/namespaces/default/configmaps";

	static final String WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";

	static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

	protected KubeApiEmulator emulator;

	protected HttpClient http;

	private final List<WatchConnection> watches = new ArrayList<>();

	/** Subclasses override to change emulator settings. */
	protected KubeApiEmulator.Builder configure(KubeApiEmulator.Builder builder) {
		return builder;
	}

	@BeforeEach
	final void startEmulator() {
		this.emulator = configure(KubeApiEmulator.builder()).build().start();
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(DEADLINE)
			.build();
	}

	@AfterEach
	final void stopEmulator() {
		this.watches.forEach(WatchConnection::close);
		this.watches.clear();
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

	// ------------------------------------------------------------------ HTTP

	/** One answer, with the body as text. */
	record Resp(int code, HttpHeaders headers, String body) {

		String contentType() {
			return header("Content-Type").orElse(null);
		}

		Optional<String> header(String name) {
			return this.headers.firstValue(name);
		}

		JsonNode json() {
			try {
				return MAPPER.readTree(this.body);
			}
			catch (JsonProcessingException ex) {
				throw new AssertionError("not JSON (" + this.code + "): " + this.body, ex);
			}
		}

		/** The body without the single trailing newline a Go encoder may write. */
		String raw() {
			return this.body.endsWith("\n") ? this.body.substring(0, this.body.length() - 1) : this.body;
		}

		@Override
		public String toString() {
			return this.code + " " + this.headers.map() + "\n" + this.body;
		}
	}

	Resp send(String method, String path, String contentType, byte[] body, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + path))
			.timeout(Duration.ofSeconds(20));
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		builder.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			HttpResponse<String> response = this.http.send(builder.build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Resp(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new AssertionError(method + " " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	Resp get(String path, String... headers) {
		return send("GET", path, null, null, headers);
	}

	Resp post(String path, String json, String... headers) {
		return send("POST", path, JSON, bytes(json), headers);
	}

	Resp put(String path, String json, String... headers) {
		return send("PUT", path, JSON, bytes(json), headers);
	}

	Resp patch(String path, String contentType, String body, String... headers) {
		return send("PATCH", path, contentType, bytes(body), headers);
	}

	Resp delete(String path) {
		return send("DELETE", path, null, null);
	}

	Resp delete(String path, String json) {
		return send("DELETE", path, JSON, bytes(json));
	}

	static byte[] bytes(String text) {
		return (text == null) ? null : text.getBytes(StandardCharsets.UTF_8);
	}

	// ------------------------------------------------------------------ objects

	static String configMap(String namespace, String name, Map<String, String> labels, Map<String, String> data) {
		StringBuilder metadata = new StringBuilder("{\"name\":").append(quote(name));
		if (namespace != null) {
			metadata.append(",\"namespace\":").append(quote(namespace));
		}
		if (labels != null && !labels.isEmpty()) {
			metadata.append(",\"labels\":").append(toJson(labels));
		}
		metadata.append('}');
		return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":" + metadata + ",\"data\":"
				+ toJson((data == null) ? Map.of() : data) + "}";
	}

	static String configMap(String name) {
		return configMap("default", name, null, Map.of("k", "v"));
	}

	/** Creates a ConfigMap in {@code default}; fails unless 201. */
	JsonNode createConfigMap(String name) {
		return created(post(CM, configMap(name)));
	}

	JsonNode createConfigMap(String namespace, String name, Map<String, String> labels, Map<String, String> data) {
		return created(post("/api/v1/namespaces/" + namespace + "/configmaps",
				configMap(namespace, name, labels, data)));
	}

	JsonNode createNamespace(String name) {
		return created(post("/api/v1/namespaces",
				"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":" + quote(name) + "}}"));
	}

	static JsonNode created(Resp response) {
		assertThat(response.code()).as("create: %s", response).isEqualTo(201);
		return response.json();
	}

	static JsonNode ok(Resp response) {
		assertThat(response.code()).as("%s", response).isEqualTo(200);
		return response.json();
	}

	static String rv(JsonNode object) {
		return object.path("metadata").path("resourceVersion").asText();
	}

	static long rvNum(JsonNode object) {
		return Long.parseLong(rv(object));
	}

	static List<String> names(JsonNode list) {
		List<String> names = new ArrayList<>();
		list.path("items").forEach((item) -> names.add(item.path("metadata").path("name").asText()));
		return names;
	}

	static String quote(String text) {
		try {
			return MAPPER.writeValueAsString(text);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String toJson(Object value) {
		try {
			return MAPPER.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String urlEncode(String value) {
		return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * A failure Status as kube-apiserver writes it: {@code kind, apiVersion, metadata, status, message, reason,
	 * [details,] code}.
	 */
	static String failure(String message, String reason, String detailsJson, int code) {
		return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
				+ quote(message) + ",\"reason\":\"" + reason + "\""
				+ ((detailsJson == null) ? "" : ",\"details\":" + detailsJson) + ",\"code\":" + code + "}";
	}

	/** A 422 ListOptions Status with one or more (field, reason, message) causes. */
	static String invalidListOptions(String... causes) {
		return invalid("ListOptions.meta.k8s.io", "", "meta.k8s.io", "ListOptions", causes);
	}

	/**
	 * A 422 Invalid Status: {@code causes} are triples of (field, cause reason, cause message); the message joins
	 * them as {@code field: message}, bracketed when there are several.
	 */
	static String invalid(String qualifiedKind, String name, String group, String kind, String... causes) {
		List<String> messages = new ArrayList<>();
		List<String> causeJson = new ArrayList<>();
		for (int i = 0; i < causes.length; i += 3) {
			messages.add(causes[i] + ": " + causes[i + 2]);
			causeJson.add("{\"reason\":\"" + causes[i + 1] + "\",\"message\":" + quote(causes[i + 2])
					+ ",\"field\":" + quote(causes[i]) + "}");
		}
		String joined = (messages.size() == 1) ? messages.get(0) : "[" + String.join(", ", messages) + "]";
		StringBuilder details = new StringBuilder("{");
		if (!name.isEmpty()) {
			details.append("\"name\":").append(quote(name)).append(',');
		}
		if (!group.isEmpty()) {
			details.append("\"group\":").append(quote(group)).append(',');
		}
		details.append("\"kind\":").append(quote(kind)).append(",\"causes\":[")
			.append(String.join(",", causeJson))
			.append("]}");
		return failure(qualifiedKind + " " + quote(name) + " is invalid: " + joined, "Invalid", details.toString(),
				422);
	}

	static void assertPlainNotFound(Resp response) {
		assertThat(response.code()).as("%s", response).isEqualTo(404);
		assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
		assertThat(response.body()).isEqualTo("404 page not found\n");
	}

	/** Asserts a JSON Status answer: the code, {@code application/json}, and the exact raw body. */
	static void assertStatus(Resp response, int code, String rawBody) {
		assertThat(response.code()).as("%s", response).isEqualTo(code);
		assertThat(response.contentType()).as("content type of %s", response).isEqualTo(JSON);
		assertThat(response.raw()).isEqualTo(rawBody);
	}

	static String decodeContinue(String token) {
		return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
	}

	// ------------------------------------------------------------------ custom resources

	/** A CRD for {@code widgets.example.com}; each entry of {@code versions} is a version object in JSON. */
	static String widgetCrd(String scope, String... versions) {
		return """
				{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
				 "metadata":{"name":"widgets.example.com"},
				 "spec":{"group":"example.com","scope":"%s",
				   "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList","shortNames":["wd"]},
				   "versions":[%s]}}""".formatted(scope, String.join(",", versions));
	}

	static String crdVersion(String name, boolean served, boolean storage, boolean statusSubresource) {
		return """
				{"name":"%s","served":%s,"storage":%s,
				 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}%s}"""
			.formatted(name, served, storage, statusSubresource ? ",\"subresources\":{\"status\":{}}" : "");
	}

	/** Creates the namespaced widgets CRD (v1, served, storage) and waits until it is Established. */
	JsonNode createWidgetCrd(boolean statusSubresource) {
		return createCrd(widgetCrd("Namespaced", crdVersion("v1", true, true, statusSubresource)),
				"widgets.example.com");
	}

	JsonNode createCrd(String body, String name) {
		JsonNode crd = created(post(CRDS, body));
		org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> {
			Resp current = get(CRDS + "/" + name);
			if (current.code() != 200) {
				return false;
			}
			for (JsonNode condition : current.json().path("status").path("conditions")) {
				if (condition.path("type").asText().equals("Established")
						&& condition.path("status").asText().equals("True")) {
					return true;
				}
			}
			return false;
		});
		return crd;
	}

	static String widget(String name, String specJson) {
		return "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":" + quote(name)
				+ ",\"namespace\":\"default\"},\"spec\":" + specJson + "}";
	}

	// ------------------------------------------------------------------ watches

	/** Opens a watch (GET {@code pathAndQuery}); it is closed after the test. */
	WatchConnection watch(String pathAndQuery) {
		return watch(pathAndQuery, JSON);
	}

	WatchConnection watch(String pathAndQuery, String accept) {
		WatchConnection connection = WatchConnection.open(this.http,
				URI.create(this.emulator.baseUrl() + pathAndQuery), accept);
		this.watches.add(connection);
		return connection;
	}

	/** The snapshot of what is stored, to prove a rejected request changed nothing. */
	record Stored(long revision, Map<String, JsonNode> lists) {
	}

	Stored stored(String... listPaths) {
		Map<String, JsonNode> lists = new java.util.LinkedHashMap<>();
		for (String path : listPaths) {
			lists.put(path, ok(get(path)));
		}
		return new Stored(this.emulator.resourceVersion(), lists);
	}
}
