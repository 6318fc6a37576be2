package io.github.kubecontroller.test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads Kubernetes YAML (one or more documents separated by {@code ---}) into JSON objects, the form the API server
 * takes. SnakeYAML plus client-java's Gson rather than client-java's {@code Yaml.loadAll}, which scans every model
 * class on the class path first.
 */
final class YamlDocuments {

	private YamlDocuments() {
	}

	/**
	 * The documents of {@code yaml}, empty ones skipped.
	 *
	 * @param source what the text is, for error messages
	 * @throws IllegalArgumentException when the text is not YAML or a document is not a mapping
	 */
	static List<JsonObject> parse(String yaml, String source) {
		List<JsonObject> documents = new ArrayList<>();
		try {
			int index = 0;
			for (Object document : new Yaml(new KubernetesYamlConstructor()).loadAll(yaml)) {
				index++;
				if (document == null) {
					continue;
				}
				JsonElement json = JSON.getGson().toJsonTree(document);
				if (!json.isJsonObject()) {
					throw new IllegalArgumentException(source + ": document " + index + " is not a mapping but " + json);
				}
				documents.add(json.getAsJsonObject());
			}
		}
		catch (RuntimeException ex) {
			if (ex instanceof IllegalArgumentException) {
				throw ex;
			}
			throw new IllegalArgumentException(source + " is not YAML: " + ex.getMessage(), ex);
		}
		return documents;
	}

	/**
	 * SnakeYAML's safe constructor, except that timestamps stay strings: Kubernetes fields hold RFC 3339 text, which
	 * a {@code java.util.Date} would not survive through Gson.
	 */
	private static final class KubernetesYamlConstructor extends SafeConstructor {

		KubernetesYamlConstructor() {
			super(new LoaderOptions());
			this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
		}

	}

}
