package io.github.kubecontroller.runtime.event;

import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.EventsV1EventSeries;
import io.kubernetes.client.util.PatchUtils;
import java.time.OffsetDateTime;

/** Creates Events and updates their series through client-java's {@code events.k8s.io/v1} API. */
final class EventSink {

	private final ApiClient client;

	private final EventsV1Api events;

	EventSink(ApiClient client) {
		this.client = client;
		this.events = new EventsV1Api(client);
	}

	void create(EventsV1Event event) throws ApiException {
		this.events.createNamespacedEvent(event.getMetadata().getNamespace(), event).execute();
	}

	/**
	 * Sets the series of an existing Event. Only the series may change on an Event, so a merge patch of just that
	 * member is all it takes.
	 */
	void updateSeries(String namespace, String name, int count, OffsetDateTime lastObserved) throws ApiException {
		JsonObject patch = new JsonObject();
		patch.add("series", JSON.getGson()
			.toJsonTree(new EventsV1EventSeries().count(count).lastObservedTime(lastObserved)));
		// PatchUtils sends the patch under the content type we name; the generated method alone would say
		// application/json, which the API server rejects for a PATCH.
		PatchUtils.patch(EventsV1Event.class,
				() -> this.events.patchNamespacedEvent(name, namespace, new V1Patch(patch.toString())).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, this.client);
	}
}
