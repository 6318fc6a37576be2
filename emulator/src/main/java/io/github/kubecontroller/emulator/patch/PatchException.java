package io.github.kubecontroller.emulator.patch;

/**
 * A patch that could not be applied. Its {@link Kind} tells the caller which HTTP status the real API server answers
 * with; its message says precisely what went wrong.
 */
public final class PatchException extends RuntimeException {

	/** Why a patch was rejected. */
	public enum Kind {

		/** The patch document itself is invalid: the server answers 400 BadRequest. */
		MALFORMED,

		/** The patch is well formed but cannot be applied to this object: the server answers 422. */
		FAILED,

		/** A JSON patch with more operations than the server accepts: the server answers 413. */
		TOO_MANY_OPERATIONS

	}

	private static final long serialVersionUID = 1L;

	private final Kind kind;

	public PatchException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

	static PatchException malformed(String message) {
		return new PatchException(Kind.MALFORMED, message);
	}

	static PatchException failed(String message) {
		return new PatchException(Kind.FAILED, message);
	}

}
