package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.io.File;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiClientFactoryTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	private KubeApiEmulator emulator;

	private TlsProxy proxy;

	private final Map<String, String> variables = new HashMap<>();

	@BeforeEach
	void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
	}

	@AfterEach
	void stop() throws IOException {
		if (proxy != null) {
			proxy.close();
		}
		emulator.stop();
	}

	/** A factory that sees only {@link #variables}, and a home and a service account directory in {@link #dir}. */
	private ApiClientFactory factory() {
		// Credentials are read again on every request, so that rotation shows at once.
		return new ApiClientFactory(new ClientEnvironment(variables::get, home(), serviceAccount()), Duration.ZERO);
	}

	private Path home() {
		return dir.resolve("home");
	}

	private Path serviceAccount() {
		return dir.resolve("serviceaccount");
	}

	private static List<String> namespaces(ApiClient client) throws ApiException {
		return new CoreV1Api(client).listNamespace()
			.execute()
			.getItems()
			.stream()
			.map((namespace) -> namespace.getMetadata().getName())
			.toList();
	}

	private void allowAlice(String token) {
		emulator.accessControl().enable().token(token, "alice").allow("alice", AccessRule.all());
	}

	private long requestsBy(String user) {
		return emulator.audit().count((key) -> key.user().equals(user) && key.resource().equals("namespaces"));
	}

	private Path write(String name, String content) throws IOException {
		Path file = dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
		return file;
	}

	private ClientConfigurationException configurationFailure(ClientSettings settings) {
		return catchThrowableOfType(ClientConfigurationException.class,
				() -> factory().create(settings));
	}

	@Test
	void kubeconfigFromSettingsReachesTheServerWithRequestTimeouts() throws ApiException {
		Path kubeconfig = emulator.writeKubeconfig(dir.resolve("kubeconfig"));

		ApiClient client = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfig, null));

		assertThat(namespaces(client)).contains("default", "kube-system");
		assertThat(client.getBasePath()).isEqualTo(emulator.baseUrl());
		assertThat(client.getReadTimeout()).isEqualTo(30_000);
		assertThat(client.getConnectTimeout()).isEqualTo(10_000);
		assertThat(client.getHttpClient().callTimeoutMillis()).isZero();
	}

	@Test
	void timeoutsFromSettingsAreApplied() {
		Path kubeconfig = emulator.writeKubeconfig(dir.resolve("kubeconfig"));

		ApiClient client = factory().create(ClientSettings.defaults()
			.withKubeconfig(kubeconfig, null)
			.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5)));

		assertThat(client.getConnectTimeout()).isEqualTo(3_000);
		assertThat(client.getReadTimeout()).isEqualTo(4_000);
		assertThat(client.getHttpClient().callTimeoutMillis()).isEqualTo(5_000);
	}

	@Test
	void kubeconfigWithTokenAuthenticatesAsItsUser() throws ApiException {
		allowAlice("t1");
		Path kubeconfig = emulator.writeKubeconfig(dir.resolve("kubeconfig"), "t1");

		ApiClient client = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfig, null));

		assertThat(namespaces(client)).contains("default");
		assertThat(requestsBy("alice")).isEqualTo(1);
	}

	@Test
	void contextFromSettingsSelectsAnotherContextOfTheFile() throws IOException, ApiException {
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				current-context: broken
				clusters:
				- name: nowhere
				  cluster: {server: "http://127.0.0.1:1"}
				- name: emulator
				  cluster: {server: "%s"}
				contexts:
				- name: broken
				  context: {cluster: nowhere}
				- name: emulator
				  context: {cluster: emulator}
				""".formatted(emulator.baseUrl()));

		ApiClient client = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfig, "emulator"));

		assertThat(client.getBasePath()).isEqualTo(emulator.baseUrl());
		assertThat(namespaces(client)).contains("default");
	}

	@Test
	void kubeconfigVariableSkipsMissingFilesAndReadsTheFileDefiningTheCurrentContext() throws IOException,
			ApiException {
		// The first existing file sets the current context without defining it; the second defines it.
		Path first = write("first", """
				apiVersion: v1
				kind: Config
				current-context: kube-api-emulator
				clusters:
				- name: other
				  cluster: {server: "http://127.0.0.1:1"}
				contexts:
				- name: other
				  context: {cluster: other}
				""");
		Path second = emulator.writeKubeconfig(dir.resolve("second"));
		variables.put("KUBECONFIG", dir.resolve("missing") + File.pathSeparator + first
				+ File.pathSeparator + second);

		ApiClient client = factory().create(ClientSettings.defaults());

		assertThat(client.getBasePath()).isEqualTo(emulator.baseUrl());
		assertThat(namespaces(client)).contains("default");
	}

	@Test
	void contextWhoseClusterIsInAnotherKubeconfigFileIsReportedWithTheMergeCommand() throws IOException {
		Path contexts = write("contexts", """
				apiVersion: v1
				kind: Config
				current-context: split
				contexts:
				- name: split
				  context: {cluster: elsewhere}
				""");
		Path clusters = write("clusters", """
				apiVersion: v1
				kind: Config
				clusters:
				- name: elsewhere
				  cluster: {server: "%s"}
				""".formatted(emulator.baseUrl()));
		variables.put("KUBECONFIG", contexts + File.pathSeparator + clusters);

		assertThat(configurationFailure(ClientSettings.defaults()))
			.hasMessageContaining("\"split\"")
			.hasMessageContaining("\"elsewhere\" defined in " + clusters)
			.hasMessageContaining("kubectl config view --flatten")
			.hasMessageContaining("kube.controller.client.kubeconfig");
	}

	@Test
	void homeKubeconfigIsUsedWhenNothingElseIsConfigured() throws ApiException {
		emulator.writeKubeconfig(home().resolve(".kube").resolve("config"));

		ApiClient client = factory().create(ClientSettings.defaults());

		assertThat(namespaces(client)).contains("default");
	}

	@Test
	void kubeconfigFromSettingsComesBeforeTheVariable() throws ApiException {
		Path kubeconfig = emulator.writeKubeconfig(dir.resolve("kubeconfig"));
		variables.put("KUBECONFIG", dir.resolve("missing").toString());

		ApiClient client = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfig, null));

		assertThat(namespaces(client)).contains("default");
	}

	@Test
	void masterUrlWithTokenAuthenticatesAsItsUser() throws ApiException {
		allowAlice("t1");

		ApiClient client = factory()
			.create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withToken("t1"));
		ApiClient wrongToken = factory()
			.create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withToken("wrong"));

		assertThat(namespaces(client)).contains("default");
		assertThat(requestsBy("alice")).isEqualTo(1);
		assertThatThrownBy(() -> namespaces(wrongToken)).isInstanceOfSatisfying(ApiException.class,
				(ex) -> assertThat(ex.getCode()).isEqualTo(401));
	}

	@Test
	void tokenFileIsReadAgainAfterRotation() throws IOException, ApiException {
		allowAlice("t1");
		Path tokenFile = write("token", "t1\n");
		ApiClient client = factory()
			.create(ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withTokenFile(tokenFile));
		assertThat(namespaces(client)).contains("default");

		emulator.accessControl().token("t2", "alice").revoke("t1");
		Files.writeString(tokenFile, "t2\n");

		await().atMost(DEADLINE).ignoreException(ApiException.class).until(() -> !namespaces(client).isEmpty());
		assertThat(emulator.audit().count((key) -> key.code() == 401)).isLessThanOrEqualTo(1);
	}

	@Test
	void kubeconfigExecPluginIsRunAgainSoItsRotatedTokenIsUsed() throws IOException, ApiException {
		allowAlice("t1");
		Path tokenFile = write("exec-token", "t1");
		// A credential plugin as EKS and GKE use: prints an ExecCredential with the token it currently has.
		Path plugin = write("bin/credential-plugin",
				"#!/bin/sh\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
						+ "\"status\":{\"token\":\"%s\"}}' \"$(cat '" + tokenFile + "')\"\n");
		assertThat(plugin.toFile().setExecutable(true)).isTrue();
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				current-context: exec
				contexts:
				- name: exec
				  context: {cluster: emulator, user: plugin}
				clusters:
				- name: emulator
				  cluster: {server: "%s"}
				users:
				- name: plugin
				  user:
				    exec:
				      apiVersion: client.authentication.k8s.io/v1
				      command: "%s"
				      interactiveMode: Never
				""".formatted(emulator.baseUrl(), plugin));
		ApiClient client = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfig, null));
		assertThat(namespaces(client)).contains("default");

		emulator.accessControl().token("t2", "alice").revoke("t1");
		Files.writeString(tokenFile, "t2");

		await().atMost(DEADLINE).ignoreException(ApiException.class).until(() -> !namespaces(client).isEmpty());
		assertThat(emulator.audit().count((key) -> key.user().equals("alice") && key.code() == 200)).isGreaterThan(1);
	}

	@Test
	void httpsMasterUrlIsTrustedThroughTheCaFile() throws Exception {
		proxy = TlsProxy.start(emulator.port());
		Path ca = dir.resolve("ca.crt");
		Files.write(ca, proxy.caPem());

		ApiClient trusting = factory().create(ClientSettings.defaults().withMasterUrl(proxy.url()).withCaFile(ca));
		ApiClient untrusting = factory().create(ClientSettings.defaults().withMasterUrl(proxy.url()));
		ApiClient insecure = factory()
			.create(ClientSettings.defaults().withMasterUrl(proxy.url()).withInsecureSkipTlsVerify(true));

		assertThat(namespaces(trusting)).contains("default");
		assertThat(namespaces(insecure)).contains("default");
		assertThatThrownBy(() -> namespaces(untrusting)).isInstanceOf(ApiException.class)
			.hasRootCauseInstanceOf(CertPathBuilderException.class)
			.hasCauseInstanceOf(SSLException.class);
	}

	@Test
	void inClusterUsesTheServiceAccountTokenAndCaAndRereadsTheRotatedToken() throws Exception {
		proxy = TlsProxy.start(emulator.port());
		allowAlice("t1");
		Files.createDirectories(serviceAccount());
		Files.writeString(serviceAccount().resolve("token"), "t1");
		Files.write(serviceAccount().resolve("ca.crt"), proxy.caPem());
		variables.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
		variables.put("KUBERNETES_SERVICE_PORT", Integer.toString(proxy.port()));

		ApiClient client = factory().create(ClientSettings.defaults());

		assertThat(client.getBasePath()).isEqualTo(proxy.url());
		assertThat(namespaces(client)).contains("default");
		assertThat(requestsBy("alice")).isEqualTo(1);

		emulator.accessControl().token("t2", "alice").revoke("t1");
		Files.writeString(serviceAccount().resolve("token"), "t2");
		await().atMost(DEADLINE).ignoreException(ApiException.class).until(() -> !namespaces(client).isEmpty());
	}

	@Test
	void aClientDerivedForWatchesKeepsTheCredentialsAndTheTrustedCa() throws Exception {
		proxy = TlsProxy.start(emulator.port());
		allowAlice("t1");
		Path ca = dir.resolve("ca.crt");
		Files.write(ca, proxy.caPem());
		ApiClient explicit = factory()
			.create(ClientSettings.defaults().withMasterUrl(proxy.url()).withToken("t1").withCaFile(ca));
		Path kubeconfigFile = emulator.writeKubeconfig(dir.resolve("kubeconfig"), "t1");
		ApiClient kubeconfig = factory().create(ClientSettings.defaults().withKubeconfig(kubeconfigFile, null));

		for (ApiClient client : List.of(explicit, kubeconfig)) {
			ApiClient watches = new ApiClient(client.getHttpClient()
				.newBuilder()
				.readTimeout(Duration.ZERO)
				.callTimeout(Duration.ZERO)
				.build());
			watches.setBasePath(client.getBasePath());

			assertThat(watches.getReadTimeout()).isZero();
			assertThat(namespaces(watches)).contains("default");
		}
		assertThat(requestsBy("alice")).isEqualTo(2);
	}

	@Test
	void inClusterWithoutAMountedTokenSaysSo() {
		variables.put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
		variables.put("KUBERNETES_SERVICE_PORT", "443");

		assertThat(configurationFailure(ClientSettings.defaults()))
			.hasMessageContaining("runs in a pod")
			.hasMessageContaining(serviceAccount().resolve("token").toString())
			.hasMessageContaining("automountServiceAccountToken");
	}

	@Test
	void nothingConfiguredSaysHowToConfigureAndNeverFallsBackToLocalhost() {
		variables.put("KUBERNETES_SERVICE_HOST", "10.0.0.1"); // a port is missing: not a pod

		ClientConfigurationException failure = configurationFailure(ClientSettings.defaults());

		assertThat(failure).hasMessageStartingWith("No Kubernetes API server is configured")
			.hasMessageContaining("kube.controller.client.master-url")
			.hasMessageContaining("kube.controller.client.kubeconfig")
			.hasMessageContaining("KUBECONFIG environment variable")
			.hasMessageContaining(home().resolve(".kube").resolve("config") + " does not exist")
			.hasMessageContaining("in-cluster")
			.hasMessageContaining("never falls back to http://localhost:8080");
	}

	@Test
	void unknownContextNamesTheFileAndTheContextsItHas() {
		Path kubeconfig = emulator.writeKubeconfig(dir.resolve("kubeconfig"));

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, "production")))
			.hasMessageContaining("context \"production\" is not defined in the kubeconfig file " + kubeconfig)
			.hasMessageContaining("contexts there: [kube-api-emulator]")
			.hasMessageContaining("Fix kube.controller.client.context");
	}

	@Test
	void currentContextThatIsNotDefinedIsReported() throws IOException {
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				current-context: gone
				contexts: []
				""");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, null)))
			.hasMessageContaining("context \"gone\" is not defined")
			.hasMessageContaining("Fix the file's current-context");
	}

	@Test
	void kubeconfigWithoutCurrentContextAsksForOne() throws IOException {
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				contexts:
				- name: a
				  context: {cluster: c}
				""");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, null)))
			.hasMessageContaining("sets no current-context")
			.hasMessageContaining("kube.controller.client.context to one of [a]");
	}

	@Test
	void missingKubeconfigFileIsNamed() {
		Path missing = dir.resolve("nowhere").resolve("kubeconfig");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(missing, null)))
			.hasMessageContaining("The kubeconfig file " + missing + " named by kube.controller.client.kubeconfig")
			.hasMessageContaining("does not exist");
	}

	@Test
	void kubeconfigVariableNamingOnlyMissingFilesIsAnError() {
		variables.put("KUBECONFIG", dir.resolve("missing").toString());
		emulator.writeKubeconfig(home().resolve(".kube").resolve("config"));

		assertThat(configurationFailure(ClientSettings.defaults()))
			.hasMessageContaining("None of the kubeconfig files named by the KUBECONFIG environment variable exists");
	}

	@Test
	void clusterWithoutServerIsReported() throws IOException {
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				current-context: a
				clusters:
				- name: c
				  cluster: {}
				contexts:
				- name: a
				  context: {cluster: c}
				""");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, null)))
			.hasMessageContaining("The cluster \"c\" of kubeconfig context \"a\" in " + kubeconfig)
			.hasMessageContaining("has no server URL");
	}

	@Test
	void contextWithUndefinedUserIsReported() throws IOException {
		Path kubeconfig = write("kubeconfig", """
				apiVersion: v1
				kind: Config
				current-context: a
				clusters:
				- name: c
				  cluster: {server: "http://127.0.0.1:1"}
				contexts:
				- name: a
				  context: {cluster: c, user: ghost}
				""");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, null)))
			.hasMessageContaining("uses the user \"ghost\", which is not defined there");
	}

	@Test
	void emptyKubeconfigIsNotValid() throws IOException {
		Path kubeconfig = write("kubeconfig", "");

		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(kubeconfig, null)))
			.hasMessageContaining(kubeconfig + " named by kube.controller.client.kubeconfig is not a valid kubeconfig");
	}

	@Test
	void contextWithoutAnyKubeconfigIsAnError() {
		assertThat(configurationFailure(ClientSettings.defaults().withKubeconfig(null, "staging")))
			.hasMessageContaining("kube.controller.client.context is set to \"staging\" but there is no kubeconfig");
	}

	@Test
	void inconsistentSettingsAreRejected() {
		assertThat(configurationFailure(ClientSettings.defaults().withToken("t")))
			.hasMessageContaining("kube.controller.client.token is set but kube.controller.client.master-url is not");
		assertThat(configurationFailure(
				ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withKubeconfig(dir.resolve("k"), null)))
			.hasMessageContaining("Both kube.controller.client.master-url and kube.controller.client.kubeconfig");
		assertThat(configurationFailure(ClientSettings.defaults()
			.withMasterUrl(emulator.baseUrl())
			.withToken("t")
			.withTokenFile(dir.resolve("token")))).hasMessageContaining("set only one of them");
		assertThat(configurationFailure(ClientSettings.defaults().withMasterUrl("localhost:6443")))
			.hasMessageContaining("not an http or https URL");
		assertThat(configurationFailure(
				ClientSettings.defaults().withMasterUrl(emulator.baseUrl()).withTokenFile(dir.resolve("absent"))))
			.hasMessageContaining("The token file " + dir.resolve("absent"));
	}

	@Test
	void readTimeoutEndsACallToAServerThatNeverAnswers() {
		ApiClient client = factory().create(ClientSettings.defaults()
			.withMasterUrl(emulator.baseUrl())
			.withTimeouts(null, Duration.ofMillis(300), null));
		emulator.outage(Outage.HANG);

		assertThatThrownBy(() -> namespaces(client)).isInstanceOf(ApiException.class)
			.hasCauseInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void settingsHideTheTokenInToString() {
		assertThat(ClientSettings.defaults().withMasterUrl("https://k").withToken("secret-token").toString())
			.contains("token=(hidden)")
			.doesNotContain("secret-token");
	}
}
