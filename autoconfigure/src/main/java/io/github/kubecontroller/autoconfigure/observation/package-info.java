/**
 * Micrometer observations (traces) of reconciles.
 */
package io.github.kubecontroller.autoconfigure.observation;
