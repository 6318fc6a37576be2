package io.github.kubecontroller.runtime.event;

/** The type of a Kubernetes Event: the API accepts only these two. */
public enum EventKind {

	/** Something expected happened, such as a resource being created or scaled. */
	NORMAL("Normal"),

	/** Something may need attention, such as a failure to reconcile. */
	WARNING("Warning");

	private final String apiValue;

	EventKind(String apiValue) {
		this.apiValue = apiValue;
	}

	/** The value of the Event's {@code type} field. */
	public String apiValue() {
		return this.apiValue;
	}
}
