package io.github.kubecontroller.test;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A tiny application: for each ConfigMap labelled {@code app=greeter}, a ConfigMap {@code <name>-greeting}. Its
 * reconciler is a member class of the configuration, so it is a bean.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GreeterApplication {

	@Reconciler(labelSelector = "app=greeter")
	static class GreeterReconciler implements ResourceReconciler<V1ConfigMap> {

		@Override
		public Result reconcile(V1ConfigMap source, ReconcileContext<V1ConfigMap> context) throws Exception {
			String name = source.getData() == null ? null : source.getData().get("name");
			context.apply(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
				.metadata(new V1ObjectMeta().namespace(source.getMetadata().getNamespace())
					.name(source.getMetadata().getName() + "-greeting"))
				.data(Map.of("greeting", "hello " + name)));
			return Result.done();
		}

	}

}
