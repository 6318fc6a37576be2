/**
 * Writes by server-side apply: {@link io.github.kubecontroller.runtime.apply.ServerSideApply} for objects and
 * their status, {@link io.github.kubecontroller.runtime.apply.StatusWriter} for status writes that are skipped when
 * nothing changed.
 *
 * <p>Request bodies never carry the empty lists and maps that client-java's models hold by default: in a forced
 * apply they would take over and clear what other managers own, such as their finalizers and labels.
 */
package io.github.kubecontroller.runtime.apply;
