package io.github.kubecontroller.emulator.http;

import java.time.Instant;

import com.sun.net.httpserver.HttpExchange;

import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.AuditEvent;
import io.github.kubecontroller.emulator.control.RequestAttributes;

/**
 * The audit entry of one request in progress. It is recorded when the response status is sent — before the client
 * can see the response, so a test that reads the audit after a response always finds the request in it — or, for a
 * request that never got one, when the exchange ends.
 */
final class AuditRecord {

	private static final String ATTRIBUTE = AuditRecord.class.getName();

	private final Audit audit;

	private final Instant arrived;

	private final RequestAttributes request;

	private final String userAgent;

	private String user;

	private boolean recorded;

	private AuditRecord(Audit audit, Instant arrived, RequestAttributes request, String userAgent, String user) {
		this.audit = audit;
		this.arrived = arrived;
		this.request = request;
		this.userAgent = userAgent;
		this.user = user;
	}

	static AuditRecord start(HttpExchange exchange, Audit audit, RequestAttributes request, String user) {
		AuditRecord record = new AuditRecord(audit, Instant.now(), request,
				exchange.getRequestHeaders().getFirst("User-Agent"), user);
		exchange.setAttribute(ATTRIBUTE, record);
		return record;
	}

	void user(String user) {
		this.user = user;
	}

	/** Records the request with the status about to be sent (no-op if recorded already or not audited). */
	static void complete(HttpExchange exchange, int code) {
		Object record = exchange.getAttribute(ATTRIBUTE);
		if (record instanceof AuditRecord audited) {
			audited.record(code);
		}
	}

	synchronized void record(int code) {
		if (!this.recorded) {
			this.recorded = true;
			this.audit.record(new AuditEvent(this.arrived, this.user, this.userAgent, this.request, code));
		}
	}
}
