package io.github.kubecontroller.runtime.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import org.jspecify.annotations.Nullable;

/**
 * Sends one request with a JSON body of a chosen content type through an {@link ApiClient} (its base path,
 * authentication and interceptors) and returns the object answered. The runtime's writers use it for patches:
 * client-java's generated patch methods label every body {@code application/json}, which the API server rejects.
 * Failures are the client's {@link ApiException}, with status code, response headers (Retry-After) and body.
 */
public final class JsonRequests {

	private static final String[] AUTH_NAMES = { "BearerToken" };

	private final ApiClient client;

	public JsonRequests(ApiClient client) {
		this.client = client;
	}

	/** GETs the object at {@code path}. */
	public JsonObject get(String path) throws ApiException {
		return send("GET", path, List.of(), null, null);
	}

	/**
	 * Sends {@code method path?query} with {@code body} (sent verbatim) as {@code contentType}; returns the object
	 * answered.
	 */
	public JsonObject send(String method, String path, List<Pair> query, @Nullable String contentType,
			byte @Nullable [] body) throws ApiException {
		Map<String, String> headers = new HashMap<>();
		headers.put("Accept", "application/json");
		if (contentType != null) {
			headers.put("Content-Type", contentType);
		}
		Call call = client.buildCall(null, path, method, query, List.of(), body, headers, new HashMap<>(),
				new HashMap<>(), AUTH_NAMES, null);
		ApiResponse<JsonElement> response = client.execute(call, JsonElement.class);
		JsonElement data = response.getData();
		if (data == null || !data.isJsonObject()) {
			throw new ApiException("expected an object in the response to " + method + " " + path, null,
					response.getStatusCode(), response.getHeaders(), String.valueOf(data));
		}
		return data.getAsJsonObject();
	}

	/**
	 * Decodes an object answered by the server into {@code javaType}: a client-java model or custom class through
	 * client-java's Gson, a {@link DynamicKubernetesObject} or {@link JsonObject} as the tree itself.
	 */
	public static <T> T decode(JsonObject json, Class<T> javaType) {
		if (javaType.isInstance(json)) {
			return javaType.cast(json);
		}
		if (javaType == DynamicKubernetesObject.class) {
			return javaType.cast(new DynamicKubernetesObject(json));
		}
		return JSON.getGson().fromJson(json, javaType);
	}
}
