/**
 * The embedded API server emulator for development without a cluster.
 */
package io.github.kubecontroller.autoconfigure.embedded;
