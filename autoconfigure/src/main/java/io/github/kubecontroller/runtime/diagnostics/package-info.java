/**
 * Diagnostics of running controllers: the last error of each failing object, reconcile loops that feed on their own
 * writes or fight another writer, and deletions held up by a finalizer whose cleanup does not succeed. Each part is
 * a {@link io.github.kubecontroller.runtime.controller.ControllerObserver} or reads a controller's cache; none of them
 * keeps object contents.
 */
package io.github.kubecontroller.runtime.diagnostics;
