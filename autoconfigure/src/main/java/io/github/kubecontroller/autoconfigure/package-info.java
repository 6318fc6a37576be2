/**
 * Spring Boot auto-configuration of the controller runtime: the {@link io.github.kubecontroller.autoconfigure.Reconciler}
 * annotation, {@code kube.controller.*} properties, and the lifecycle that starts controllers with the application.
 */
package io.github.kubecontroller.autoconfigure;
