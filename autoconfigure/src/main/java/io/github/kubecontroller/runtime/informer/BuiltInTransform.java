package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The transforms {@link ObjectTransform} defines, and their combinations. They work on
 * {@link io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject}s as well as on models, so a compact
 * cache can apply them to an object's JSON tree and keep that JSON as it came, without the empty lists and maps a
 * model written back out would add.
 */
final class BuiltInTransform implements ObjectTransform {

	private final UnaryOperator<KubernetesObject> body;

	BuiltInTransform(UnaryOperator<KubernetesObject> body) {
		this.body = body;
	}

	@Override
	public KubernetesObject apply(KubernetesObject object) {
		return body.apply(object);
	}

	/** A built-in transform again when {@code next} is one too. */
	@Override
	public ObjectTransform andThen(ObjectTransform next) {
		Objects.requireNonNull(next, "next");
		if (next instanceof BuiltInTransform) {
			return new BuiltInTransform((object) -> next.apply(apply(object)));
		}
		return ObjectTransform.super.andThen(next);
	}

	/** Whether {@code transform} can be applied to an object's JSON tree. */
	static boolean appliesToTrees(ObjectTransform transform) {
		return transform instanceof BuiltInTransform;
	}
}
