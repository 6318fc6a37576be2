package io.github.kubecontroller.runtime.apply;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.runtime.client.JsonRequests;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes an object's status only when it differs from the cached one, so that a steady-state reconcile makes no
 * API call. The status is written by server-side apply on the status subresource, with the field manager of the
 * given {@link ServerSideApply} and {@code force=true}.
 *
 * <p>Desired and cached status are compared as the JSON that would be sent: nulls, empty arrays and the empty
 * lists and maps of client-java's models do not count, and neither does the order of object keys (the order of
 * list elements does). Two consequences:
 * <ul>
 *   <li>the status should belong to this controller alone: a field another writer keeps in the status makes
 *       every comparison differ, and every reconcile write;</li>
 *   <li>build the desired status from the cached one where it holds timestamps, such as a condition's
 *       {@code lastTransitionTime}, so that they only change when the condition does.</li>
 * </ul>
 */
public final class StatusWriter {

	private final ServerSideApply apply;

	/** A status writer that applies as {@code apply}'s field manager. */
	public StatusWriter(ServerSideApply apply) {
		this.apply = Objects.requireNonNull(apply, "apply");
	}

	/**
	 * Writes {@code desiredStatus} as the status of {@code cached}, unless it already is.
	 *
	 * @param type the object's resource type (it must have a status subresource)
	 * @param cached the object as last seen, usually from the informer cache
	 * @param desiredStatus the status to have: a client-java status model, a custom class, a {@code Map} or a
	 * {@code JsonElement}; null for an empty status
	 * @param javaType the type to decode the answer to
	 * @return {@code cached} itself when the status was already as desired (no API call), otherwise the object as
	 * stored after the write
	 */
	public <T extends KubernetesObject> T writeStatus(ResourceType type, T cached, @Nullable Object desiredStatus,
			Class<T> javaType) throws ApiException {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(cached, "cached");
		Objects.requireNonNull(javaType, "javaType");
		JsonObject current = this.apply.pruned(cached).getAsJsonObject();
		JsonElement desired = orEmpty(this.apply.pruned(desiredStatus));
		// JsonObject equality compares members as a map, so the order of keys does not matter.
		if (desired.equals(orEmpty(current.get("status")))) {
			return cached;
		}
		JsonObject stored = this.apply.applyStatusTree(type, current.getAsJsonObject("metadata"), desired);
		return JsonRequests.decode(stored, javaType);
	}

	private static JsonElement orEmpty(@Nullable JsonElement status) {
		return (status == null || status.isJsonNull()) ? new JsonObject() : status;
	}
}
