package io.github.kubecontroller.runtime.client;

import java.time.Duration;

/**
 * One API request as {@link RequestListener}s see it: only low-cardinality facts, never an object's name or
 * namespace.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param host the server's host, with the port when it is not the scheme's default
 * @param resource the resource the path addresses, as {@code plural} for the core group or {@code plural.group},
 *        with {@code /subresource} when there is one; {@code discovery} for the API discovery paths and
 *        {@code other} for anything else
 * @param code the HTTP status code, or 0 when no response arrived (connection refused, timeout, cancelled)
 * @param duration from sending the request to receiving the response headers (for watches: until the watch is
 *        open, not how long it stays open)
 */
public record RequestOutcome(String method, String host, String resource, int code, Duration duration) {
}
