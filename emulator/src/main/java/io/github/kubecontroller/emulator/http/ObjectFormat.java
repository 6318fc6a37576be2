package io.github.kubecontroller.emulator.http;

import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * A server-side conversion of read responses that a client asked for in its Accept header: a {@code Table} (rule D2)
 * or {@code PartialObjectMetadata} (D6). Plain JSON needs none.
 */
interface ObjectFormat {

	/** The Content-Type of a response to {@code list} or to a single object or watch. */
	String contentType(boolean list);

	byte[] list(ListPage page, String continueToken);

	/**
	 * One object, for a get or a watch event.
	 * @param first whether this is the first object of the response (Tables send their columns only then)
	 */
	byte[] single(StoredObject object, long revision, boolean first);
}
