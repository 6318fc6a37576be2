package io.github.kubecontroller.runtime.finalizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;

/**
 * Reads and JSON-patches one object through the {@link ApiClient} (its base path, authentication and
 * interceptors), on any path, and decodes the answer.
 *
 * <p>The patch goes out as bytes so that the client sends it verbatim as {@code application/json-patch+json};
 * client-java's generated patch methods would label it {@code application/json}, which the API server rejects.
 * Failures are the client's {@link ApiException}, with the status code, the response headers (Retry-After) and the
 * body.
 */
final class ApiRequests {

	static final String JSON_PATCH = "application/json-patch+json";

	private static final String[] AUTH_NAMES = { "BearerToken" };

	private final ApiClient client;

	ApiRequests(ApiClient client) {
		this.client = client;
	}

	JsonObject get(String path) throws ApiException {
		return send("GET", path, null, null);
	}

	JsonObject jsonPatch(String path, JsonArray operations) throws ApiException {
		return send("PATCH", path, JSON_PATCH, operations.toString().getBytes(StandardCharsets.UTF_8));
	}

	private JsonObject send(String method, String path, String contentType, byte[] body) throws ApiException {
		Map<String, String> headers = new HashMap<>();
		headers.put("Accept", "application/json");
		if (contentType != null) {
			headers.put("Content-Type", contentType);
		}
		Call call = this.client.buildCall(null, path, method, List.of(), List.of(), body, headers, new HashMap<>(),
				new HashMap<>(), AUTH_NAMES, null);
		ApiResponse<JsonElement> response = this.client.execute(call, JsonElement.class);
		JsonElement data = response.getData();
		if (data == null || !data.isJsonObject()) {
			throw new ApiException("expected an object in the response to " + method + " " + path, null,
					response.getStatusCode(), response.getHeaders(), String.valueOf(data));
		}
		return data.getAsJsonObject();
	}

	/**
	 * Decodes an object answered by the server into {@code javaType}: a client-java model or custom class through
	 * the client's Gson, a {@link DynamicKubernetesObject} or {@link JsonObject} as the tree itself.
	 */
	static <T> T decode(JsonObject json, Class<T> javaType) {
		if (javaType.isInstance(json)) {
			return javaType.cast(json);
		}
		if (javaType == DynamicKubernetesObject.class) {
			return javaType.cast(new DynamicKubernetesObject(json));
		}
		return JSON.getGson().fromJson(json, javaType);
	}
}
