/**
 * Controllers: the reconciler interface, per-controller settings, and the worker loop that takes keys from the work
 * queue, reconciles them under a timeout, runs the finalizer flow and schedules retries and requeues.
 */
package io.github.kubecontroller.runtime.controller;
