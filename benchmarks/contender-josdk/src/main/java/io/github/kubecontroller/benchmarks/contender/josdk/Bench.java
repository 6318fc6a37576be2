package io.github.kubecontroller.benchmarks.contender.josdk;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The benchmark's custom resource as a fabric8 {@link CustomResource}. */
@Group("bench.kubecontroller.io")
@Version("v1")
@Kind("Bench")
@Plural("benches")
public class Bench extends CustomResource<BenchSpec, BenchStatus> implements Namespaced {

	private static final long serialVersionUID = 1L;
}
