package io.github.kubecontroller.benchmarks.contender.clientjava;

import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.benchmarks.contender.Probe;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;
import java.util.Objects;

/**
 * The benchmark's reconcile, the same in every contender: read the object (from the informer's cache), and when
 * {@code status.observedGeneration} differs from {@code metadata.generation}, write the status once, here as a JSON
 * merge patch of the status subresource. {@code GenericKubernetesApi} can only replace the status (a PUT that fails
 * with 409 whenever the cached copy is stale), so the patch goes through {@link CustomObjectsApi} and
 * {@link PatchUtils}, as client-java's examples do.
 */
final class BenchReconciler implements Reconciler {

	private final Lister<Bench> lister;

	private final ApiClient client;

	private final CustomObjectsApi customObjects;

	BenchReconciler(Lister<Bench> lister, ApiClient client) {
		this.lister = lister;
		this.client = client;
		this.customObjects = new CustomObjectsApi(client);
	}

	@Override
	public Result reconcile(Request request) {
		Bench bench = this.lister.namespace(request.getNamespace()).get(request.getName());
		if (bench == null) {
			return new Result(false);
		}
		Probe.reconcileStarted(bench.getSpec() == null ? null : bench.getSpec().getMessage());
		Long generation = bench.getMetadata().getGeneration();
		Long observed = bench.getStatus() == null ? null : bench.getStatus().getObservedGeneration();
		if (Objects.equals(generation, observed)) {
			return new Result(false);
		}
		try {
			V1Patch patch = new V1Patch("{\"status\":{\"observedGeneration\":" + generation + "}}");
			PatchUtils.patch(Bench.class,
					() -> this.customObjects
						.patchNamespacedCustomObjectStatus(ContenderSettings.GROUP, ContenderSettings.VERSION,
								request.getNamespace(), ContenderSettings.PLURAL, request.getName(), patch)
						.buildCall(null),
					V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, this.client);
			Probe.statusWritten();
			return new Result(false);
		}
		catch (Exception ex) {
			Probe.failed(ex);
			return new Result(true);
		}
	}
}
