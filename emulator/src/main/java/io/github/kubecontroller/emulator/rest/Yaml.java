package io.github.kubecontroller.emulator.rest;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * YAML request bodies (apply patches). JSON is YAML, so kubectl's JSON apply bodies parse here too.
 */
final class Yaml {

	private static final YAMLMapper MAPPER = new YAMLMapper();

	private Yaml() {
	}

	static JsonNode parse(byte[] body) throws IOException {
		JsonNode node = MAPPER.readTree(body);
		if (node == null || node.isMissingNode()) {
			throw new IOException("empty apply body");
		}
		return node;
	}
}
