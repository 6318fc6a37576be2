package io.github.kubecontroller.benchmarks.contender.runtime;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.benchmarks.contender.Probe;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The benchmark's reconcile, the same in every contender: read the object, and when {@code status.observedGeneration}
 * differs from {@code metadata.generation}, write the status once.
 */
@Reconciler(name = "bench")
@ConditionalOnProperty(name = "bench.controller", havingValue = "bench")
public class BenchReconciler implements ResourceReconciler<Bench> {

	@Override
	public Result reconcile(Bench bench, ReconcileContext<Bench> context) throws Exception {
		Probe.reconcileStarted(bench.getSpec() == null ? null : bench.getSpec().getMessage());
		Long generation = bench.getMetadata().getGeneration();
		Long observed = bench.getStatus() == null ? null : bench.getStatus().getObservedGeneration();
		if (!Objects.equals(generation, observed)) {
			try {
				context.updateStatus(new Bench.Status(generation));
			}
			catch (Exception ex) {
				Probe.failed(ex);
				throw ex;
			}
			Probe.statusWritten();
		}
		return Result.done();
	}
}
