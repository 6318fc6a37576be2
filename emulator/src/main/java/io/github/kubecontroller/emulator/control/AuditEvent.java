package io.github.kubecontroller.emulator.control;

import java.time.Instant;

/**
 * One served request, as the audit log keeps it.
 *
 * @param time when the request arrived
 * @param user the authenticated user ({@code system:anonymous} when access control is off)
 * @param userAgent the User-Agent header, or {@code null}
 * @param request what was asked, including the query string
 * @param code the response status (for watches, 200)
 */
public record AuditEvent(Instant time, String user, String userAgent, RequestAttributes request, int code) {

	/** The raw query string of the request, e.g. {@code limit=500&continue=...}; {@code ""} when there is none. */
	public String query() {
		return this.request.query();
	}

	/** The first value of query parameter {@code name}, decoded, or {@code null} when it was not sent. */
	public String queryParameter(String name) {
		return this.request.queryParameter(name);
	}
}
