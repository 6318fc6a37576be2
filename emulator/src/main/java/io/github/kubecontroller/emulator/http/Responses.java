package io.github.kubecontroller.emulator.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.StatusException;

/**
 * Writes responses with the headers kube-apiserver puts on every answer (rule I15) and the two plain-text answers
 * that are not Status objects (rules A7, M1).
 */
final class Responses {

	static final String JSON = "application/json";

	private static final String FLOW_SCHEMA_UID = UUID.nameUUIDFromBytes("flowschema".getBytes()).toString();

	private static final String PRIORITY_LEVEL_UID = UUID.nameUUIDFromBytes("prioritylevel".getBytes()).toString();

	private Responses() {
	}

	static void commonHeaders(HttpExchange exchange) {
		Headers headers = exchange.getResponseHeaders();
		// A random (version 4 shaped) id without SecureRandom, which every request would otherwise contend on.
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		headers.set("Audit-Id", new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
				(random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString());
		headers.set("Cache-Control", "no-cache, private");
		headers.set("X-Kubernetes-Pf-Flowschema-Uid", FLOW_SCHEMA_UID);
		headers.set("X-Kubernetes-Pf-Prioritylevel-Uid", PRIORITY_LEVEL_UID);
	}

	static void json(HttpExchange exchange, int code, JsonNode body) throws IOException {
		bytes(exchange, code, JSON, Json.write(body));
	}

	static void bytes(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		boolean noBody = exchange.getRequestMethod().equals("HEAD") || code == 304;
		AuditRecord.complete(exchange, code);
		exchange.sendResponseHeaders(code, noBody ? -1 : body.length);
		if (!noBody) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		else {
			exchange.close();
		}
	}

	static void status(HttpExchange exchange, StatusException error) throws IOException {
		if (error.retryAfterSeconds() > 0) {
			exchange.getResponseHeaders().set("Retry-After", Integer.toString(error.retryAfterSeconds()));
		}
		if (error.code() == 403) {
			exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
		}
		json(exchange, error.code(), error.toStatus());
	}

	/** Go's {@code http.NotFound}: what kube-apiserver answers for a path it does not serve (rule A7). */
	static void notFound(HttpExchange exchange) throws IOException {
		plain(exchange, 404, "404 page not found\n");
	}

	static void plain(HttpExchange exchange, int code, String body) throws IOException {
		exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
		bytes(exchange, code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
	}
}
