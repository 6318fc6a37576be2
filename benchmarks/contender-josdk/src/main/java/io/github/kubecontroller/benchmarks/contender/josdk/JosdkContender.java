package io.github.kubecontroller.benchmarks.contender.josdk;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.benchmarks.contender.ControlChannel;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;

/**
 * Contender (c) of the peers benchmark: Java Operator SDK 5 on the fabric8 client, wired as its Spring Boot starter
 * wires it ({@code OperatorAutoConfiguration}, {@code OperatorStarter}) but in a plain main: a
 * {@link KubernetesClient} from a {@link Config} with the master URL, an {@link Operator} whose configuration service
 * gets the client, the reconciliation thread count, {@code Metrics.NOOP} and no CRD check (the starter's defaults),
 * one registered reconciler, then {@link Operator#start()}, which returns once the informers have synced and the
 * controller processes events.
 *
 * <p>Deviations from the starter, both needed here: the client is configured with {@code onlyHttpWatches} (the
 * emulator serves HTTP watches, not WebSockets) and starts from an empty configuration rather than reading the
 * machine's kubeconfig; the reconciliation threads are the benchmark's worker count (the starter's default is 50).
 */
public final class JosdkContender {

	private JosdkContender() {
	}

	public static void main(String[] args) {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		Config config = new ConfigBuilder(Config.empty()).withMasterUrl(settings.masterUrl())
			.withOauthToken(settings.token())
			.withTrustCerts(false)
			.withOnlyHttpWatches(true)
			.build();
		KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
		Operator operator = new Operator((overrider) -> overrider
			.withConcurrentReconciliationThreads(settings.concurrency())
			.withMetrics(Metrics.NOOP)
			.checkingCRDAndValidateLocalModel(false)
			.withKubernetesClient(client));
		switch (settings.kind()) {
			case BENCH -> operator.register(new BenchReconciler(), (controller) -> {
				if (settings.resyncRequested()) {
					controller.withReconciliationMaxInterval(settings.resync());
				}
			});
			case CONFIGMAP -> operator.register(new ConfigMapReconciler(), (controller) -> {
				if (settings.resyncRequested()) {
					controller.withReconciliationMaxInterval(settings.resync());
				}
			});
		}
		operator.start();
		ControlChannel.ready("josdk");
		ControlChannel.serve(() -> {
			operator.stop();
			client.close();
		});
	}
}
