package io.github.kubecontroller.sample;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of {@link Website}s, as the API returns it. */
public class WebsiteList implements KubernetesListObject {

	private String apiVersion = "demo.kubecontroller.io/v1";
	private String kind = "WebsiteList";
	private V1ListMeta metadata = new V1ListMeta();
	private List<Website> items = new ArrayList<>();

	@Override
	public V1ListMeta getMetadata() {
		return metadata;
	}

	@Override
	public List<Website> getItems() {
		return items;
	}

	@Override
	public String getApiVersion() {
		return apiVersion;
	}

	@Override
	public String getKind() {
		return kind;
	}
}
