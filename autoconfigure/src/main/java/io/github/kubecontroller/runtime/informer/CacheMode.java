package io.github.kubecontroller.runtime.informer;

/**
 * How an informer keeps its objects. Decoded objects are the fastest to read and the largest; the other modes trade
 * CPU or content for heap, per watch.
 */
public enum CacheMode {

	/** Decoded Java objects: every read returns the cached instance. The default for primary and watched kinds. */
	OBJECTS,

	/**
	 * Each object kept as its JSON (after the transform) and decoded on every read: several times less heap per
	 * object, paid for with a decode per read and per event. Reads return a fresh copy, which may be modified.
	 */
	COMPACT,

	/**
	 * Only the objects' metadata, requested as {@code PartialObjectMetadata} so that the server strips the rest
	 * before sending: read as {@link io.github.kubecontroller.runtime.resource.PartialObjectMetadata}. The default for
	 * owned kinds, whose events only need the owner references.
	 */
	METADATA_ONLY
}
