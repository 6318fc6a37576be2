/**
 * The {@code kubecontrollers} actuator endpoint and the diagnostics it shows: recent errors, reconciles running now,
 * hot loops and deletions stuck on a finalizer.
 */
package io.github.kubecontroller.autoconfigure.endpoint;
