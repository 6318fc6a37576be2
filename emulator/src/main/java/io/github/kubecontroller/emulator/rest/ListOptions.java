package io.github.kubecontroller.emulator.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.rest.StatusException.Cause;
import io.github.kubecontroller.emulator.selector.FieldSelector;
import io.github.kubecontroller.emulator.selector.LabelSelector;
import io.github.kubecontroller.emulator.selector.SelectorException;

/**
 * The query of a list or watch request, parsed and validated as kube-apiserver does (rules E6, E8, G2).
 *
 * @param watch whether this is a watch
 * @param resourceVersion the {@code resourceVersion} parameter, {@code ""} when absent
 * @param resourceVersionMatch {@code ""}, {@code NotOlderThan} or {@code Exact}
 * @param limit page size, 0 for none
 * @param continueToken the decoded continue token, or {@code null}
 * @param labels the label selector
 * @param fields the field selector
 * @param allowWatchBookmarks whether the watcher wants bookmarks
 * @param sendInitialEvents {@code null} when absent
 * @param timeoutSeconds watch timeout, or {@code null}
 */
public record ListOptions(boolean watch, String resourceVersion, String resourceVersionMatch, long limit,
		ContinueToken continueToken, LabelSelector labels, FieldSelector fields, boolean allowWatchBookmarks,
		Boolean sendInitialEvents, Long timeoutSeconds) {

	/** Parses the query parameters (each name → its values) of a server with streaming lists. */
	public static ListOptions parse(Map<String, List<String>> query, boolean forceWatch) {
		return parse(query, forceWatch, true);
	}

	/**
	 * Parses the query parameters (each name → its values).
	 * @param streamingLists whether the server has the WatchList feature gate on; without it a watch with
	 *        {@code sendInitialEvents} is invalid (rule G5)
	 */
	public static ListOptions parse(Map<String, List<String>> query, boolean forceWatch, boolean streamingLists) {
		boolean watch = forceWatch || isTrue(first(query, "watch"));
		String rv = first(query, "resourceVersion", "");
		String rvm = first(query, "resourceVersionMatch", "");
		long limit = parseLong(first(query, "limit", "0"), "limit");
		String rawContinue = first(query, "continue", "");
		LabelSelector labels;
		FieldSelector fields;
		try {
			labels = LabelSelector.parse(first(query, "labelSelector", ""));
			fields = FieldSelector.parse(first(query, "fieldSelector", ""));
		}
		catch (SelectorException ex) {
			throw StatusException.badRequest(ex.getMessage());
		}
		boolean bookmarks = isTrue(first(query, "allowWatchBookmarks"));
		String sie = first(query, "sendInitialEvents");
		Boolean sendInitialEvents = (sie == null) ? null : isTrue(sie);
		String timeout = first(query, "timeoutSeconds");
		Long timeoutSeconds = (timeout == null) ? null : parseLong(timeout, "timeoutSeconds");

		ContinueToken token = null;
		if (!rawContinue.isEmpty()) {
			if (!rv.isEmpty() && !rv.equals("0")) {
				throw StatusException.badRequest("specifying resource version is not allowed when using continue");
			}
			token = ContinueToken.decode(rawContinue);
		}
		List<Cause> causes = new ArrayList<>();
		if (watch && sendInitialEvents != null && !rvm.equals("NotOlderThan")) {
			causes.add(Cause.forbidden("resourceVersionMatch",
					"sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
		}
		if (watch && sendInitialEvents != null && !streamingLists) {
			causes.add(Cause.forbidden("sendInitialEvents",
					"sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
		}
		if (!rvm.isEmpty()) {
			if (watch) {
				if (sendInitialEvents == null) {
					causes.add(Cause.forbidden("resourceVersionMatch",
							"resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
				}
				if (!rvm.equals("NotOlderThan")) {
					causes.add(Cause.notSupported("resourceVersionMatch", StatusException.quote(rvm),
							List.of("NotOlderThan")));
				}
			}
			else if (rv.isEmpty()) {
				causes.add(Cause.forbidden("resourceVersionMatch",
						"resourceVersionMatch is forbidden unless resourceVersion is provided"));
			}
			else if (!rawContinue.isEmpty()) {
				causes.add(Cause.forbidden("resourceVersionMatch",
						"resourceVersionMatch is forbidden when continue is provided"));
			}
			else if (!rvm.equals("NotOlderThan") && !rvm.equals("Exact")) {
				causes.add(Cause.notSupported("resourceVersionMatch", StatusException.quote(rvm),
						List.of("Exact", "NotOlderThan", "")));
			}
			else if (rvm.equals("Exact") && rv.equals("0")) {
				causes.add(Cause.forbidden("resourceVersionMatch",
						"resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
			}
		}
		if (sendInitialEvents != null && !watch) {
			causes.add(Cause.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
		}
		if (!causes.isEmpty()) {
			throw StatusException.invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "ListOptions", "", causes);
		}
		if (!rv.isEmpty()) {
			parseRevision(rv);
		}
		return new ListOptions(watch, rv, rvm, limit, token, labels, fields, bookmarks, sendInitialEvents,
				timeoutSeconds);
	}

	/** The numeric revision of {@code resourceVersion}; 0 for {@code ""}. */
	public long revision() {
		return this.resourceVersion.isEmpty() ? 0 : parseRevision(this.resourceVersion);
	}

	static long parseRevision(String rv) {
		try {
			long value = Long.parseLong(rv);
			if (value < 0) {
				throw new NumberFormatException();
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw StatusException.badRequest("invalid resource version: " + StatusException.quote(rv));
		}
	}

	private static long parseLong(String value, String name) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw StatusException.badRequest("invalid value for " + name + ": " + StatusException.quote(value));
		}
	}

	private static boolean isTrue(String value) {
		return "true".equals(value) || "1".equals(value);
	}

	public static String first(Map<String, List<String>> query, String name) {
		List<String> values = query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	public static String first(Map<String, List<String>> query, String name, String fallback) {
		String value = first(query, name);
		return (value == null) ? fallback : value;
	}

	/**
	 * A continue token: the revision of the first page, the key after which the next page starts and, when known,
	 * how many items remain. Encoded as the real server does: unpadded base64url of
	 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}}, plus a {@code remaining} member.
	 */
	public record ContinueToken(long revision, String afterKey, Long remaining) {

		public ContinueToken(long revision, String afterKey) {
			this(revision, afterKey, null);
		}

		public String encode() {
			ObjectNode node = Json.object();
			node.put("v", "meta.k8s.io/v1");
			node.put("rv", this.revision);
			node.put("start", this.afterKey + "\u0000");
			if (this.remaining != null) {
				// Not in kube-apiserver's token: lets the next page report remainingItemCount without a recount.
				node.put("remaining", this.remaining);
			}
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node));
		}

		static ContinueToken decode(String token) {
			try {
				JsonNode node = Json.parse(Base64.getUrlDecoder().decode(token));
				String start = node.path("start").asText("");
				if (!"meta.k8s.io/v1".equals(node.path("v").asText()) || !node.path("rv").isIntegralNumber()
						|| !start.endsWith("\u0000")) {
					throw new IllegalArgumentException();
				}
				Long remaining = node.path("remaining").isIntegralNumber() ? node.get("remaining").asLong() : null;
				return new ContinueToken(node.get("rv").asLong(), start.substring(0, start.length() - 1), remaining);
			}
			catch (Exception ex) {
				throw StatusException.badRequest("invalid continue token: continue key is not valid: "
						+ new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
			}
		}
	}
}
