package io.github.kubecontroller.runtime.apply;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.runtime.client.JsonRequests;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.Pair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Server-side apply under one field manager (the controller's name), always with {@code force=true}: the
 * controller is the authority for the fields it applies and takes them over from other managers.
 *
 * <p>Send only the fields you want to own, built fresh rather than copied from the cache. What is sent:
 * <ul>
 *   <li>{@code apiVersion} and {@code kind} from the {@link ResourceType} (cached objects may lack them);</li>
 *   <li>the desired object without nulls, empty arrays and the empty lists and maps client-java's models carry
 *       by default, which would otherwise take over and clear other managers' finalizers, owner references,
 *       labels and annotations. Empty objects such as {@code emptyDir: {}} stay. So an empty list can never be
 *       applied: leave the field out instead, which under server-side apply removes what this manager owned
 *       there;</li>
 *   <li>without the metadata the server owns ({@code resourceVersion}, {@code uid}, {@code generation},
 *       {@code creationTimestamp}, {@code deletionTimestamp}, {@code managedFields}...). In particular no
 *       {@code resourceVersion}: an apply is declarative and must not fail because the copy it was built from is
 *       stale.</li>
 * </ul>
 *
 * <p>Failures are client-java's {@link ApiException} with the status code, headers (Retry-After) and body.
 */
public final class ServerSideApply {

	static final String APPLY_PATCH = "application/apply-patch+yaml";

	private static final int MAX_FIELD_MANAGER_LENGTH = 128;

	private static final Set<String> SERVER_OWNED_METADATA = Set.of("resourceVersion", "uid", "generation",
			"creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");

	private final JsonRequests requests;

	private final String fieldManager;

	private final PrunedJson json;

	/**
	 * @param client the API client
	 * @param fieldManager the field manager recorded in {@code managedFields}, usually the controller's name (at
	 * most 128 characters)
	 */
	public ServerSideApply(ApiClient client, String fieldManager) {
		Objects.requireNonNull(client, "client");
		Objects.requireNonNull(fieldManager, "fieldManager");
		if (fieldManager.isBlank() || fieldManager.length() > MAX_FIELD_MANAGER_LENGTH) {
			throw new IllegalArgumentException(
					"fieldManager must be 1 to 128 characters, was \"" + fieldManager + "\"");
		}
		this.requests = new JsonRequests(client);
		this.fieldManager = fieldManager;
		this.json = new PrunedJson(JSON.getGson());
	}

	/** The field manager this applies as. */
	public String fieldManager() {
		return this.fieldManager;
	}

	/**
	 * Applies {@code desired}: creates the object, or updates the fields this manager applies.
	 *
	 * @param type the object's resource type
	 * @param desired the fields to own, with {@code metadata.name} (and {@code metadata.namespace} for namespaced
	 * kinds); a {@code DynamicKubernetesObject} works too
	 * @param javaType the type to decode the answer to
	 * @return the object as stored
	 */
	public <T extends KubernetesObject> T apply(ResourceType type, T desired, Class<T> javaType) throws ApiException {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(javaType, "javaType");
		return JsonRequests.decode(applyTree(type, this.json.objectTree(Objects.requireNonNull(desired, "desired"))),
				javaType);
	}

	/**
	 * Applies {@code desired} given as JSON, for objects without a Java class. Pruned like typed objects, except
	 * that empty maps other than {@code metadata.labels} and {@code metadata.annotations} stay: a tree holds only
	 * what was written on purpose.
	 *
	 * @return the object as stored
	 */
	public JsonObject apply(ResourceType type, JsonObject desired) throws ApiException {
		Objects.requireNonNull(type, "type");
		return applyTree(type, this.json.objectTree(Objects.requireNonNull(desired, "desired")));
	}

	private JsonObject applyTree(ResourceType type, JsonObject body) throws ApiException {
		JsonObject metadata = body.getAsJsonObject("metadata");
		if (metadata != null) {
			SERVER_OWNED_METADATA.forEach(metadata::remove);
			removeIfEmptyObject(metadata, "labels");
			removeIfEmptyObject(metadata, "annotations");
		}
		return send(type, body, "");
	}

	/**
	 * Applies the {@code status} of {@code desired} on the status subresource. Only the identity and the status
	 * are sent; the main endpoint would ignore a status, and the status endpoint ignores everything else.
	 *
	 * @return the object as stored
	 */
	public <T extends KubernetesObject> T applyStatus(ResourceType type, T desired, Class<T> javaType)
			throws ApiException {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(javaType, "javaType");
		JsonObject tree = this.json.objectTree(Objects.requireNonNull(desired, "desired"));
		JsonElement status = tree.get("status");
		return JsonRequests.decode(applyStatusTree(type, tree.getAsJsonObject("metadata"),
				(status != null) ? status : new JsonObject()), javaType);
	}

	/** Applies the {@code status} of {@code desired}, given as JSON, on the status subresource. */
	public JsonObject applyStatus(ResourceType type, JsonObject desired) throws ApiException {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(desired, "desired");
		JsonElement status = desired.get("status");
		return applyStatusTree(type, desired.getAsJsonObject("metadata"),
				(status != null) ? this.json.tree(status) : new JsonObject());
	}

	/** Applies an already pruned status tree for the object named by {@code metadata}. */
	JsonObject applyStatusTree(ResourceType type, @Nullable JsonObject metadata, JsonElement status)
			throws ApiException {
		JsonObject identity = new JsonObject();
		if (metadata != null) {
			copy(metadata, identity, "name");
			copy(metadata, identity, "namespace");
		}
		JsonObject body = new JsonObject();
		body.add("metadata", identity);
		body.add("status", status.isJsonNull() ? new JsonObject() : status);
		return send(type, body, "/status");
	}

	/** The pruned JSON of any value, as it would be sent. */
	JsonElement pruned(Object value) {
		return this.json.tree(value);
	}

	private JsonObject send(ResourceType type, JsonObject body, String subresource) throws ApiException {
		JsonObject metadata = body.getAsJsonObject("metadata");
		String name = (metadata != null) ? string(metadata, "name") : null;
		String namespace = (metadata != null) ? string(metadata, "namespace") : null;
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("metadata.name is required to apply a " + type.kind());
		}
		if (type.namespaced() && (namespace == null || namespace.isEmpty())) {
			throw new IllegalArgumentException(
					"metadata.namespace is required to apply a " + type.kind() + " (" + name + ")");
		}
		// The resource type decides apiVersion and kind: objects from the cache may lack them.
		JsonObject typed = new JsonObject();
		typed.addProperty("apiVersion", type.apiVersion());
		typed.addProperty("kind", type.kind());
		body.entrySet()
			.stream()
			.filter((member) -> !member.getKey().equals("apiVersion") && !member.getKey().equals("kind"))
			.forEach((member) -> typed.add(member.getKey(), member.getValue()));
		List<Pair> query = List.of(new Pair("fieldManager", this.fieldManager), new Pair("force", "true"));
		return this.requests.send("PATCH", type.objectPath(namespace, name) + subresource, query, APPLY_PATCH,
				typed.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static void copy(JsonObject from, JsonObject to, String member) {
		JsonElement value = from.get(member);
		if (value != null && !value.isJsonNull()) {
			to.add(member, value);
		}
	}

	private static @Nullable String string(JsonObject object, String member) {
		JsonElement value = object.get(member);
		return (value != null && value.isJsonPrimitive()) ? value.getAsString() : null;
	}

	private static void removeIfEmptyObject(JsonObject object, String member) {
		JsonElement value = object.get(member);
		if (value != null && value.isJsonObject() && value.getAsJsonObject().isEmpty()) {
			object.remove(member);
		}
	}
}
