package io.github.kubecontroller.emulator.fabric8;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.github.kubecontroller.emulator.KubeApiEmulator;

/**
 * The fabric8 kubernetes-client as a second, independent Java client of the emulator: a fresh emulator per test, a
 * fabric8 client built from an empty {@link Config} (nothing read from the machine's kubeconfig or environment),
 * pointed at {@link KubeApiEmulator#baseUrl()}, with {@code onlyHttpWatches(true)} (plain chunked HTTP watches, no
 * WebSocket upgrade) and the JDK HttpClient transport.
 *
 * <p>
 * Every request the client sends is recorded ({@link #requests}) by an {@link Interceptor}, so tests can check what
 * fabric8 asked for (e.g. the list and watch resourceVersions of an informer).
 */
abstract class Fabric8Support {

	/** The longest an awaited condition may take. */
	static final Duration DEADLINE = Duration.ofSeconds(15);

	/** The namespace every test works in; created before each test. */
	static final String NS = "f8";

	protected KubeApiEmulator emulator;

	protected KubernetesClient client;

	/** A second client, not recorded, for reading the server's state without disturbing {@link #requests}. */
	protected KubernetesClient reader;

	/** Every request fabric8 sent, in order. */
	protected final List<Request> requests = new CopyOnWriteArrayList<>();

	/** A request fabric8 sent: method, path and decoded query parameters. */
	record Request(String method, String path, Map<String, String> query) {

		boolean isWatch() {
			return "true".equals(this.query.get("watch"));
		}

		boolean isListOf(String collectionPath) {
			return "GET".equals(this.method) && this.path.equals(collectionPath) && !isWatch();
		}

		boolean isWatchOf(String collectionPath) {
			return "GET".equals(this.method) && this.path.equals(collectionPath) && isWatch();
		}

		@Override
		public String toString() {
			return this.method + " " + this.path + " " + this.query;
		}
	}

	@BeforeEach
	final void startEmulatorAndClient() {
		this.emulator = KubeApiEmulator.builder().build().start();
		this.client = newClient(true);
		this.reader = newClient(false);
		this.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
			.create();
	}

	@AfterEach
	final void stopClientAndEmulator() {
		try {
			if (this.client != null) {
				this.client.close();
			}
			if (this.reader != null) {
				this.reader.close();
			}
		}
		finally {
			if (this.emulator != null) {
				this.emulator.close();
			}
		}
	}

	/** A new fabric8 client for the emulator, recording its requests in {@link #requests} if {@code record}. */
	KubernetesClient newClient(boolean record) {
		Config config = new ConfigBuilder(Config.empty()).withMasterUrl(this.emulator.baseUrl())
			.withNamespace(NS)
			.withOnlyHttpWatches(true)
			.withRequestTimeout(10_000)
			.withConnectionTimeout(5_000)
			.withWatchReconnectInterval(200)
			.build();
		Interceptor recorder = new Interceptor() {
			@Override
			public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
				Fabric8Support.this.requests.add(request(request));
			}
		};
		KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
		if (record) {
			builder.withHttpClientBuilderConsumer((http) -> http.addOrReplaceInterceptor("test-recorder", recorder));
		}
		return builder.build();
	}

	private static Request request(HttpRequest request) {
		URI uri = request.uri();
		Map<String, String> query = new LinkedHashMap<>();
		String raw = uri.getRawQuery();
		if (raw != null && !raw.isEmpty()) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				String key = (eq < 0) ? pair : pair.substring(0, eq);
				String value = (eq < 0) ? "" : pair.substring(eq + 1);
				query.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return new Request(request.method(), uri.getPath(), query);
	}

	/** The recorded requests matching {@code filter}. */
	List<Request> requests(Predicate<Request> filter) {
		return this.requests.stream().filter(filter).toList();
	}

	static ConditionFactory await(String description) {
		return Awaitility.await(description).atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
	}

	static ConfigMap configMap(String name, Map<String, String> data) {
		return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
			.withData(new LinkedHashMap<>(data))
			.build();
	}

	ConfigMap createConfigMap(String name, Map<String, String> data) {
		return this.client.configMaps().inNamespace(NS).resource(configMap(name, data)).create();
	}

	/** name → resourceVersion of {@code objects}, sorted by name. */
	static Map<String, String> state(List<? extends HasMetadata> objects) {
		Map<String, String> state = new TreeMap<>();
		for (HasMetadata object : objects) {
			state.put(object.getMetadata().getName(), object.getMetadata().getResourceVersion());
		}
		return state;
	}

	/** name → resourceVersion of the ConfigMaps in {@link #NS}, as the server has them now. */
	Map<String, String> serverConfigMaps() {
		return state(this.reader.configMaps().inNamespace(NS).list().getItems());
	}
}
