package io.github.kubecontroller.emulator.store;

/**
 * A read asked for a revision older than the retained history: the caller answers 410 Expired.
 */
public final class ResourceVersionExpiredException extends Exception {

	private static final long serialVersionUID = 1L;

	private final long requested;

	private final long oldestAvailable;

	ResourceVersionExpiredException(long requested, long oldestAvailable) {
		super("too old resource version: " + requested + " (" + oldestAvailable + ")");
		this.requested = requested;
		this.oldestAvailable = oldestAvailable;
	}

	public long requested() {
		return this.requested;
	}

	/** The oldest revision a watch may start from. */
	public long oldestAvailable() {
		return this.oldestAvailable;
	}
}
