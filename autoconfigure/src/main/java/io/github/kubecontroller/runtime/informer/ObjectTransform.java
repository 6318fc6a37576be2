package io.github.kubecontroller.runtime.informer;

import com.google.gson.JsonElement;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.Objects;

/**
 * Changes each object before it is cached, to save memory: drop fields the application never reads. It runs on
 * the informer's thread for every listed object and every watch event, and must return an object of the informer's
 * Java type (usually the same instance). An exception is logged and the object is cached as the transform left it.
 *
 * <p>Never drop {@code metadata.name}, {@code namespace}, {@code resourceVersion} or {@code uid}; drop
 * {@code ownerReferences} only if nothing looks up children by owner.
 */
@FunctionalInterface
public interface ObjectTransform {

	/** Caches objects as the server sent them. */
	ObjectTransform NONE = (object) -> object;

	/**
	 * Removes {@code metadata.managedFields}, which server-side apply fills and controllers rarely read. Works for
	 * client-java models, classes with a {@link V1ObjectMeta} and {@link DynamicKubernetesObject}. The default.
	 */
	ObjectTransform DROP_MANAGED_FIELDS = ObjectTransform::dropManagedFields;

	/** The changed object. */
	KubernetesObject apply(KubernetesObject object);

	/** This transform followed by {@code next}. */
	default ObjectTransform andThen(ObjectTransform next) {
		Objects.requireNonNull(next, "next");
		return (object) -> next.apply(apply(object));
	}

	private static KubernetesObject dropManagedFields(KubernetesObject object) {
		if (object instanceof DynamicKubernetesObject dynamic) {
			// getMetadata() of a dynamic object decodes a copy; the JSON tree is what is kept.
			JsonElement metadata = dynamic.getRaw().get("metadata");
			if (metadata != null && metadata.isJsonObject()) {
				metadata.getAsJsonObject().remove("managedFields");
			}
		}
		else if (object != null && object.getMetadata() != null) {
			object.getMetadata().setManagedFields(null);
		}
		return object;
	}
}
