package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.Authentication;
import io.kubernetes.client.util.credentials.TokenFileAuthentication;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the client-java {@link ApiClient} the runtime talks to the API server with. The first of these that is
 * present wins:
 * <ol>
 *   <li>{@link ClientSettings#masterUrl()}, with its token, token file and CA file;</li>
 *   <li>{@link ClientSettings#kubeconfig()};</li>
 *   <li>the files listed in {@code $KUBECONFIG};</li>
 *   <li>{@code ~/.kube/config};</li>
 *   <li>the pod's service account ({@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, the
 *       mounted token, re-read as the kubelet rotates it, and CA).</li>
 * </ol>
 * When none is, {@link #create} throws a {@link ClientConfigurationException} saying how to configure one; unlike
 * client-java's {@code ClientBuilder.standard()}, it never falls back to {@code http://localhost:8080}. Refreshed
 * kubeconfig credentials are never written back to the file.
 *
 * <p>The client has a read timeout (30 s by default, where client-java's builder has none), so that a hung call
 * cannot block a reconcile forever. Watches must run on a client derived without it:
 * {@code new ApiClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).callTimeout(Duration.ZERO)
 * .build())} with the same base path. Credentials and TLS settings live in the OkHttp client (interceptors,
 * socket factory), so the derived client keeps them.
 */
public final class ApiClientFactory {

	/** How often token files and kubeconfig credentials (exec plugins included) are read again. */
	static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(ApiClientFactory.class);

	private static final String KUBECONFIG_VARIABLE = "KUBECONFIG";

	private static final String SERVICE_HOST_VARIABLE = "KUBERNETES_SERVICE_HOST";

	private static final String SERVICE_PORT_VARIABLE = "KUBERNETES_SERVICE_PORT";

	private final ClientEnvironment environment;

	private final Duration credentialRefresh;

	/** A factory reading the process environment and the home directory. */
	public ApiClientFactory() {
		this(ClientEnvironment.system());
	}

	/** A factory reading the given environment instead of the process's. */
	public ApiClientFactory(ClientEnvironment environment) {
		this(environment, CREDENTIAL_REFRESH);
	}

	ApiClientFactory(ClientEnvironment environment, Duration credentialRefresh) {
		this.environment = Objects.requireNonNull(environment, "environment");
		this.credentialRefresh = Objects.requireNonNull(credentialRefresh, "credentialRefresh");
	}

	/**
	 * Builds a client from {@code settings}, falling back to the kubeconfig and in-cluster configuration. Nothing
	 * is sent to the server yet.
	 *
	 * @throws ClientConfigurationException when no configuration is found or the one found cannot be used
	 */
	public ApiClient create(ClientSettings settings) {
		Objects.requireNonNull(settings, "settings");
		checkConsistent(settings);
		Source source = resolve(settings);
		ClientBuilder builder = source.builder();
		if (settings.insecureSkipTlsVerify()) {
			logger.warn("The API server's TLS certificate is not verified ({}=true); use this for development only",
					PropertyNames.INSECURE_SKIP_TLS_VERIFY);
			builder.setVerifyingSsl(false);
		}
		ApiClient client = builder.setReadTimeout(settings.readTimeout()).build();
		// ClientBuilder sets only the read timeout; the others go on the OkHttp client it built, whose
		// interceptors (authentication) and TLS settings newBuilder() keeps.
		client.setHttpClient(client.getHttpClient()
			.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.callTimeout(settings.callTimeout())
			.build());
		logger.info("Kubernetes API server {} ({})", client.getBasePath(), source.description());
		return client;
	}

	private static void checkConsistent(ClientSettings settings) {
		if (settings.masterUrl() != null && (settings.kubeconfig() != null || settings.context() != null)) {
			throw new ClientConfigurationException("Both " + PropertyNames.MASTER_URL + " and "
					+ ((settings.kubeconfig() != null) ? PropertyNames.KUBECONFIG : PropertyNames.CONTEXT)
					+ " are set. Set either " + PropertyNames.MASTER_URL + " (with " + PropertyNames.TOKEN + " or "
					+ PropertyNames.TOKEN_FILE + " and " + PropertyNames.CA_FILE + ") or a kubeconfig, not both.");
		}
		if (settings.masterUrl() == null
				&& (settings.token() != null || settings.tokenFile() != null || settings.caFile() != null)) {
			String set = (settings.token() != null) ? PropertyNames.TOKEN
					: (settings.tokenFile() != null) ? PropertyNames.TOKEN_FILE : PropertyNames.CA_FILE;
			throw new ClientConfigurationException(set + " is set but " + PropertyNames.MASTER_URL
					+ " is not. The token, token file and CA file go with an explicit master URL: set "
					+ PropertyNames.MASTER_URL + " too, or remove " + set
					+ " to use the kubeconfig or in-cluster configuration.");
		}
		if (settings.token() != null && settings.tokenFile() != null) {
			throw new ClientConfigurationException("Both " + PropertyNames.TOKEN + " and " + PropertyNames.TOKEN_FILE
					+ " are set; set only one of them.");
		}
	}

	private Source resolve(ClientSettings settings) {
		if (settings.masterUrl() != null) {
			return explicit(settings);
		}
		if (settings.kubeconfig() != null) {
			return kubeconfig(KubeconfigReader.read(List.of(settings.kubeconfig()), PropertyNames.KUBECONFIG,
					settings.context(), false));
		}
		String kubeconfigVariable = environment.variable(KUBECONFIG_VARIABLE);
		if (kubeconfigVariable != null) {
			return kubeconfig(KubeconfigReader.read(paths(kubeconfigVariable),
					"the " + KUBECONFIG_VARIABLE + " environment variable", settings.context(), true));
		}
		Path homeKubeconfig = environment.homeKubeconfig();
		if (homeKubeconfig != null && Files.isRegularFile(homeKubeconfig)) {
			return kubeconfig(KubeconfigReader.read(List.of(homeKubeconfig), "the home directory", settings.context(),
					false));
		}
		if (settings.context() != null) {
			throw new ClientConfigurationException(PropertyNames.CONTEXT + " is set to \"" + settings.context()
					+ "\" but there is no kubeconfig: " + KUBECONFIG_VARIABLE + " is not set and " + homeKubeconfig
					+ " does not exist. Set " + PropertyNames.KUBECONFIG + " to the file that defines the context.");
		}
		Source inCluster = inCluster();
		if (inCluster != null) {
			return inCluster;
		}
		throw notConfigured(homeKubeconfig);
	}

	private Source explicit(ClientSettings settings) {
		String masterUrl = Objects.requireNonNull(settings.masterUrl());
		URI uri = masterUri(masterUrl);
		ClientBuilder builder = new ClientBuilder().setBasePath(masterUrl).setVerifyingSsl(true);
		StringBuilder description = new StringBuilder(PropertyNames.MASTER_URL);
		if (settings.token() != null) {
			builder.setAuthentication(bearerToken(settings.token()));
			description.append(", bearer token");
		}
		else if (settings.tokenFile() != null) {
			builder.setAuthentication(tokenFile(settings.tokenFile(), PropertyNames.TOKEN_FILE));
			description.append(", token file ").append(settings.tokenFile());
		}
		if (settings.caFile() != null) {
			builder.setCertificateAuthority(read(settings.caFile(), PropertyNames.CA_FILE));
			description.append(", CA file ").append(settings.caFile());
		}
		if ("http".equalsIgnoreCase(uri.getScheme()) && (settings.token() != null || settings.tokenFile() != null)) {
			logger.warn("The bearer token for {} is sent over plain HTTP", masterUrl);
		}
		return new Source(builder, description.toString());
	}

	private Source kubeconfig(KubeconfigReader.Selection selection) {
		try {
			// The refresh period makes client-java run exec plugins (and read token files) again every minute;
			// without it an exec token (EKS, GKE) is fetched once and expires an hour or less later.
			ClientBuilder builder = ClientBuilder.kubeconfig(selection.config(), credentialRefresh);
			return new Source(builder, "kubeconfig " + selection.file() + ", context " + selection.context());
		}
		catch (IOException | RuntimeException ex) {
			// Certificate or key files that cannot be read, or an exec plugin that fails.
			throw new ClientConfigurationException("Cannot use kubeconfig context \"" + selection.context() + "\" of "
					+ selection.file() + ": " + ex.getMessage(), ex);
		}
	}

	private @Nullable Source inCluster() {
		String host = environment.variable(SERVICE_HOST_VARIABLE);
		String port = environment.variable(SERVICE_PORT_VARIABLE);
		if (host == null || port == null) {
			return null;
		}
		if (!port.chars().allMatch(Character::isDigit)) {
			throw new ClientConfigurationException(SERVICE_PORT_VARIABLE + " is \"" + port
					+ "\", not a port number, so the in-cluster configuration cannot be used. Set "
					+ PropertyNames.MASTER_URL + " or " + PropertyNames.KUBECONFIG + ".");
		}
		Path serviceAccount = environment.serviceAccountDirectory();
		Path token = serviceAccount.resolve("token");
		if (!Files.isRegularFile(token)) {
			throw new ClientConfigurationException(SERVICE_HOST_VARIABLE + " is set, so this runs in a pod, but there"
					+ " is no service account token at " + token
					+ ". Let the pod mount its service account token (automountServiceAccountToken must not be"
					+ " false), or set " + PropertyNames.MASTER_URL + " or " + PropertyNames.KUBECONFIG + ".");
		}
		String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
		ClientBuilder builder = new ClientBuilder().setBasePath(url)
			.setVerifyingSsl(true)
			.setAuthentication(tokenFile(token, "the service account"));
		Path ca = serviceAccount.resolve("ca.crt");
		if (Files.isRegularFile(ca)) {
			builder.setCertificateAuthority(read(ca, "the service account"));
		}
		else {
			logger.warn("No service account CA at {}; the API server's certificate is checked against the JVM's"
					+ " trusted authorities", ca);
		}
		return new Source(builder, "in-cluster, service account token " + token);
	}

	/**
	 * Sends a fixed bearer token. client-java's {@code AccessTokenAuthentication} keeps the token on the
	 * {@code ApiClient}, where a client derived from the OkHttp client (for watches) would not find it; an
	 * interceptor travels with the OkHttp client, as the token file's and the kubeconfig's do.
	 */
	private static Authentication bearerToken(String token) {
		return (client) -> client.setHttpClient(client.getHttpClient()
			.newBuilder()
			.addInterceptor((chain) -> chain
				.proceed(chain.request().newBuilder().header("Authorization", "Bearer " + token).build()))
			.build());
	}

	private TokenFileAuthentication tokenFile(Path file, String origin) {
		if (!Files.isRegularFile(file)) {
			throw new ClientConfigurationException("The token file " + file + " named by " + origin
					+ " does not exist or is not a file.");
		}
		try {
			// Reads the file now, and again at most once per refresh period: a rotated token is picked up.
			return new TokenFileAuthentication(file.toString(), credentialRefresh);
		}
		catch (RuntimeException ex) {
			throw new ClientConfigurationException("Cannot read the token file " + file + " named by " + origin + ": "
					+ ex.getMessage(), ex);
		}
	}

	private static byte[] read(Path file, String origin) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new ClientConfigurationException("Cannot read the CA file " + file + " named by " + origin + ": "
					+ ex, ex);
		}
	}

	private static URI masterUri(String masterUrl) {
		try {
			URI uri = new URI(masterUrl);
			String scheme = uri.getScheme();
			if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
				return uri;
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		throw new ClientConfigurationException(PropertyNames.MASTER_URL + " is \"" + masterUrl
				+ "\", which is not an http or https URL with a host, such as https://10.0.0.1:6443.");
	}

	private static List<Path> paths(String pathList) {
		List<Path> paths = new ArrayList<>();
		for (String path : pathList.split(File.pathSeparator)) {
			if (!path.isBlank()) {
				paths.add(Path.of(path.trim()));
			}
		}
		return paths;
	}

	private ClientConfigurationException notConfigured(@Nullable Path homeKubeconfig) {
		return new ClientConfigurationException("No Kubernetes API server is configured: " + PropertyNames.MASTER_URL
				+ " and " + PropertyNames.KUBECONFIG + " are not set, " + KUBECONFIG_VARIABLE + " is not set, "
				+ ((homeKubeconfig != null) ? homeKubeconfig + " does not exist" : "there is no home directory")
				+ ", and this is not a pod (" + SERVICE_HOST_VARIABLE + " and " + SERVICE_PORT_VARIABLE
				+ " are not both set). Configure one of: " + PropertyNames.MASTER_URL + " (with " + PropertyNames.TOKEN
				+ " or " + PropertyNames.TOKEN_FILE + ", and " + PropertyNames.CA_FILE + " for https); "
				+ PropertyNames.KUBECONFIG + " (a kubeconfig file, optionally with " + PropertyNames.CONTEXT + "); the "
				+ KUBECONFIG_VARIABLE + " environment variable; a kubeconfig at ~/.kube/config; or run in a pod with"
				+ " its service account token mounted at " + environment.serviceAccountDirectory().resolve("token")
				+ " (in-cluster). The client never falls back to http://localhost:8080.");
	}

	/** A configured builder and where its configuration came from, for the log. */
	private record Source(ClientBuilder builder, String description) {
	}
}
