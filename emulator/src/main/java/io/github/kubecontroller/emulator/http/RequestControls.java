package io.github.kubecontroller.emulator.http;

import io.github.kubecontroller.emulator.control.AccessControl;
import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.Faults;

/**
 * What tests control and observe about every request: access control, injected faults, the audit.
 *
 * @param access authentication and authorization
 * @param faults injected faults
 * @param audit request counters and log
 */
public record RequestControls(AccessControl access, Faults faults, Audit audit) {
}
