package io.github.kubecontroller.autoconfigure.embedded;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The API server emulator running inside the application, for development without a cluster: started with its
 * CustomResourceDefinitions installed and a kubeconfig written for kubectl.
 */
public final class EmbeddedEmulator implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedEmulator.class);

	private final KubeApiEmulator emulator;
	private final Path kubeconfig;
	private final List<String> installedCrds;

	private EmbeddedEmulator(KubeApiEmulator emulator, Path kubeconfig, List<String> installedCrds) {
		this.emulator = emulator;
		this.kubeconfig = kubeconfig;
		this.installedCrds = List.copyOf(installedCrds);
	}

	/**
	 * Starts an emulator on {@code port} (0 for any), installs every CustomResourceDefinition in the YAML files the
	 * patterns find, and writes a kubeconfig.
	 */
	static EmbeddedEmulator start(int port, Path kubeconfig, List<String> crdPatterns, ResourcePatternResolver resources) {
		KubeApiEmulator emulator = KubeApiEmulator.builder().port(port).build().start();
		try {
			List<String> installed = installCrds(emulator.apiClient(), crdPatterns, resources);
			Path written = emulator.writeKubeconfig(kubeconfig.toAbsolutePath());
			log.warn("No cluster configured: running on the embedded Kubernetes API emulator at {} "
					+ "(set kube.controller.embedded.enabled=false to forbid this)", emulator.baseUrl());
			// One line a person can copy: kubectl --kubeconfig <path> get ...
			log.info("kubeconfig: {}", written);
			return new EmbeddedEmulator(emulator, written, installed);
		} catch (RuntimeException e) {
			emulator.stop();
			throw e;
		}
	}

	private static List<String> installCrds(ApiClient client, List<String> patterns, ResourcePatternResolver resources) {
		ApiextensionsV1Api api = new ApiextensionsV1Api(client);
		List<String> installed = new ArrayList<>();
		for (String pattern : patterns) {
			Resource[] found;
			try {
				found = resources.getResources(pattern);
			} catch (IOException e) {
				throw new IllegalStateException("kube.controller.embedded.crds: cannot read " + pattern + ": " + e.getMessage(), e);
			}
			for (Resource resource : found) {
				for (Object document : load(resource)) {
					if (!(document instanceof V1CustomResourceDefinition crd)) {
						throw new IllegalStateException("kube.controller.embedded.crds: " + resource.getDescription()
								+ " holds a " + document + "; only CustomResourceDefinitions are installed at start");
					}
					try {
						api.createCustomResourceDefinition(crd).execute();
						installed.add(crd.getMetadata().getName());
					} catch (ApiException e) {
						throw new IllegalStateException("kube.controller.embedded.crds: " + resource.getDescription()
								+ ": CustomResourceDefinition " + crd.getMetadata().getName() + " was refused ("
								+ e.getCode() + "): " + e.getResponseBody(), e);
					}
				}
			}
		}
		return installed;
	}

	/**
	 * Reads every YAML document of the file. SnakeYAML plus client-java's Gson, rather than client-java's
	 * {@code Yaml.loadAll}, which first scans every model class on the class path (seconds at start-up).
	 */
	private static List<Object> load(Resource resource) {
		try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
			List<Object> documents = new ArrayList<>();
			for (Object document : new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
				if (document == null) {
					continue;
				}
				JsonElement json = JSON.getGson().toJsonTree(document);
				boolean crd = json.isJsonObject() && json.getAsJsonObject().has("kind")
						&& "CustomResourceDefinition".equals(json.getAsJsonObject().get("kind").getAsString());
				documents.add(crd ? JSON.getGson().fromJson(json, V1CustomResourceDefinition.class)
						: (json.isJsonObject() && json.getAsJsonObject().has("kind")
								? json.getAsJsonObject().get("kind").getAsString() : "document without a kind"));
			}
			return documents;
		} catch (IOException | RuntimeException e) {
			throw new IllegalStateException("kube.controller.embedded.crds: " + resource.getDescription()
					+ " is not Kubernetes YAML: " + e.getMessage(), e);
		}
	}

	/** The emulator, for tests and tools: faults, audit, access control. */
	public KubeApiEmulator emulator() {
		return emulator;
	}

	/** The kubeconfig written for kubectl. */
	public Path kubeconfig() {
		return kubeconfig;
	}

	/** Names of the CustomResourceDefinitions installed at start. */
	public List<String> installedCrds() {
		return installedCrds;
	}

	@Override
	public void close() {
		emulator.stop();
	}
}
