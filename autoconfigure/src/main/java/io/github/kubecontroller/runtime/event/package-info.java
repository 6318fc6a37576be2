/**
 * Kubernetes Events ({@code events.k8s.io/v1}) about the objects a controller reconciles:
 * {@link io.github.kubecontroller.runtime.event.EventRecorder} writes them in the background, folds repeats into
 * one Event's {@code series}, and never fails the caller.
 */
package io.github.kubecontroller.runtime.event;
