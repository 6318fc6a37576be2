package io.github.kubecontroller.autoconfigure.leader;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.github.kubecontroller.runtime.controller.Widget;
import java.util.Objects;

/**
 * Writes {@code status.observedGeneration} of a Widget when it differs from its generation, and records every
 * reconcile, failed ones included, with the instance that ran it.
 */
@Reconciler(name = "widget-status", namespaces = ChaosSoakTest.NAMESPACE)
final class WidgetStatusReconciler implements ResourceReconciler<Widget> {

	private final String instance;
	private final ReconcileRecorder recorder;

	WidgetStatusReconciler(String instance, ReconcileRecorder recorder) {
		this.instance = instance;
		this.recorder = recorder;
	}

	@Override
	public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
		long start = System.nanoTime();
		try {
			Long generation = widget.getMetadata().getGeneration();
			Widget.Status status = widget.getStatus();
			if (status == null || !Objects.equals(status.observedGeneration, generation)) {
				context.updateStatus(new Widget.Status(generation, null));
			}
			return Result.done();
		} finally {
			recorder.record(instance, context.key().toString(), start, System.nanoTime());
		}
	}
}
