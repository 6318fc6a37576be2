package io.github.kubecontroller.emulator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;

/**
 * The {@code metadata} of a list response in any form (list, Table, PartialObjectMetadataList): resourceVersion,
 * continue and remainingItemCount (rule E7).
 */
final class ListMetadata {

	private ListMetadata() {
	}

	static ObjectNode of(ListPage page, String continueToken) {
		ObjectNode metadata = Json.object();
		metadata.put("resourceVersion", Long.toString(page.revision()));
		if (continueToken != null) {
			metadata.put("continue", continueToken);
		}
		if (page.remainingItemCount() != null) {
			metadata.put("remainingItemCount", page.remainingItemCount());
		}
		return metadata;
	}
}
