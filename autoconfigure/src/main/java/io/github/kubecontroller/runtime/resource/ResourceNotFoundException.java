package io.github.kubecontroller.runtime.resource;

/**
 * The API server does not serve a kind this application needs, usually because its CustomResourceDefinition is
 * not installed.
 */
public class ResourceNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ResourceNotFoundException(String message) {
		super(message);
	}
}
