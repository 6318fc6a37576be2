package io.github.kubecontroller.emulator.control;

import java.time.Instant;

/**
 * One served request, as the audit log keeps it.
 *
 * @param time when the request arrived
 * @param user the authenticated user ({@code system:anonymous} when access control is off)
 * @param userAgent the User-Agent header, or {@code null}
 * @param request what was asked
 * @param code the response status (for watches, 200)
 */
public record AuditEvent(Instant time, String user, String userAgent, RequestAttributes request, int code) {
}
