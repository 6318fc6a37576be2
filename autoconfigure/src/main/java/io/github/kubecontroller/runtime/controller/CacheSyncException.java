package io.github.kubecontroller.runtime.controller;

/**
 * A controller's caches did not sync in time, so the controller cannot start. The message names each resource
 * that did not sync and the last error seen while listing it (a 403, a missing CustomResourceDefinition, an
 * unreachable server).
 */
public class CacheSyncException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CacheSyncException(String message) {
		super(message);
	}
}
