package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import io.github.kubecontroller.emulator.KubeApiEmulator;

/**
 * One emulator per test class, a kubectl bound to it (in the class's own namespace), and client-java APIs to set up
 * and read back objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KubectlTestSupport {

	static final String CRD_GROUP = "kubectl.example.com";

	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	private Path workDir;

	protected KubeApiEmulator emulator;

	/** kubectl with {@code --namespace=}{@link #namespace()}. */
	protected Kubectl kubectl;

	protected ApiClient client;

	protected CoreV1Api core;

	protected CustomObjectsApi custom;

	/** The namespace this class works in; created before the first test. */
	protected abstract String namespace();

	@BeforeAll
	void startEmulator() throws Exception {
		Kubectl.locateExecutable(); // fail first, with install hints, when kubectl is missing
		this.workDir = Files.createTempDirectory("kubectl-" + getClass().getSimpleName() + "-");
		this.emulator = KubeApiEmulator.builder().build().start();
		this.kubectl = Kubectl.forEmulator(this.emulator, this.workDir).inNamespace(namespace());
		this.client = this.emulator.apiClient();
		this.core = new CoreV1Api(this.client);
		this.custom = new CustomObjectsApi(this.client);
		createNamespace(namespace());
	}

	@AfterAll
	void stopEmulator() {
		try {
			if (this.kubectl != null) {
				this.kubectl.close();
			}
		}
		finally {
			if (this.emulator != null) {
				this.emulator.close();
			}
			deleteRecursively(this.workDir);
		}
	}

	protected void createNamespace(String name) throws ApiException {
		this.core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
	}

	protected V1ConfigMap createConfigMap(String namespace, String name, Map<String, String> data)
			throws ApiException {
		return this.core
			.createNamespacedConfigMap(namespace,
					new V1ConfigMap().metadata(new V1ObjectMeta().name(name)).data(new LinkedHashMap<>(data)))
			.execute();
	}

	protected V1ConfigMap createConfigMap(String name, Map<String, String> data) throws ApiException {
		return createConfigMap(namespace(), name, data);
	}

	protected V1ConfigMap readConfigMap(String name) throws ApiException {
		return this.core.readNamespacedConfigMap(name, namespace()).execute();
	}

	protected void assertConfigMapGone(String name) {
		assertThatThrownBy(() -> readConfigMap(name)).as("configmap %s must be gone", name)
			.isInstanceOfSatisfying(ApiException.class, (ex) -> assertThat(ex.getCode()).isEqualTo(404));
	}

	/**
	 * The manifest of a namespaced CRD {@code <plural>.kubectl.example.com}, version v1 with a status subresource and
	 * a schema with {@code spec.size}, {@code spec.color} and {@code status.phase}.
	 */
	static String crdYaml(String plural, String singular, String kind, String shortName) {
		return """
				apiVersion: apiextensions.k8s.io/v1
				kind: CustomResourceDefinition
				metadata:
				  name: %1$s.%5$s
				spec:
				  group: %5$s
				  scope: Namespaced
				  names:
				    plural: %1$s
				    singular: %2$s
				    kind: %3$s
				    listKind: %3$sList
				    shortNames: [%4$s]
				  versions:
				  - name: v1
				    served: true
				    storage: true
				    subresources:
				      status: {}
				    schema:
				      openAPIV3Schema:
				        type: object
				        properties:
				          spec:
				            type: object
				            properties:
				              size:
				                type: integer
				              color:
				                type: string
				          status:
				            type: object
				            properties:
				              phase:
				                type: string
				""".formatted(plural, singular, kind, shortName, CRD_GROUP);
	}

	/** Creates the CRD of {@link #crdYaml} through client-java and waits until it is Established. */
	protected void createCrd(String plural, String singular, String kind, String shortName) throws Exception {
		this.custom
			.createClusterCustomObject("apiextensions.k8s.io", "v1", "customresourcedefinitions",
					yaml(crdYaml(plural, singular, kind, shortName)))
			.execute();
		String name = plural + "." + CRD_GROUP;
		awaitTrue("CRD " + name + " to be Established", () -> hasCondition(readCrd(name), "Established", "True"));
	}

	protected Map<String, Object> readCrd(String name) throws ApiException {
		return asMap(this.custom.getClusterCustomObject("apiextensions.k8s.io", "v1", "customresourcedefinitions", name)
			.execute());
	}

	protected Map<String, Object> createCustomObject(String plural, Map<String, Object> object) throws ApiException {
		return asMap(this.custom.createNamespacedCustomObject(CRD_GROUP, "v1", namespace(), plural, object).execute());
	}

	protected Map<String, Object> readCustomObject(String plural, String name) throws ApiException {
		return asMap(this.custom.getNamespacedCustomObject(CRD_GROUP, "v1", namespace(), plural, name).execute());
	}

	static boolean hasCondition(Map<String, Object> object, String type, String status) {
		Object conditions = path(object, "status", "conditions");
		if (!(conditions instanceof List<?> list)) {
			return false;
		}
		return list.stream()
			.filter(Map.class::isInstance)
			.map(Map.class::cast)
			.anyMatch((condition) -> type.equals(condition.get("type")) && status.equals(condition.get("status")));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> condition(Map<String, Object> object, String type) {
		Object conditions = path(object, "status", "conditions");
		if (conditions instanceof List<?> list) {
			for (Object condition : list) {
				if (condition instanceof Map<?, ?> map && type.equals(map.get("type"))) {
					return (Map<String, Object>) map;
				}
			}
		}
		return Map.of();
	}

	/** The value at {@code keys} in nested maps, or null. */
	static Object path(Map<String, Object> object, String... keys) {
		Object current = object;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> asMap(Object object) {
		return (Map<String, Object>) object;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> yaml(String yaml) {
		try {
			return YAML.readValue(yaml, Map.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void awaitTrue(String description, Callable<Boolean> condition) {
		Awaitility.await(description)
			.atMost(Kubectl.AWAIT_TIMEOUT)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(25))
			.ignoreExceptions()
			.until(condition);
	}

	private static void deleteRecursively(Path directory) {
		if (directory == null || !Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException ex) {
			// best effort
		}
	}
}
