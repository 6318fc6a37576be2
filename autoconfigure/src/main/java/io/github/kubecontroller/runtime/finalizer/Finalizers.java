package io.github.kubecontroller.runtime.finalizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.kubecontroller.runtime.client.JsonRequests;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds and removes one finalizer of an object without ever losing the finalizers others add or remove meanwhile.
 *
 * <p>Both operations are JSON patches guarded by a {@code test} operation on what the patch relies on: adding
 * tests the whole current list (or, when there is none, the resourceVersion) before appending; removing tests
 * that the element at the finalizer's index still is the finalizer before removing that index. When someone changed
 * the list in between, the test fails (422), the object is read again and the patch recomputed, a bounded number
 * of times. No update ever sends a whole object, so nothing else of the object can be overwritten either.
 *
 * <p>Errors other than a failed test are client-java's {@link ApiException}, with the status code, headers
 * (Retry-After) and body.
 */
public final class Finalizers {

	private static final String JSON_PATCH = "application/json-patch+json";

	private static final Logger logger = LoggerFactory.getLogger(Finalizers.class);

	/** How many patches one call tries before giving up on a list that keeps changing. */
	static final int MAX_ATTEMPTS = 5;

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

	private final JsonRequests requests;
	private final List<Pair> query;

	/** Finalizer patches through {@code client}. */
	public Finalizers(ApiClient client) {
		this(client, null);
	}

	/** Finalizer patches recorded in managedFields under {@code fieldManager} (a controller's name). */
	public Finalizers(ApiClient client, @Nullable String fieldManager) {
		this.requests = new JsonRequests(Objects.requireNonNull(client, "client"));
		this.query = fieldManager == null ? List.of() : List.of(new Pair("fieldManager", fieldManager));
	}

	/**
	 * Adds {@code finalizer} to the object, unless {@code object} already has it (then no call is made).
	 *
	 * @param type the object's resource type
	 * @param object the object as last seen, usually from the informer cache
	 * @param finalizer a domain-qualified name such as {@code demo.kubecontroller.io/cleanup}
	 * @param javaType the type to decode the answer to
	 * @return the object as stored with the finalizer, or {@code object} itself when it already had it
	 * @throws IllegalArgumentException when {@code finalizer} is not a domain-qualified name
	 * @throws IllegalStateException when the object is being deleted: the API server accepts no new finalizer then
	 * @throws ApiException when the API server refuses (404 when the object does not exist)
	 */
	public <T extends KubernetesObject> T add(ResourceType type, T object, String finalizer, Class<T> javaType)
			throws ApiException {
		checkName(finalizer);
		String path = path(type, object);
		Seen seen = Seen.of(object);
		if (seen.resourceVersion() == null && !seen.finalizers().contains(finalizer)) {
			seen = Seen.of(this.requests.get(path)); // not an object from the server: the guard needs its version
		}
		ApiException lastFailure = null;
		for (int attempt = 1;; attempt++) {
			if (seen.finalizers().contains(finalizer)) {
				return seen.as(object, javaType);
			}
			if (attempt > MAX_ATTEMPTS) {
				throw lastFailure;
			}
			if (seen.deleting()) {
				throw new IllegalStateException("cannot add finalizer " + finalizer + " to " + path
						+ ": the object is being deleted, and the API server accepts no new finalizers then");
			}
			JsonArray patch = new JsonArray();
			if (seen.finalizers().isEmpty()) {
				// No list to append to: adding /metadata/finalizers would replace a list created meanwhile.
				patch.add(operation("test", "/metadata/resourceVersion", new JsonPrimitive(seen.resourceVersion())));
				JsonArray list = new JsonArray();
				list.add(finalizer);
				patch.add(operation("add", "/metadata/finalizers", list));
			}
			else {
				patch.add(operation("test", "/metadata/finalizers", strings(seen.finalizers())));
				patch.add(operation("add", "/metadata/finalizers/-", new JsonPrimitive(finalizer)));
			}
			try {
				return JsonRequests.decode(jsonPatch(path, patch), javaType);
			}
			catch (ApiException ex) {
				if (!isFailedTest(ex)) {
					throw ex;
				}
				lastFailure = ex;
				logger.debug("Finalizers of {} changed meanwhile (attempt {}), reading it again", path, attempt);
			}
			seen = Seen.of(this.requests.get(path));
		}
	}

	/**
	 * Removes {@code finalizer} from the object, unless {@code object} does not have it (then no call is made).
	 * Removing the last finalizer of an object that is being deleted lets the deletion complete.
	 *
	 * @param type the object's resource type
	 * @param object the object as last seen, usually from the informer cache
	 * @param finalizer a domain-qualified name such as {@code demo.kubecontroller.io/cleanup}
	 * @param javaType the type to decode the answer to
	 * @return the object as stored without the finalizer ({@code object} itself when it did not have it), or
	 * {@code null} when the object no longer exists: it is gone, which is what removing a finalizer is for
	 * @throws IllegalArgumentException when {@code finalizer} is not a domain-qualified name
	 * @throws ApiException when the API server refuses
	 */
	public <T extends KubernetesObject> @Nullable T remove(ResourceType type, T object, String finalizer,
			Class<T> javaType) throws ApiException {
		checkName(finalizer);
		String path = path(type, object);
		Seen seen = Seen.of(object);
		ApiException lastFailure = null;
		for (int attempt = 1;; attempt++) {
			int index = seen.finalizers().indexOf(finalizer);
			if (index < 0) {
				return seen.as(object, javaType);
			}
			if (attempt > MAX_ATTEMPTS) {
				if (lastFailure == null) { // every patch succeeded, yet the list still holds it
					throw new IllegalStateException("finalizer " + finalizer + " is listed more than "
							+ MAX_ATTEMPTS + " times on " + path);
				}
				throw lastFailure;
			}
			JsonArray patch = new JsonArray();
			patch.add(operation("test", "/metadata/finalizers/" + index, new JsonPrimitive(finalizer)));
			patch.add(operation("remove", "/metadata/finalizers/" + index, null));
			try {
				// Normally the last pass; another one only if the finalizer was listed twice.
				seen = Seen.of(jsonPatch(path, patch));
			}
			catch (ApiException ex) {
				if (ex.getCode() == 404) {
					return null;
				}
				if (!isFailedTest(ex)) {
					throw ex;
				}
				lastFailure = ex;
				logger.debug("Finalizers of {} changed meanwhile (attempt {}), reading it again", path, attempt);
				JsonObject current = getIfExists(path);
				if (current == null) {
					return null;
				}
				seen = Seen.of(current);
			}
		}
	}

	/** Whether {@code object} lists {@code finalizer}. */
	private JsonObject jsonPatch(String path, JsonArray operations) throws ApiException {
		return this.requests.send("PATCH", path, query, JSON_PATCH,
				operations.toString().getBytes(StandardCharsets.UTF_8));
	}

	public static boolean has(KubernetesObject object, String finalizer) {
		V1ObjectMeta metadata = object.getMetadata();
		return metadata != null && metadata.getFinalizers() != null && metadata.getFinalizers().contains(finalizer);
	}

	/** Whether {@code object} is being deleted: it has a {@code deletionTimestamp} and waits for its finalizers. */
	public static boolean isDeleting(KubernetesObject object) {
		V1ObjectMeta metadata = object.getMetadata();
		return metadata != null && metadata.getDeletionTimestamp() != null;
	}

	/**
	 * Checks that {@code finalizer} is a domain-qualified name, {@code prefix/name}: the prefix a DNS subdomain,
	 * the name up to 63 alphanumerics, {@code -}, {@code _} and {@code .}. The API server takes unqualified names
	 * too, but only warns; a controller's own finalizers should carry its domain so that they cannot clash.
	 */
	static void checkName(String finalizer) {
		Objects.requireNonNull(finalizer, "finalizer");
		int slash = finalizer.indexOf('/');
		String prefix = (slash >= 0) ? finalizer.substring(0, slash) : "";
		String name = finalizer.substring(slash + 1);
		if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()
				|| name.length() > 63 || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("invalid finalizer \"" + finalizer
					+ "\": expected a domain-qualified name such as demo.kubecontroller.io/cleanup (a lowercase DNS "
					+ "subdomain, '/', then 1 to 63 alphanumerics, '-', '_' or '.', starting and ending with an "
					+ "alphanumeric)");
		}
	}

	private @Nullable JsonObject getIfExists(String path) throws ApiException {
		try {
			return this.requests.get(path);
		}
		catch (ApiException ex) {
			if (ex.getCode() == 404) {
				return null;
			}
			throw ex;
		}
	}

	// The server answers a failed test with 422 (the patch cannot be applied); 409 is an update conflict
	// inside the server. Both mean: the object changed, look again.
	private static boolean isFailedTest(ApiException ex) {
		return ex.getCode() == 422 || ex.getCode() == 409;
	}

	private static String path(ResourceType type, KubernetesObject object) {
		Objects.requireNonNull(type, "type");
		V1ObjectMeta metadata = Objects.requireNonNull(object, "object").getMetadata();
		if (metadata == null || metadata.getName() == null) {
			throw new IllegalArgumentException("the object has no metadata.name");
		}
		if (type.namespaced() && metadata.getNamespace() == null) {
			throw new IllegalArgumentException("the " + type.kind() + " " + metadata.getName() + " has no namespace");
		}
		return type.objectPath(metadata.getNamespace(), metadata.getName());
	}

	private static JsonObject operation(String op, String pointer, @Nullable JsonElement value) {
		JsonObject operation = new JsonObject();
		operation.addProperty("op", op);
		operation.addProperty("path", pointer);
		if (value != null) {
			operation.add("value", value);
		}
		return operation;
	}

	private static JsonArray strings(List<String> values) {
		JsonArray array = new JsonArray();
		values.forEach(array::add);
		return array;
	}

	/**
	 * What is known of the object: from the caller's copy ({@code json} null) or as the server last answered.
	 */
	private record Seen(@Nullable String resourceVersion, List<String> finalizers, boolean deleting,
			@Nullable JsonObject json) {

		static Seen of(KubernetesObject object) {
			V1ObjectMeta metadata = object.getMetadata();
			List<String> finalizers = (metadata.getFinalizers() != null) ? metadata.getFinalizers() : List.of();
			return new Seen(metadata.getResourceVersion(), List.copyOf(finalizers),
					metadata.getDeletionTimestamp() != null, null);
		}

		static Seen of(JsonObject json) {
			JsonObject metadata = json.getAsJsonObject("metadata");
			List<String> finalizers = new ArrayList<>();
			JsonElement list = metadata.get("finalizers");
			if (list != null && list.isJsonArray()) {
				list.getAsJsonArray().forEach((element) -> finalizers.add(element.getAsString()));
			}
			JsonElement resourceVersion = metadata.get("resourceVersion");
			JsonElement deletionTimestamp = metadata.get("deletionTimestamp");
			return new Seen((resourceVersion != null) ? resourceVersion.getAsString() : null, finalizers,
					deletionTimestamp != null && !deletionTimestamp.isJsonNull(), json);
		}

		<T> T as(T callersObject, Class<T> javaType) {
			return (this.json != null) ? JsonRequests.decode(this.json, javaType) : callersObject;
		}
	}
}
