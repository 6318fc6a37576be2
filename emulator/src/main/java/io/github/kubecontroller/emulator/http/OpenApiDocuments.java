package io.github.kubecontroller.emulator.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.ResourceOperations;

/**
 * OpenAPI v3 as far as kubectl needs it (rules B9–B11): an index of group versions with content hashes, and per group
 * version the PATCH operation of every kind, carrying {@code x-kubernetes-group-version-kind} and the
 * {@code fieldValidation} parameter so that {@code kubectl apply} trusts the server to validate. No schemas are
 * published, so kubectl computes strategic merge patches from its compiled-in types.
 */
final class OpenApiDocuments {

	private final ResourceCatalog catalog;

	private long cachedRevision = -1;

	private Map<String, byte[]> cachedDocuments = Map.of();

	OpenApiDocuments(ResourceCatalog catalog) {
		this.catalog = catalog;
	}

	/** {@code /openapi/v3}. */
	synchronized ObjectNode index() {
		ObjectNode index = Json.object();
		ObjectNode paths = index.putObject("paths");
		documents().forEach((path, document) -> paths.putObject(path)
			.put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + DiscoveryDocuments.sha512(document)));
		return index;
	}

	/** {@code /openapi/v3/<path>}, e.g. {@code api/v1}; {@code null} if not served. */
	synchronized byte[] document(String path) {
		return documents().get(path);
	}

	private Map<String, byte[]> documents() {
		long revision = this.catalog.revision();
		if (revision != this.cachedRevision) {
			Map<String, byte[]> documents = new LinkedHashMap<>();
			this.catalog.snapshot().forEach((group, versions) -> versions.forEach((version, types) -> {
				String path = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
				documents.put(path, Json.write(groupVersionDocument(path, types)));
			}));
			this.cachedDocuments = documents;
			this.cachedRevision = revision;
		}
		return this.cachedDocuments;
	}

	private static ObjectNode groupVersionDocument(String path, List<ResourceType> types) {
		ObjectNode doc = Json.object();
		doc.put("openapi", "3.0.0");
		doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
		ObjectNode paths = doc.putObject("paths");
		for (ResourceType type : types) {
			String item = "/" + path + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural()
					+ "/{name}";
			paths.putObject(item).set("patch", patchOperation(type, false));
			if (type.statusSubresource()) {
				paths.putObject(item + "/status").set("patch", patchOperation(type, true));
			}
		}
		doc.putObject("components").putObject("schemas");
		return doc;
	}

	private static ObjectNode patchOperation(ResourceType type, boolean status) {
		ObjectNode operation = Json.object();
		operation.putArray("tags").add(type.group().isEmpty() ? "core_" + type.version() : type.group());
		operation.put("operationId", "patch" + (type.namespaced() ? "Namespaced" : "") + type.kind()
				+ (status ? "Status" : ""));
		ArrayNode parameters = operation.putArray("parameters");
		for (String name : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
			parameters.addObject()
				.put("name", name)
				.put("in", "query")
				.putObject("schema")
				.put("type", name.equals("force") ? "boolean" : "string")
				.put("uniqueItems", true);
		}
		ObjectNode content = operation.putObject("requestBody").putObject("content");
		List<String> patchTypes = type.isCustom() ? ResourceOperations.CUSTOM_PATCH_TYPES
				: ResourceOperations.BUILT_IN_PATCH_TYPES;
		for (String mediaType : patchTypes) {
			content.putObject(mediaType).putObject("schema").put("type", "object");
		}
		operation.putObject("responses").putObject("200").put("description", "OK");
		operation.put("x-kubernetes-action", "patch");
		operation.putObject("x-kubernetes-group-version-kind")
			.put("group", type.group())
			.put("version", type.version())
			.put("kind", type.kind());
		return operation;
	}
}
