package io.github.kubecontroller.emulator.control;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Authentication by static bearer tokens and authorization by allow rules; off until {@link #enable()} is called.
 * An unknown or expired token is answered with 401 (rule I12); a request without a token is
 * {@code system:anonymous}; a request no rule allows gets 403 with kube-apiserver's message (I13). Tokens and rules
 * can change while the emulator runs, so token rotation can be tested.
 */
public final class AccessControl {

	/** The user of requests without credentials. */
	public static final String ANONYMOUS = "system:anonymous";

	/** Paths that anonymous users may read, as the {@code system:public-info-viewer} role allows. */
	private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");

	private final Clock clock;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	private final Map<String, List<AccessRule>> rules = new ConcurrentHashMap<>();

	private volatile boolean enabled;

	public AccessControl(Clock clock) {
		this.clock = clock;
	}

	private record Token(String user, Instant expiresAt) {
	}

	/** Turns authentication and authorization on. */
	public AccessControl enable() {
		this.enabled = true;
		return this;
	}

	public AccessControl disable() {
		this.enabled = false;
		return this;
	}

	public boolean enabled() {
		return this.enabled;
	}

	/** Adds (or replaces) a token that authenticates as {@code user}. */
	public AccessControl token(String token, String user) {
		return token(token, user, null);
	}

	/** Adds (or replaces) a token that authenticates as {@code user} until {@code expiresAt}. */
	public AccessControl token(String token, String user, Instant expiresAt) {
		this.tokens.put(token, new Token(user, expiresAt));
		return this;
	}

	/** Makes a token unknown: requests carrying it get 401. */
	public AccessControl revoke(String token) {
		this.tokens.remove(token);
		return this;
	}

	/** Lets {@code user} do what {@code rule} allows. */
	public AccessControl allow(String user, AccessRule rule) {
		this.rules.computeIfAbsent(user, (u) -> new CopyOnWriteArrayList<>()).add(rule);
		return this;
	}

	/** Removes every rule of {@code user}. */
	public AccessControl revokeRules(String user) {
		this.rules.remove(user);
		return this;
	}

	/**
	 * The user a request authenticates as.
	 * @param authorization the Authorization header, or {@code null}
	 * @return the user name, or {@code null} when the credentials are invalid (answer 401)
	 */
	public String authenticate(String authorization) {
		if (!this.enabled) {
			return ANONYMOUS;
		}
		if (authorization == null || authorization.isBlank()) {
			return ANONYMOUS;
		}
		if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		Token token = this.tokens.get(authorization.substring(7).trim());
		if (token == null || (token.expiresAt() != null && !this.clock.instant().isBefore(token.expiresAt()))) {
			return null;
		}
		return token.user();
	}

	/** Whether {@code user} may make {@code request}. */
	public boolean authorize(String user, RequestAttributes request) {
		if (!this.enabled) {
			return true;
		}
		if (!request.resourceRequest()) {
			return !user.equals(ANONYMOUS) || PUBLIC_PATHS.contains(request.path());
		}
		return this.rules.getOrDefault(user, List.of()).stream().anyMatch((rule) -> rule.allows(request));
	}

	/** kube-apiserver's reason text for a denied request (the part after "is forbidden: "). */
	public static String forbiddenReason(String user, RequestAttributes request) {
		if (!request.resourceRequest()) {
			return "User \"" + user + "\" cannot " + request.verb() + " path \"" + request.path() + "\"";
		}
		String where = request.namespace().isEmpty() ? "at the cluster scope"
				: "in the namespace \"" + request.namespace() + "\"";
		return "User \"" + user + "\" cannot " + request.verb() + " resource \"" + request.resourceWithSubresource()
				+ "\" in API group \"" + request.apiGroup() + "\" " + where;
	}
}
