/**
 * Health indicator of the controllers, for the readiness probe.
 */
package io.github.kubecontroller.autoconfigure.health;
