package io.github.kubecontroller.autoconfigure.rbac;

import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/kuberbac}: the ServiceAccount, ClusterRole, Roles and bindings the application's controllers
 * need, as YAML to review or to {@code kubectl apply -f}.
 */
@Endpoint(id = "kuberbac")
public class KubeRbacEndpoint {

	private final KubeControllersRbac rbac;

	public KubeRbacEndpoint(KubeControllersRbac rbac) {
		this.rbac = Objects.requireNonNull(rbac, "rbac");
	}

	/** The manifest, as YAML. */
	@ReadOperation(produces = "application/yaml")
	public String manifest() {
		return rbac.yaml();
	}
}
