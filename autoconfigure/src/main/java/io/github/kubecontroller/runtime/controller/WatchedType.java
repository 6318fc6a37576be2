package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.common.KubernetesObject;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secondary kind whose changes requeue primary objects chosen by a mapping function, such as a Secret that
 * several custom resources refer to.
 *
 * @param type the watched kind
 * @param mapper the keys of the primary objects to reconcile when an object of this kind changes (called with the
 * old and with the new state on updates)
 * @param <U> the watched Java type
 */
public record WatchedType<U extends KubernetesObject>(TypeRef<U> type, Function<U, Collection<ObjectKey>> mapper) {

	public WatchedType {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(mapper, "mapper");
	}
}
