package io.github.kubecontroller.benchmarks.contender.josdk;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.kubecontroller.benchmarks.contender.Probe;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * The benchmark's reconcile, the same in every contender: read the object, and when {@code status.observedGeneration}
 * differs from {@code metadata.generation}, write the status once, here with {@link UpdateControl#patchStatus}
 * (server-side apply of the status by default in Java Operator SDK 5) of a fresh object holding only the status, as
 * its documentation advises for server-side apply.
 */
@ControllerConfiguration(name = "bench")
public class BenchReconciler implements Reconciler<Bench> {

	@Override
	public UpdateControl<Bench> reconcile(Bench bench, Context<Bench> context) {
		Probe.reconcileStarted(bench.getSpec() == null ? null : bench.getSpec().getMessage());
		Long generation = bench.getMetadata().getGeneration();
		Long observed = bench.getStatus() == null ? null : bench.getStatus().getObservedGeneration();
		if (Objects.equals(generation, observed)) {
			return UpdateControl.noUpdate();
		}
		Bench status = new Bench();
		status.setMetadata(new ObjectMetaBuilder().withName(bench.getMetadata().getName())
			.withNamespace(bench.getMetadata().getNamespace())
			.build());
		status.setStatus(new BenchStatus(generation));
		// Counted when handed to the framework, which writes it right after this returns.
		Probe.statusWritten();
		return UpdateControl.patchStatus(status);
	}
}
