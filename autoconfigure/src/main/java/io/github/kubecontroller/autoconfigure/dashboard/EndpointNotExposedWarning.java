package io.github.kubecontroller.autoconfigure.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/** Says, once at start-up, why the dashboard that was asked for is not served and which property fixes it. */
final class EndpointNotExposedWarning implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(EndpointNotExposedWarning.class);

	@Override
	public void afterSingletonsInstantiated() {
		log.warn("kube.controller.dashboard.enabled is true, but the kubecontrollers actuator endpoint is not "
				+ "available over HTTP, so the dashboard is not served: add kubecontrollers to "
				+ "management.endpoints.web.exposure.include");
	}
}
