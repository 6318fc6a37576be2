package io.github.kubecontroller.emulator;

/**
 * How the emulator behaves during {@link KubeApiEmulator#outage(Outage)}.
 */
public enum Outage {

	/** Nothing listens: connections are refused at once. */
	REFUSE_CONNECTIONS,

	/** Connections are accepted and never answered, as behind a black-holing load balancer. */
	HANG
}
