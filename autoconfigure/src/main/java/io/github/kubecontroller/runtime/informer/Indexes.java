package io.github.kubecontroller.runtime.informer;

/** Names of the indexes every informer cache maintains. */
public final class Indexes {

	/** Index of objects by namespace; the value is the namespace name (empty for cluster-scoped objects). */
	public static final String NAMESPACE = "namespace";

	/**
	 * Index of objects by the uid of each owner in their {@code ownerReferences}: {@code byIndex(OWNER_UID, uid)}
	 * lists the children of an owner.
	 */
	public static final String OWNER_UID = "owner-uid";

	private Indexes() {
	}
}
