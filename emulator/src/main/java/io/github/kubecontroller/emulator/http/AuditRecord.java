package io.github.kubecontroller.emulator.http;

import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

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

	/**
	 * The records of the requests in progress, by exchange identity. Exchange attributes cannot hold them: the JDK's
	 * server keeps attributes in the context, shared by every exchange, so a concurrent request would find (and
	 * record its own status on) another request's record.
	 */
	private static final Map<HttpExchange, AuditRecord> IN_PROGRESS = Collections
		.synchronizedMap(new IdentityHashMap<>());

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
		IN_PROGRESS.put(exchange, record);
		return record;
	}

	void user(String user) {
		this.user = user;
	}

	/** Records the request with the status about to be sent (no-op if recorded already or not audited). */
	static void complete(HttpExchange exchange, int code) {
		AuditRecord record = IN_PROGRESS.get(exchange);
		if (record != null) {
			record.record(code);
		}
	}

	/**
	 * Ends the request: records it with the exchange's response code unless its status was recorded already, and
	 * forgets the exchange.
	 */
	void end(HttpExchange exchange) {
		IN_PROGRESS.remove(exchange);
		record(exchange.getResponseCode());
	}

	private synchronized void record(int code) {
		if (!this.recorded) {
			this.recorded = true;
			this.audit.record(new AuditEvent(this.arrived, this.user, this.userAgent, this.request, code));
		}
	}
}
