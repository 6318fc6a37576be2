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
	ObjectTransform NONE = new BuiltInTransform((object) -> object);

	/**
	 * Removes {@code metadata.managedFields}, which server-side apply fills and controllers rarely read. Works for
	 * client-java models, classes with a {@link V1ObjectMeta} and {@link DynamicKubernetesObject}. The default.
	 */
	ObjectTransform DROP_MANAGED_FIELDS = new BuiltInTransform(ObjectTransform::dropManagedFields);

	/**
	 * Removes the {@code kubectl.kubernetes.io/last-applied-configuration} annotation, a second copy of the object
	 * that client-side {@code kubectl apply} leaves on every object it applied. Controllers never need it.
	 */
	ObjectTransform DROP_LAST_APPLIED_CONFIGURATION = new BuiltInTransform(
			ObjectTransform::dropLastAppliedConfiguration);

	/** The annotation {@link #DROP_LAST_APPLIED_CONFIGURATION} removes. */
	String LAST_APPLIED_CONFIGURATION = "kubectl.kubernetes.io/last-applied-configuration";

	/** The changed object. */
	KubernetesObject apply(KubernetesObject object);

	/** This transform followed by {@code next}. */
	default ObjectTransform andThen(ObjectTransform next) {
		Objects.requireNonNull(next, "next");
		return (object) -> next.apply(apply(object));
	}

	private static KubernetesObject dropLastAppliedConfiguration(KubernetesObject object) {
		if (object instanceof DynamicKubernetesObject dynamic) {
			JsonElement metadata = dynamic.getRaw().get("metadata");
			JsonElement annotations = (metadata != null && metadata.isJsonObject())
					? metadata.getAsJsonObject().get("annotations") : null;
			if (annotations != null && annotations.isJsonObject()) {
				annotations.getAsJsonObject().remove(LAST_APPLIED_CONFIGURATION);
			}
		}
		else if (object != null && object.getMetadata() != null && object.getMetadata().getAnnotations() != null) {
			object.getMetadata().getAnnotations().remove(LAST_APPLIED_CONFIGURATION);
		}
		return object;
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
