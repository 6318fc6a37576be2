package io.github.kubecontroller.benchmarks.contender.clientjava;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of {@link Bench}es, as the API returns it. */
public class BenchList implements KubernetesListObject {

	private String apiVersion = "bench.kubecontroller.io/v1";
	private String kind = "BenchList";
	private V1ListMeta metadata = new V1ListMeta();
	private List<Bench> items = new ArrayList<>();

	@Override
	public V1ListMeta getMetadata() {
		return metadata;
	}

	@Override
	public List<Bench> getItems() {
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
