package io.github.kubecontroller.benchmarks.contender.clientjava;

import io.github.kubecontroller.benchmarks.contender.ContenderSettings;
import io.github.kubecontroller.benchmarks.contender.ControlChannel;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.extended.controller.Controller;
import io.kubernetes.client.extended.controller.builder.ControllerBuilder;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Contender (b) of the peers benchmark: what a client-java user builds by hand today, without Spring. One
 * {@link SharedInformerFactory} informer on the primary kind and client-java-extended's {@code DefaultController}
 * ({@link ControllerBuilder}) with its default work queue and rate limiter.
 *
 * <p>Choices a careful user makes, stated here because they are not client-java's defaults: the HTTP read timeout is
 * off (a watch is otherwise cut after 10 s of silence); updates that do not change {@code metadata.generation} are
 * filtered out (else every status write triggers one more reconcile), except resyncs, so the periodic resync still
 * reconciles; and the controller waits up to 2 minutes for its cache instead of 30 s, the peers' sync timeout
 * (past 30 s, {@code DefaultController} logs an error and never starts its workers).
 */
public final class ClientJavaContender {

	private ClientJavaContender() {
	}

	public static void main(String[] args) throws Exception {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		ApiClient client = new ClientBuilder().setBasePath(settings.masterUrl())
			.setAuthentication(new AccessTokenAuthentication(settings.token()))
			.setReadTimeout(Duration.ZERO)
			.build();
		SharedInformerFactory factory = new SharedInformerFactory(client);
		long resyncMillis = settings.resyncRequested() ? settings.resync().toMillis() : 0;
		CountDownLatch ready = new CountDownLatch(1);
		Controller controller = switch (settings.kind()) {
			case BENCH -> {
				GenericKubernetesApi<Bench, BenchList> api = new GenericKubernetesApi<>(Bench.class, BenchList.class,
						ContenderSettings.GROUP, ContenderSettings.VERSION, ContenderSettings.PLURAL, client);
				SharedIndexInformer<Bench> informer = factory.sharedIndexInformerFor(api, Bench.class, resyncMillis);
				yield controller(factory, Bench.class, informer, new BenchReconciler(new Lister<>(informer.getIndexer()), client),
						settings, ready);
			}
			case CONFIGMAP -> {
				GenericKubernetesApi<V1ConfigMap, V1ConfigMapList> api = new GenericKubernetesApi<>(V1ConfigMap.class,
						V1ConfigMapList.class, "", "v1", "configmaps", client);
				SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(api, V1ConfigMap.class,
						resyncMillis);
				yield controller(factory, V1ConfigMap.class, informer,
						new ConfigMapReconciler(new Lister<>(informer.getIndexer())), settings, ready);
			}
		};
		factory.startAllRegisteredInformers();
		Thread running = new Thread(controller::run, "bench-controller");
		running.start();
		if (!ready.await(3, TimeUnit.MINUTES)) {
			throw new IllegalStateException("the cache did not sync");
		}
		ControlChannel.ready("client-java");
		ControlChannel.serve(() -> {
			controller.shutdown();
			factory.stopAllRegisteredInformers();
		});
	}

	private static <T extends KubernetesObject> Controller controller(SharedInformerFactory factory, Class<T> type,
			SharedIndexInformer<T> informer, Reconciler reconciler, ContenderSettings settings, CountDownLatch ready) {
		Duration resync = settings.resyncRequested() ? settings.resync() : Duration.ZERO;
		return ControllerBuilder.defaultBuilder(factory)
			.watch((queue) -> ControllerBuilder.controllerWatchBuilder(type, queue)
				.withOnUpdateFilter(ClientJavaContender::generationChangedOrResync)
				.withResyncPeriod(resync)
				.build())
			.withReconciler(reconciler)
			.withName(settings.kind().name().toLowerCase(java.util.Locale.ROOT))
			.withWorkerCount(settings.concurrency())
			.withReadyTimeout(Duration.ofMinutes(2))
			// DefaultController starts its workers right after this answers true (it asks once a second).
			.withReadyFunc(() -> {
				boolean synced = informer.hasSynced();
				if (synced) {
					ready.countDown();
				}
				return synced;
			})
			.build();
	}

	private static <T extends KubernetesObject> boolean generationChangedOrResync(T old, T now) {
		boolean resync = Objects.equals(old.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion());
		// Kinds without a generation (ConfigMaps) pass every update.
		return resync || now.getMetadata().getGeneration() == null
				|| !Objects.equals(old.getMetadata().getGeneration(), now.getMetadata().getGeneration());
	}
}
