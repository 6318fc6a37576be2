package io.github.kubecontroller.runtime.client;

/**
 * The application properties that configure the client, named in error messages so that a person knows what to
 * set. They bind to {@link ClientSettings}.
 */
final class PropertyNames {

	static final String PREFIX = "kube.controller.client.";

	static final String MASTER_URL = PREFIX + "master-url";

	static final String KUBECONFIG = PREFIX + "kubeconfig";

	static final String CONTEXT = PREFIX + "context";

	static final String TOKEN = PREFIX + "token";

	static final String TOKEN_FILE = PREFIX + "token-file";

	static final String CA_FILE = PREFIX + "ca-file";

	static final String INSECURE_SKIP_TLS_VERIFY = PREFIX + "insecure-skip-tls-verify";

	private PropertyNames() {
	}
}
