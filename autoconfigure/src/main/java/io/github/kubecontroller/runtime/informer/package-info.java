/**
 * Shared watches and their caches: our own list/watch loop (paginated lists, bookmarks, streaming lists, resume
 * from the last resourceVersion, backoff with jitter), an atomically swapped cache with indexes, and a registry that
 * shares one watch per resource type, namespace and selectors.
 */
package io.github.kubecontroller.runtime.informer;
