package io.github.kubecontroller.runtime.informer;

import io.github.kubecontroller.runtime.client.ApiFailure;
import io.kubernetes.client.openapi.ApiException;
import java.util.Map;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.resource.ResourceType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;

/**
 * A failed list or watch attempt, with a sentence a person can act on, such as {@code list configmaps in namespace
 * shop is forbidden for x: add this RBAC rule ...} or {@code watch configmaps in namespace shop: connection refused
 * to https://host:6443}. Refusals a person must act on (401, 403, 404) are worded by the runtime's shared
 * {@link io.github.kubecontroller.runtime.client.ApiFailure}; transport failures and other statuses here.
 */
final class WatchFailure extends Exception {

	private static final int MAX_SERVER_TEXT = 300;

	private final int code;
	private final Duration retryAfter;

	private WatchFailure(String message, int code, Duration retryAfter, Throwable cause) {
		super(message, cause, false, false);
		this.code = code;
		this.retryAfter = retryAfter;
	}

	/** The HTTP status, or the code of an ERROR watch event; 0 when the server gave none. */
	int code() {
		return code;
	}

	/** The server's Retry-After, or null. */
	Duration retryAfter() {
		return retryAfter;
	}

	/** Whether the resourceVersion (or continue token) expired: only a new list helps. */
	boolean gone() {
		return code == 410;
	}

	/** What an attempt was doing, e.g. {@code list configmaps in namespace shop}. */
	static String action(String verb, WatchSpec spec) {
		StringBuilder text = new StringBuilder(verb).append(' ').append(resourceName(spec.type()));
		if (spec.type().namespaced()) {
			text.append(spec.namespace() == null ? " in all namespaces" : " in namespace " + spec.namespace());
		}
		if (spec.labelSelector() != null) {
			text.append(" with labels ").append(spec.labelSelector());
		}
		if (spec.fieldSelector() != null) {
			text.append(spec.labelSelector() == null ? " with" : " and").append(" fields ").append(spec.fieldSelector());
		}
		return text.toString();
	}

	/**
	 * The server answered with an error status. Refusals a person must act on (401, 403, 404) are worded by
	 * {@link ApiFailure}, like every other API failure of the runtime: a 403 names the RBAC rule to add.
	 */
	static WatchFailure status(String action, String verb, WatchSpec spec, int code, String body, Duration retryAfter) {
		if (code == 401 || code == 403 || code == 404) {
			ApiFailure failure = ApiFailure.of(new ApiException(code, Map.of(), body));
			String text = failure.describe(verb, spec.type(), spec.namespace());
			return new WatchFailure(text, code, retryAfter, null);
		}
		StringBuilder text = new StringBuilder(action).append(": ").append(code).append(' ').append(reason(code));
		String serverText = serverText(body);
		if (!serverText.isEmpty()) {
			text.append(": ").append(serverText);
		}
		if (retryAfter != null) {
			text.append(" (the server asks to retry after ").append(seconds(retryAfter)).append(')');
		}
		return new WatchFailure(text.toString(), code, retryAfter, null);
	}

	/** The server ended a watch with an ERROR event carrying a Status. */
	static WatchFailure errorEvent(String action, JsonObject status) {
		int code = status.has("code") && status.get("code").isJsonPrimitive() ? status.get("code").getAsInt() : 0;
		String reason = string(status, "reason");
		String message = string(status, "message");
		StringBuilder text = new StringBuilder(action).append(": the server ended the watch with an error");
		if (code != 0) {
			text.append(": ").append(code).append(' ').append(reason.isEmpty() ? reason(code) : reason);
		}
		if (!message.isEmpty()) {
			text.append(": ").append(truncate(message));
		}
		return new WatchFailure(text.toString(), code, null, null);
	}

	/** The request could not be sent or its answer not received. */
	static WatchFailure transport(String action, HttpUrl url, IOException ex) {
		String server = server(url);
		String text;
		if (ex instanceof ConnectException) {
			text = "connection refused to " + server;
		}
		else if (ex instanceof UnknownHostException) {
			text = "unknown host " + url.host();
		}
		else if (ex instanceof SocketTimeoutException) {
			text = "no answer from " + server + " in time (" + ex.getMessage() + ")";
		}
		else if (ex instanceof SSLException) {
			text = "TLS with " + server + " failed: " + ex.getMessage();
		}
		else {
			text = "connection to " + server + " failed: " + describe(ex);
		}
		return new WatchFailure(action + ": " + text, 0, null, ex);
	}

	/** An open watch stream broke (rather than ending cleanly). */
	static WatchFailure streamBroken(String action, HttpUrl url, IOException ex) {
		String detail = (ex instanceof InterruptedIOException) ? "no data within the read timeout" : describe(ex);
		return new WatchFailure(action + ": the stream from " + server(url) + " broke: " + detail, 0, null, ex);
	}

	/** The answer was not the JSON expected. */
	static WatchFailure unreadable(String action, Exception ex) {
		return new WatchFailure(action + ": the response could not be read: " + describe(ex), 0, null, ex);
	}

	/** The request could not even be built (for example, the client's credentials failed). */
	static WatchFailure notSent(String action, Exception ex) {
		return new WatchFailure(action + ": the request could not be built: " + describe(ex), 0, null, ex);
	}

	/** The server closed a watch at once with nothing in it; retrying without a pause would spin. */
	static WatchFailure closedAtOnce(String action) {
		return new WatchFailure(action + ": the server closed the watch at once without sending any event", 0,
				null, null);
	}

	/** A page came back without a resourceVersion, so no watch could start from it. */
	static WatchFailure noResourceVersion(String action) {
		return new WatchFailure(action + ": the server sent a list without metadata.resourceVersion", 0, null, null);
	}

	/** The name used in sentences: {@code configmaps}, {@code widgets.example.com}. */
	static String resourceName(ResourceType type) {
		return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
	}

	/** A delay as people read it: {@code 800 ms}, {@code 1.6 s}. */
	static String seconds(Duration delay) {
		long millis = delay.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
				millis / 1000.0);
	}

	// Custom resources live in groups with a dot that are not Kubernetes' own (*.k8s.io); built-in groups
	// without a dot (apps, batch, policy, ...) are served by every server.
	private static boolean isCustom(ResourceType type) {
		String group = type.group();
		return group.contains(".") && !group.endsWith(".k8s.io") && !group.equals("k8s.io");
	}

	private static String server(HttpUrl url) {
		return url.scheme() + "://" + url.host() + ":" + url.port();
	}

	private static String describe(Exception ex) {
		String message = ex.getMessage();
		return (message == null || message.isBlank()) ? ex.getClass().getSimpleName() : truncate(message);
	}

	/** The Status message of an error body, or its first line of plain text (APF's 429 is plain text). */
	private static String serverText(String body) {
		if (body == null || body.isBlank()) {
			return "";
		}
		try {
			JsonElement parsed = JsonParser.parseString(body);
			if (parsed.isJsonObject()) {
				String message = string(parsed.getAsJsonObject(), "message");
				if (!message.isEmpty()) {
					return truncate(message);
				}
			}
		}
		catch (RuntimeException ex) {
			// not JSON: fall through to plain text
		}
		String firstLine = body.strip().lines().findFirst().orElse("");
		return truncate(firstLine);
	}

	private static String string(JsonObject object, String member) {
		JsonElement value = object.get(member);
		return (value != null && value.isJsonPrimitive()) ? value.getAsString() : "";
	}

	private static String truncate(String text) {
		return (text.length() <= MAX_SERVER_TEXT) ? text : text.substring(0, MAX_SERVER_TEXT) + "...";
	}

	private static String reason(int code) {
		return switch (code) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 406 -> "Not Acceptable";
			case 409 -> "Conflict";
			case 410 -> "Gone";
			case 422 -> "Unprocessable Entity";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> (code >= 500) ? "Server Error" : "Error";
		};
	}
}
