package io.github.kubecontroller.sample;

import io.github.kubecontroller.autoconfigure.Reconciler;
import io.github.kubecontroller.runtime.controller.ReconcileContext;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.Result;
import io.kubernetes.client.openapi.models.V1Condition;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Keeps, for each Website, a ConfigMap {@code <name>-content} with the page and a Deployment {@code <name>} of nginx
 * serving it, both applied with server-side apply and owned by the Website; reports {@code observedGeneration} and
 * a {@code Ready} condition; removes the site from the {@link WebsiteRegistry} when the Website is deleted.
 */
@Reconciler(owns = { V1ConfigMap.class, V1Deployment.class }, finalizer = "demo.kubecontroller.io/registry")
public class WebsiteReconciler implements ResourceReconciler<Website> {

	private final WebsiteRegistry registry;

	public WebsiteReconciler(WebsiteRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Result reconcile(Website website, ReconcileContext<Website> context) throws Exception {
		V1ObjectMeta metadata = website.getMetadata();
		registry.register(context.key().toString(), website.getSpec().getContent());
		context.apply(contentConfigMap(website, context.ownerReference()));
		context.apply(deployment(website, context.ownerReference()));
		context.updateStatus(new Website.Status(metadata.getGeneration(), List.of(ready(website))));
		return Result.done();
	}

	@Override
	public Result cleanup(Website website, ReconcileContext<Website> context) {
		registry.remove(context.key().toString());
		return Result.done();
	}

	private static V1ConfigMap contentConfigMap(Website website, V1OwnerReference owner) {
		return new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
				.metadata(childMetadata(website, website.getMetadata().getName() + "-content", owner))
				.data(Map.of("index.html", website.getSpec().getContent()));
	}

	private static V1Deployment deployment(Website website, V1OwnerReference owner) {
		String name = website.getMetadata().getName();
		Map<String, String> labels = Map.of("app.kubernetes.io/name", "website", "app.kubernetes.io/instance", name);
		return new V1Deployment().apiVersion("apps/v1").kind("Deployment")
				.metadata(childMetadata(website, name, owner))
				.spec(new V1DeploymentSpec()
						.replicas(website.getSpec().getReplicas())
						.selector(new V1LabelSelector().matchLabels(labels))
						.template(new V1PodTemplateSpec()
								.metadata(new V1ObjectMeta().labels(labels))
								.spec(new V1PodSpec()
										.containers(List.of(new V1Container()
												.name("nginx")
												.image("nginx:1.27")
												.ports(List.of(new V1ContainerPort().containerPort(80)))
												.volumeMounts(List.of(new V1VolumeMount()
														.name("content")
														.mountPath("/usr/share/nginx/html")
														.readOnly(true)))))
										.volumes(List.of(new V1Volume()
												.name("content")
												.configMap(new V1ConfigMapVolumeSource().name(name + "-content")))))));
	}

	private static V1ObjectMeta childMetadata(Website website, String name, V1OwnerReference owner) {
		return new V1ObjectMeta()
				.namespace(website.getMetadata().getNamespace())
				.name(name)
				.labels(Map.of("app.kubernetes.io/managed-by", "website-operator"))
				.ownerReferences(List.of(owner));
	}

	/**
	 * The Ready condition. Deterministic: its transition time changes only when its status does, so an unchanged
	 * Website produces an unchanged status and no write.
	 */
	private static V1Condition ready(Website website) {
		V1Condition previous = website.getStatus() == null ? null : website.getStatus().getConditions().stream()
				.filter(condition -> "Ready".equals(condition.getType()))
				.findFirst()
				.orElse(null);
		OffsetDateTime since = previous != null && "True".equals(previous.getStatus())
				? previous.getLastTransitionTime()
				: OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		return new V1Condition()
				.type("Ready")
				.status("True")
				.reason("Applied")
				.message("ConfigMap and Deployment are applied")
				.observedGeneration(website.getMetadata().getGeneration())
				.lastTransitionTime(since);
	}
}
