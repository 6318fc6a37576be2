package io.github.kubecontroller.runtime.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Why a call to the API server failed, read from client-java's {@link ApiException} (its Status body and
 * headers) or from the I/O failure underneath it, and the one sentence that tells a person what to do about it:
 * the RBAC rule to add on a 403, the CustomResourceDefinition to install on a 404, the server that cannot be
 * reached.
 *
 * <pre>{@code
 * catch (ApiException ex) {
 *     log.warn(ApiFailure.of(ex, client.getBasePath()).describe("list", type, namespace));
 * }
 * }</pre>
 *
 * @param code the HTTP status code, or 0 when no response arrived (refused connection, timeout, TLS failure)
 * @param reason the Status reason, such as {@code Forbidden} or {@code TooManyRequests} (the standard one for the
 * code when the body is not a Status); without a response, the simple name of the I/O exception
 * @param message the Status message, the body when it is not a Status, or the I/O exception's message
 * @param retryAfter how long the server asked to wait before retrying, or null
 * @param server the API server's URL when known, or null
 */
public record ApiFailure(int code, String reason, String message, @Nullable Duration retryAfter,
		@Nullable String server) {

	// kube-apiserver's RBAC denial: User "u" cannot list resource "pods" in API group "" in the namespace "ns"
	private static final Pattern FORBIDDEN_RESOURCE = Pattern.compile("User \"([^\"]*)\" cannot (\\S+) resource "
			+ "\"([^\"]*)\" in API group \"([^\"]*)\"(?: in the namespace \"([^\"]*)\")?");

	private static final Pattern FORBIDDEN_PATH = Pattern.compile("User \"([^\"]*)\" cannot (\\S+) path \"([^\"]*)\"");

	// A missing object (configmaps "x" not found) rather than a resource the server does not serve.
	private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("^\\S+ \"[^\"]*\" not found$");

	// GenericKubernetesApi turns a failed response into new ApiException(code, status.toString()): the Status
	// survives only as the text of V1Status.toString().
	private static final Pattern STATUS_TEXT_FIELD = Pattern.compile("(?m)^\\s*(message|reason): (.*)$");

	private static final String ANONYMOUS = "system:anonymous";

	public ApiFailure {
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(message, "message");
	}

	/** The failure behind {@code failure}: an {@link ApiException} or an {@link IOException} in its causes. */
	public static ApiFailure of(Throwable failure) {
		return of(failure, null);
	}

	/**
	 * The failure behind {@code failure}, an {@link ApiException} or an {@link IOException} in its causes.
	 *
	 * @param server the API server's URL (such as {@code client.getBasePath()}), named when it cannot be reached
	 */
	public static ApiFailure of(Throwable failure, @Nullable String server) {
		Objects.requireNonNull(failure, "failure");
		ApiException api = cause(failure, ApiException.class);
		if (api != null && api.getCode() != 0) {
			return fromResponse(api, server);
		}
		IOException io = cause(failure, IOException.class);
		Throwable reported = (io != null) ? io : (api != null && api.getCause() != null) ? api.getCause() : failure;
		String message = (reported.getMessage() != null) ? reported.getMessage() : reported.getClass().getName();
		return new ApiFailure(0, reported.getClass().getSimpleName(), message, null, server);
	}

	/**
	 * A failure in a few words for logs and diagnostics: an API server's answer as {@code API error <code>
	 * <reason>: <message>} (client-java's own message spans lines with every header and the body), anything else as
	 * its {@code toString()}. An RBAC denial names the rule to add instead of repeating the server's message:
	 * {@code API error 403 Forbidden: <user> cannot patch widgets.demo.example.com/status in namespace ns: add the
	 * RBAC rule apiGroups: ["demo.example.com"], resources: ["widgets/status"], verbs: ["patch"]}.
	 */
	public static String summary(Throwable failure) {
		if (failure instanceof ApiException api && api.getCode() != 0) {
			ApiFailure answer = of(failure);
			String prefix = "API error " + answer.code() + " " + answer.reason() + ": ";
			Matcher denial = (answer.code() == 403) ? FORBIDDEN_RESOURCE.matcher(answer.message()) : null;
			if (denial != null && denial.find()) {
				// Short enough for a one-line diagnostic: the request and the rule say all the message said.
				String scope = (denial.group(5) != null) ? "in namespace " + denial.group(5) : "cluster-wide";
				return prefix + user(denial.group(1)) + " cannot " + denial.group(2) + " "
						+ resourceName(denial.group(3), denial.group(4)) + " " + scope + ": add the RBAC rule "
						+ rule(denial.group(4), denial.group(3), denial.group(2));
			}
			return prefix + answer.message();
		}
		return failure.toString();
	}

	/**
	 * How long the server asked to wait before retrying: the {@code Retry-After} header in seconds, or else the
	 * Status body's {@code details.retryAfterSeconds}.
	 */
	public static Optional<Duration> retryAfter(ApiException exception) {
		Map<String, List<String>> headers = exception.getResponseHeaders();
		if (headers != null) {
			for (Map.Entry<String, List<String>> header : headers.entrySet()) {
				if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
					for (String value : header.getValue()) {
						Optional<Duration> seconds = seconds(value);
						if (seconds.isPresent()) {
							return seconds;
						}
					}
				}
			}
		}
		JsonObject status = status(exception.getResponseBody());
		if (status != null && status.get("details") instanceof JsonObject details
				&& details.get("retryAfterSeconds") != null) {
			return seconds(details.get("retryAfterSeconds").getAsString());
		}
		return Optional.empty();
	}

	/** Whether the server answered; false for refused connections, timeouts and TLS failures. */
	public boolean responded() {
		return code != 0;
	}

	/**
	 * One sentence for a failed request on a resource.
	 *
	 * @param verb the RBAC verb of the request: get, list, watch, create, update, patch or delete
	 * @param type the resource type
	 * @param namespace the namespace, or null for a cluster-wide request
	 */
	public String describe(String verb, ResourceType type, @Nullable String namespace) {
		Objects.requireNonNull(verb, "verb");
		Objects.requireNonNull(type, "type");
		String resource = type.plural() + (type.group().isEmpty() ? "" : "." + type.group());
		String where = (type.namespaced() && namespace != null) ? "in namespace " + namespace : "cluster-wide";
		String request = verb + " " + resource + " " + where;
		if (code == 403) {
			return forbiddenResource(verb, type, namespace, request);
		}
		if (code == 404 && !OBJECT_NOT_FOUND.matcher(message).matches()) {
			String served = resource + "/" + type.version() + " is not served";
			// A CustomResourceDefinition's group always has a dot; the core group and apps, batch... have none.
			return !type.group().contains(".") ? served + " by this API server (" + request + ")"
					: served + ": is its CustomResourceDefinition installed? (kubectl get crd " + resource + "; "
							+ request + ")";
		}
		return common(request);
	}

	/**
	 * One sentence for a failed request that is not on a resource, such as discovery.
	 *
	 * @param request what was asked, such as {@code GET /apis/demo.example.com/v1}
	 */
	public String describe(String request) {
		Objects.requireNonNull(request, "request");
		if (code == 403) {
			Matcher denial = FORBIDDEN_PATH.matcher(message);
			if (denial.find()) {
				return request + " is forbidden for " + user(denial.group(1))
						+ ": add this rule to the application's ClusterRole: nonResourceURLs: [\"" + denial.group(3)
						+ "\"], verbs: [\"" + denial.group(2) + "\"]";
			}
			return request + " is forbidden: " + message;
		}
		return common(request);
	}

	private String forbiddenResource(String verb, ResourceType type, @Nullable String namespace, String request) {
		Matcher denial = FORBIDDEN_RESOURCE.matcher(message);
		if (!denial.find()) {
			// Another authorizer's wording: report it as is rather than guess the user.
			return request + " is forbidden: " + message + "; the application's Role/ClusterRole needs apiGroups: [\""
					+ type.group() + "\"], resources: [\"" + type.plural() + "\"], verbs: [\"" + verb + "\"]";
		}
		String deniedNamespace = denial.group(5);
		boolean clusterWide = deniedNamespace == null && (namespace == null || !type.namespaced());
		String scope = clusterWide ? "cluster-wide"
				: "in namespace " + ((deniedNamespace != null) ? deniedNamespace : namespace);
		String subject = denial.group(2) + " " + resourceName(denial.group(3), denial.group(4)) + " " + scope;
		return subject + " is forbidden for " + user(denial.group(1)) + ": add this RBAC rule to the application's "
				+ (clusterWide ? "ClusterRole" : "Role/ClusterRole") + ": "
				+ rule(denial.group(4), denial.group(3), denial.group(2));
	}

	/** {@code widgets/status} in group {@code demo.example.com} reads {@code widgets.demo.example.com/status}. */
	private static String resourceName(String resource, String group) {
		String[] parts = resource.split("/", 2);
		return parts[0] + (group.isEmpty() ? "" : "." + group) + ((parts.length > 1) ? "/" + parts[1] : "");
	}

	/** A policy rule as a Role's YAML writes it. */
	private static String rule(String group, String resource, String verb) {
		return "apiGroups: [\"" + group + "\"], resources: [\"" + resource + "\"], verbs: [\"" + verb + "\"]";
	}

	private String common(String request) {
		if (code == 0) {
			return "cannot reach the API server at " + ((server != null) ? server : "the configured URL") + ": "
					+ reason + ": " + message + tlsHint() + " (" + request + ")";
		}
		if (code == 401) {
			return "the API server rejected the credentials (401 Unauthorized): they are invalid or expired. Check"
					+ " the kubeconfig user (its token or exec plugin), " + PropertyNames.TOKEN + " or "
					+ PropertyNames.TOKEN_FILE + ", or the pod's service account token (" + request + ")";
		}
		String wait = (retryAfter != null) ? ", retry after " + retryAfter.toSeconds() + " s" : "";
		return request + " failed with " + code + " " + reason + wait + ": " + message;
	}

	private String tlsHint() {
		if (!reason.startsWith("SSL") && !message.contains("PKIX")) {
			return "";
		}
		return " (is the server's certificate authority configured? " + PropertyNames.CA_FILE
				+ ", the kubeconfig's certificate-authority, or the service account's ca.crt)";
	}

	private static String user(String user) {
		return ANONYMOUS.equals(user) ? user + " (the request carried no credentials)" : user;
	}

	private static ApiFailure fromResponse(ApiException exception, @Nullable String server) {
		int code = exception.getCode();
		String body = exception.getResponseBody();
		String reason = null;
		String message = null;
		JsonObject status = status(body);
		if (status != null) {
			reason = text(status, "reason");
			message = text(status, "message");
		}
		else if (body != null && !body.isBlank()) {
			message = body.strip();
		}
		else if (exception.getMessage() != null) {
			Matcher field = STATUS_TEXT_FIELD.matcher(exception.getMessage());
			while (field.find()) {
				String value = field.group(2).strip();
				if (!"null".equals(value) && field.group(1).equals("reason")) {
					reason = value;
				}
				else if (!"null".equals(value)) {
					message = value;
				}
			}
		}
		if (reason == null) {
			reason = standardReason(code);
		}
		if (message == null) {
			message = reason;
		}
		return new ApiFailure(code, reason, message, retryAfter(exception).orElse(null), server);
	}

	private static @Nullable JsonObject status(@Nullable String body) {
		if (body == null || !body.stripLeading().startsWith("{")) {
			return null;
		}
		try {
			JsonElement json = JsonParser.parseString(body);
			if (json instanceof JsonObject object && object.get("kind") != null
					&& "Status".equals(object.get("kind").getAsString())) {
				return object;
			}
		}
		catch (JsonParseException | IllegalStateException | UnsupportedOperationException ex) {
			// not a Status body
		}
		return null;
	}

	private static @Nullable String text(JsonObject object, String field) {
		JsonElement value = object.get(field);
		return (value != null && value.isJsonPrimitive() && !value.getAsString().isBlank()) ? value.getAsString()
				: null;
	}

	private static Optional<Duration> seconds(@Nullable String value) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			long seconds = Long.parseLong(value.trim());
			return (seconds >= 0) ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
		}
		catch (NumberFormatException ex) {
			// An HTTP date: kube-apiserver never sends one.
			return Optional.empty();
		}
	}

	// The reasons kube-apiserver uses for these codes (metav1.StatusReason), for bodies that are not a Status.
	private static String standardReason(int code) {
		return switch (code) {
			case 400 -> "BadRequest";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "NotFound";
			case 405 -> "MethodNotAllowed";
			case 406 -> "NotAcceptable";
			case 409 -> "Conflict";
			case 410 -> "Expired";
			case 413 -> "RequestEntityTooLarge";
			case 415 -> "UnsupportedMediaType";
			case 422 -> "Invalid";
			case 429 -> "TooManyRequests";
			case 500 -> "InternalError";
			case 503 -> "ServiceUnavailable";
			case 504 -> "Timeout";
			default -> "HTTP" + code;
		};
	}

	private static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}
}
