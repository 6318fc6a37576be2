/**
 * Event filters: which changes to a watched object are worth a reconcile.
 *
 * <p>Filters only ever see additions and updates. Deletions always reach the reconciler: a filter that could hide
 * a deletion (or the update that sets {@code deletionTimestamp}) is how controllers in other runtimes end up never
 * removing their finalizers. {@link io.github.kubecontroller.runtime.predicate.EventFilter#defaultFilter()} lets
 * through spec changes, finalizer changes and the start of a deletion, and drops status-only updates and resyncs.
 */
package io.github.kubecontroller.runtime.predicate;
