package io.github.kubecontroller.runtime.apply;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.runtime.client.JsonRequests;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Reads objects as the server stores them, managedFields included (client-java's models drop them). */
final class StoredObjects {

	private StoredObjects() {
	}

	static JsonObject get(ApiClient client, String path) throws ApiException {
		return new JsonRequests(client).get(path);
	}

	/** {@code manager/operation/subresource} of every managedFields entry. */
	static List<String> managers(JsonObject object) {
		List<String> managers = new ArrayList<>();
		for (JsonElement entry : object.getAsJsonObject("metadata").getAsJsonArray("managedFields")) {
			JsonObject fields = entry.getAsJsonObject();
			managers.add(fields.get("manager").getAsString() + "/" + fields.get("operation").getAsString() + "/"
					+ (fields.has("subresource") ? fields.get("subresource").getAsString() : ""));
		}
		return managers;
	}
}
