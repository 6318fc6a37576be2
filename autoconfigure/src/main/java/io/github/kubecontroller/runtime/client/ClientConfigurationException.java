package io.github.kubecontroller.runtime.client;

/**
 * No usable API server configuration was found, or the one found is broken (a missing file, an unknown context, a
 * cluster without a server). The message says what was looked at and how to fix it.
 */
public class ClientConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ClientConfigurationException(String message) {
		super(message);
	}

	public ClientConfigurationException(String message, Throwable cause) {
		super(message, cause);
	}
}
