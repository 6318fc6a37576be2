package io.github.kubecontroller.emulator.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;

/**
 * The discovery documents: legacy ({@code APIVersions}, {@code APIGroupList}, {@code APIGroup},
 * {@code APIResourceList}; rules B2–B4) and aggregated ({@code APIGroupDiscoveryList} v2 and v2beta1; rules B5–B8).
 */
final class DiscoveryDocuments {

	private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

	private final ResourceCatalog catalog;

	DiscoveryDocuments(ResourceCatalog catalog) {
		this.catalog = catalog;
	}

	ObjectNode apiVersions(String serverAddress) {
		ObjectNode doc = Json.object();
		doc.put("kind", "APIVersions");
		doc.putArray("versions").add("v1");
		doc.putArray("serverAddressByClientCIDRs")
			.addObject()
			.put("clientCIDR", "0.0.0.0/0")
			.put("serverAddress", serverAddress);
		return doc;
	}

	ObjectNode apiGroupList() {
		ObjectNode doc = Json.object();
		doc.put("kind", "APIGroupList");
		doc.put("apiVersion", "v1");
		ArrayNode groups = doc.putArray("groups");
		this.catalog.snapshot().forEach((group, versions) -> {
			if (!group.isEmpty()) {
				groups.add(apiGroupBody(group, versions));
			}
		});
		return doc;
	}

	/** {@code /apis/<group>}, or {@code null} for an unknown group. */
	ObjectNode apiGroup(String group) {
		Map<String, List<ResourceType>> versions = this.catalog.snapshot().get(group);
		if (versions == null || group.isEmpty()) {
			return null;
		}
		ObjectNode doc = Json.object();
		doc.put("kind", "APIGroup");
		doc.put("apiVersion", "v1");
		doc.setAll(apiGroupBody(group, versions));
		return doc;
	}

	private static ObjectNode apiGroupBody(String group, Map<String, List<ResourceType>> versions) {
		ObjectNode body = Json.object();
		body.put("name", group);
		ArrayNode list = body.putArray("versions");
		versions.keySet()
			.forEach((version) -> list.addObject().put("groupVersion", group + "/" + version).put("version", version));
		String preferred = versions.keySet().iterator().next();
		body.putObject("preferredVersion").put("groupVersion", group + "/" + preferred).put("version", preferred);
		return body;
	}

	/** {@code /api/v1} or {@code /apis/<group>/<version>}, or {@code null} when not served. */
	ObjectNode apiResourceList(String group, String version) {
		List<ResourceType> types = this.catalog.snapshot().getOrDefault(group, Map.of()).get(version);
		if (types == null) {
			return null;
		}
		ObjectNode doc = Json.object();
		doc.put("kind", "APIResourceList");
		doc.put("apiVersion", "v1");
		doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
		ArrayNode resources = doc.putArray("resources");
		for (ResourceType type : types) {
			ObjectNode resource = resources.addObject();
			resource.put("name", type.plural());
			resource.put("singularName", type.singular());
			resource.put("namespaced", type.namespaced());
			resource.put("kind", type.kind());
			strings(resource.putArray("verbs"), type.verbs());
			if (!type.shortNames().isEmpty()) {
				strings(resource.putArray("shortNames"), type.shortNames());
			}
			if (!type.categories().isEmpty()) {
				strings(resource.putArray("categories"), type.categories());
			}
			if (type.statusSubresource()) {
				ObjectNode status = resources.addObject();
				status.put("name", type.plural() + "/status");
				status.put("singularName", "");
				status.put("namespaced", type.namespaced());
				status.put("kind", type.kind());
				strings(status.putArray("verbs"), SUBRESOURCE_VERBS);
			}
		}
		return doc;
	}

	/** The aggregated document of {@code /api} (core only) or {@code /apis} (every named group). */
	ObjectNode aggregated(boolean core, String apiVersion) {
		ObjectNode doc = Json.object();
		doc.put("kind", "APIGroupDiscoveryList");
		doc.put("apiVersion", apiVersion);
		doc.putObject("metadata");
		ArrayNode items = doc.putArray("items");
		this.catalog.snapshot().forEach((group, versions) -> {
			if (group.isEmpty() != core) {
				return;
			}
			ObjectNode item = items.addObject();
			ObjectNode metadata = item.putObject("metadata");
			if (!group.isEmpty()) {
				metadata.put("name", group);
			}
			metadata.putNull("creationTimestamp");
			ArrayNode versionList = item.putArray("versions");
			versions.forEach((version, types) -> {
				ObjectNode versionNode = versionList.addObject();
				versionNode.put("version", version);
				ArrayNode resources = versionNode.putArray("resources");
				for (ResourceType type : types) {
					resources.add(aggregatedResource(type));
				}
				versionNode.put("freshness", "Current");
			});
		});
		return doc;
	}

	private static ObjectNode aggregatedResource(ResourceType type) {
		ObjectNode resource = Json.object();
		resource.put("resource", type.plural());
		responseKind(resource.putObject("responseKind"), type);
		resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
		resource.put("singularResource", type.singular());
		strings(resource.putArray("verbs"), type.verbs());
		if (!type.shortNames().isEmpty()) {
			strings(resource.putArray("shortNames"), type.shortNames());
		}
		if (!type.categories().isEmpty()) {
			strings(resource.putArray("categories"), type.categories());
		}
		if (type.statusSubresource()) {
			ObjectNode status = resource.putArray("subresources").addObject();
			status.put("subresource", "status");
			responseKind(status.putObject("responseKind"), type);
			strings(status.putArray("verbs"), SUBRESOURCE_VERBS);
		}
		return resource;
	}

	private static void responseKind(ObjectNode node, ResourceType type) {
		node.put("group", type.group()).put("version", type.version()).put("kind", type.kind());
	}

	private static void strings(ArrayNode array, List<String> values) {
		values.forEach(array::add);
	}

	/** The ETag of a discovery document: the quoted upper-case hex SHA-512 of its bytes (rule B8). */
	static String etag(byte[] document) {
		return "\"" + sha512(document) + "\"";
	}

	static String sha512(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes)).toUpperCase(Locale.ROOT);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}
