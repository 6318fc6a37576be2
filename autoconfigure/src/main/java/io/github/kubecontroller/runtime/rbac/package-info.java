/**
 * The RBAC rules a set of controllers needs, derived from what the runtime does for them: list and watch for every
 * cache, server-side apply for owned kinds and status, JSON patches for finalizers, Events. Plan them with
 * {@link io.github.kubecontroller.runtime.rbac.RbacPolicy#builder}, then write them as a ServiceAccount, Roles and
 * ClusterRoles with {@link io.github.kubecontroller.runtime.rbac.RbacManifest}.
 */
@NullMarked
package io.github.kubecontroller.runtime.rbac;

import org.jspecify.annotations.NullMarked;
