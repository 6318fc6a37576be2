package io.github.kubecontroller.emulator.selector;

/**
 * A label or field selector the API server would reject. The message is exactly the text kube-apiserver 1.32 puts
 * in the {@code message} of its 400 {@code BadRequest} Status for the same selector.
 */
public final class SelectorException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message the API server's message for the rejected selector
	 */
	public SelectorException(String message) {
		super(message);
	}

}
