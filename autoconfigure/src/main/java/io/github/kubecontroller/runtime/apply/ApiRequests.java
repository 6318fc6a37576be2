package io.github.kubecontroller.runtime.apply;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;

/**
 * Sends a request with a JSON body of a given content type through the {@link ApiClient} (its base path,
 * authentication and interceptors) and decodes the answer.
 *
 * <p>The body goes out as bytes so that the client sends it verbatim under our {@code Content-Type}; client-java's
 * generated patch methods would label it {@code application/json}, which the API server rejects. Failures are the
 * client's {@link ApiException}, with the status code, the response headers (Retry-After) and the body.
 */
final class ApiRequests {

	private static final String[] AUTH_NAMES = { "BearerToken" };

	private final ApiClient client;

	ApiRequests(ApiClient client) {
		this.client = client;
	}

	/** Sends {@code method path?query} with {@code body} as {@code contentType}; returns the object answered. */
	JsonObject send(String method, String path, List<Pair> query, String contentType, String body)
			throws ApiException {
		Map<String, String> headers = new HashMap<>();
		headers.put("Content-Type", contentType);
		headers.put("Accept", "application/json");
		Call call = this.client.buildCall(null, path, method, query, List.of(),
				body.getBytes(StandardCharsets.UTF_8), headers, new HashMap<>(), new HashMap<>(), AUTH_NAMES, null);
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
