/**
 * Finalizers: {@link io.github.kubecontroller.runtime.finalizer.Finalizers} adds and removes a controller's
 * finalizer with guarded JSON patches, so that finalizers other controllers add or remove at the same time are
 * never lost.
 */
package io.github.kubecontroller.runtime.finalizer;
