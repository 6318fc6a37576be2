/**
 * The RBAC manifest of the application's controllers: the {@code kuberbac} actuator endpoint that serves it, and
 * {@link io.github.kubecontroller.autoconfigure.rbac.RbacManifestExport} that writes it at build time.
 */
package io.github.kubecontroller.autoconfigure.rbac;
