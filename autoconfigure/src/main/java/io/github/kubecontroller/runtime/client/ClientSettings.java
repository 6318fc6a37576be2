package io.github.kubecontroller.runtime.client;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the API server. Everything is optional: with nothing set, {@link ApiClientFactory} looks for
 * {@code $KUBECONFIG}, then {@code ~/.kube/config}, then the pod's service account.
 *
 * <p>A master URL stands alone: its token, token file and CA file are used with it, and a kubeconfig is not read.
 * Timeouts of zero mean "no timeout"; null means the default.
 *
 * @param masterUrl the API server URL, such as {@code https://10.0.0.1:6443}; when set, no kubeconfig is read
 * @param kubeconfig a kubeconfig file to use instead of {@code $KUBECONFIG} and {@code ~/.kube/config}
 * @param context the kubeconfig context to use instead of the file's {@code current-context}
 * @param token a bearer token for the master URL
 * @param tokenFile a file holding a bearer token for the master URL, re-read every minute as it may be rotated
 * @param caFile a PEM file of the certificate authorities that sign the master URL's certificate
 * @param insecureSkipTlsVerify whether to accept any server certificate (development only)
 * @param connectTimeout the TCP and TLS connect timeout; 10 seconds by default
 * @param readTimeout the longest wait for response bytes on a request; 30 seconds by default. Watches run on a
 * client of their own without it.
 * @param callTimeout the longest a whole request may take, body included; none by default, as a large list may
 * legitimately take a while
 */
public record ClientSettings(@Nullable String masterUrl, @Nullable Path kubeconfig, @Nullable String context,
		@Nullable String token, @Nullable Path tokenFile, @Nullable Path caFile, boolean insecureSkipTlsVerify,
		Duration connectTimeout, Duration readTimeout, Duration callTimeout) {

	/** The default {@link #connectTimeout()}. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** The default {@link #readTimeout()}. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	public ClientSettings(@Nullable String masterUrl, @Nullable Path kubeconfig, @Nullable String context,
			@Nullable String token, @Nullable Path tokenFile, @Nullable Path caFile, boolean insecureSkipTlsVerify,
			@Nullable Duration connectTimeout, @Nullable Duration readTimeout, @Nullable Duration callTimeout) {
		this.masterUrl = blankToNull(masterUrl);
		this.kubeconfig = kubeconfig;
		this.context = blankToNull(context);
		this.token = blankToNull(token);
		this.tokenFile = tokenFile;
		this.caFile = caFile;
		this.insecureSkipTlsVerify = insecureSkipTlsVerify;
		this.connectTimeout = timeout(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
		this.readTimeout = timeout(readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
		this.callTimeout = timeout(callTimeout, Duration.ZERO, "callTimeout");
	}

	/** Nothing set: discover the configuration, default timeouts. */
	public static ClientSettings defaults() {
		return new ClientSettings(null, null, null, null, null, null, false, null, null, null);
	}

	/** These settings with an explicit API server URL. */
	public ClientSettings withMasterUrl(@Nullable String masterUrl) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with a bearer token for the master URL. */
	public ClientSettings withToken(@Nullable String token) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with a bearer token file for the master URL. */
	public ClientSettings withTokenFile(@Nullable Path tokenFile) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with a CA file for the master URL. */
	public ClientSettings withCaFile(@Nullable Path caFile) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with server certificate verification on or off. */
	public ClientSettings withInsecureSkipTlsVerify(boolean insecureSkipTlsVerify) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with a kubeconfig file and, optionally, the context to use in it. */
	public ClientSettings withKubeconfig(@Nullable Path kubeconfig, @Nullable String context) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	/** These settings with other timeouts; null keeps the default, zero means none. */
	public ClientSettings withTimeouts(@Nullable Duration connectTimeout, @Nullable Duration readTimeout,
			@Nullable Duration callTimeout) {
		return new ClientSettings(masterUrl, kubeconfig, context, token, tokenFile, caFile, insecureSkipTlsVerify,
				connectTimeout, readTimeout, callTimeout);
	}

	// The token is a credential: it must not reach logs through toString.
	@Override
	public String toString() {
		return "ClientSettings[masterUrl=" + masterUrl + ", kubeconfig=" + kubeconfig + ", context=" + context
				+ ", token=" + (token == null ? null : "(hidden)") + ", tokenFile=" + tokenFile + ", caFile=" + caFile
				+ ", insecureSkipTlsVerify=" + insecureSkipTlsVerify + ", connectTimeout=" + connectTimeout
				+ ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout + "]";
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

	private static Duration timeout(@Nullable Duration value, Duration fallback, String name) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, was " + value);
		}
		return value;
	}
}
