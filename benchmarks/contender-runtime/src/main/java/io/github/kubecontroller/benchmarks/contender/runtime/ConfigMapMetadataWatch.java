package io.github.kubecontroller.benchmarks.contender.runtime;

import io.github.kubecontroller.benchmarks.contender.Probe;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.github.kubecontroller.runtime.informer.WatchSpec;
import io.github.kubecontroller.runtime.resource.PartialObjectMetadata;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The memory scenarios' metadata-only variant ({@code bench.configmap.metadata-only=true}): instead of a controller, a
 * metadata-only informer on ConfigMaps, as the runtime keeps owned kinds. Each object counts as cached when its add
 * is delivered. No work queue holds the objects, so its bytes per object are the cache's alone.
 */
@Component
@ConditionalOnProperty(name = "bench.controller", havingValue = "configmap-metadata")
public class ConfigMapMetadataWatch {

	public ConfigMapMetadataWatch(InformerRegistry informers, ResourceDiscovery discovery) {
		Informer<PartialObjectMetadata> informer = informers
			.informer(WatchSpec.all(discovery.resolve(V1ConfigMap.class)), PartialObjectMetadata.class);
		informer.addEventHandler(new ResourceEventHandler<>() {
			@Override
			public void onAdd(PartialObjectMetadata object) {
				Probe.reconcileStarted(null);
			}

			@Override
			public void onUpdate(PartialObjectMetadata oldObject, PartialObjectMetadata newObject) {
			}

			@Override
			public void onDelete(PartialObjectMetadata object, boolean deletedFinalStateUnknown) {
			}
		});
	}
}
