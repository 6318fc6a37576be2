package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.client.ApiClientFactory;
import io.github.kubecontroller.runtime.client.ApiWarnings;
import io.github.kubecontroller.runtime.client.ClientRateLimit;
import io.github.kubecontroller.runtime.client.ClientSettings;
import io.github.kubecontroller.runtime.client.RequestRetries;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerDependencies;
import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.WorkerThreads;
import io.github.kubecontroller.runtime.informer.InformerOptions;
import io.github.kubecontroller.runtime.informer.InformerRegistry;
import io.github.kubecontroller.runtime.informer.ObjectTransform;
import io.github.kubecontroller.runtime.leader.LeaderElectionSettings;
import io.github.kubecontroller.runtime.shard.ShardingSettings;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the controller runtime: an {@link ApiClient} (unless the application defines one), the
 * shared informers, API discovery, and a controller for every {@link Reconciler @Reconciler} bean, started with the
 * application context. Every {@link ControllerObserver} bean (metrics, traces, diagnostics) sees every controller.
 */
@AutoConfiguration
@ConditionalOnClass(ApiClient.class)
@EnableConfigurationProperties(KubeControllerProperties.class)
public final class KubeControllerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApiClient kubeApiClient(KubeControllerProperties properties) {
		KubeControllerProperties.Client client = properties.getClient();
		ClientSettings settings = ClientSettings.defaults()
				.withMasterUrl(client.getMasterUrl())
				.withKubeconfig(client.getKubeconfig(), client.getContext())
				.withToken(client.getToken())
				.withTokenFile(client.getTokenFile())
				.withCaFile(client.getCaFile())
				.withInsecureSkipTlsVerify(client.isInsecureSkipTlsVerify())
				.withTimeouts(client.getConnectTimeout(), client.getReadTimeout(), client.getCallTimeout());
		if (client.getMaxRetries() < 0) {
			throw new IllegalArgumentException("kube.controller.client.max-retries must not be negative, was "
					+ client.getMaxRetries() + "; use 0 to disable retries");
		}
		ApiClient apiClient = new ApiClientFactory().create(settings);
		RequestRetries.install(apiClient, client.getMaxRetries());
		ApiWarnings.install(apiClient);
		if (client.getQps() < 0 || client.getBurst() < 0) {
			throw new IllegalArgumentException("kube.controller.client.qps and .burst must not be negative, were "
					+ client.getQps() + " and " + client.getBurst() + "; use qps 0 for no client-side limit");
		}
		if (client.getQps() > 0) {
			int burst = (client.getBurst() > 0) ? client.getBurst() : (int) Math.max(1, Math.ceil(2 * client.getQps()));
			ClientRateLimit.install(apiClient, client.getQps(), burst);
		}
		return apiClient;
	}

	@Bean
	@ConditionalOnBean(name = "kubeApiClient")
	ApiClientConnections kubeApiClientConnections(ApiClient kubeApiClient) {
		return new ApiClientConnections(kubeApiClient);
	}

	@Bean
	@ConditionalOnMissingBean
	ResourceDiscovery kubeResourceDiscovery(ApiClient client) {
		return new ResourceDiscovery(client);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	InformerRegistry kubeInformerRegistry(ApiClient client, KubeControllerProperties properties) {
		KubeControllerProperties.Informer informer = properties.getInformer();
		if (informer.getPageSize() < 1) {
			throw new IllegalArgumentException("kube.controller.informer.page-size must be at least 1, was "
					+ informer.getPageSize());
		}
		InformerOptions options = InformerOptions.defaults()
				.withPageSize(informer.getPageSize())
				.withStreamingList(informer.isStreamingList());
		ObjectTransform transform = ObjectTransform.NONE;
		if (informer.isDropManagedFields()) {
			transform = ObjectTransform.DROP_MANAGED_FIELDS;
		}
		if (informer.isDropLastAppliedConfiguration()) {
			transform = transform.andThen(ObjectTransform.DROP_LAST_APPLIED_CONFIGURATION);
		}
		options = options.withTransform(transform);
		return new InformerRegistry(client, options);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "kube.controller.enabled", matchIfMissing = true)
	KubeControllers kubeControllers(ApplicationContext context, Environment environment,
			KubeControllerProperties properties, ApiClient client, InformerRegistry informers,
			ResourceDiscovery discovery, ObjectProvider<ControllerObserver> observers) {
		WorkerThreads threads = Threading.VIRTUAL.isActive(environment) ? WorkerThreads.virtualIfAvailable()
				: WorkerThreads.platform();
		ControllerDependencies dependencies = new ControllerDependencies(client, informers, discovery, threads,
				instanceName(properties), ControllerObserver.composite(observers.orderedStream().toList()));
		Map<String, Controller<?>> controllers = new LinkedHashMap<>();
		Map<String, Object> beans = context.getBeansWithAnnotation(Reconciler.class);
		for (Map.Entry<String, Object> entry : beans.entrySet()) {
			Controller<?> controller = controllerOf(entry.getKey(), entry.getValue(), properties, dependencies);
			if (controller == null) {
				continue;
			}
			Controller<?> clash = controllers.put(controller.spec().name(), controller);
			if (clash != null) {
				throw new IllegalStateException("Two @Reconciler beans are named '" + controller.spec().name()
						+ "': give one of them another name with @Reconciler(name = \"...\")");
			}
		}
		Set<String> unknown = new TreeSet<>(properties.getReconcilers().keySet());
		unknown.removeAll(controllerNames(beans));
		if (!unknown.isEmpty()) {
			throw new IllegalStateException("kube.controller.reconcilers." + unknown.iterator().next()
					+ " does not name a @Reconciler bean; the reconcilers are " + new TreeSet<>(controllerNames(beans))
					+ ". Fix the name or remove the setting.");
		}
		if (properties.getLeaderElection().isEnabled() && properties.getSharding().isEnabled()) {
			throw new IllegalStateException("kube.controller.leader-election.enabled and kube.controller.sharding.enabled"
					+ " are both true: sharding replaces leader election (every instance works on its shards instead of"
					+ " one instance on everything). Turn kube.controller.leader-election.enabled off to shard, or"
					+ " kube.controller.sharding.enabled off to elect a leader.");
		}
		return new KubeControllers(new ArrayList<>(controllers.values()), properties.getShutdownGracePeriod(),
				properties.isAutoStartup(), client, leaderElection(properties, environment),
				sharding(properties, environment));
	}

	private static @Nullable ShardingSettings sharding(KubeControllerProperties properties, Environment environment) {
		KubeControllerProperties.Sharding sharding = properties.getSharding();
		if (!sharding.isEnabled()) {
			return null;
		}
		if (sharding.getShards() < 1) {
			throw new IllegalArgumentException("kube.controller.sharding.shards must be at least 1, was "
					+ sharding.getShards() + "; set the same count on every instance (the default is "
					+ ShardingSettings.DEFAULT_SHARDS + ")");
		}
		String name = sharding.getLeaseName();
		if (name == null || name.isBlank()) {
			name = environment.getProperty("spring.application.name", "kube-controller");
		}
		String namespace = sharding.getLeaseNamespace();
		if (namespace == null || namespace.isBlank()) {
			namespace = podNamespace();
		}
		String identity = sharding.getIdentity();
		if (identity == null || identity.isBlank()) {
			identity = uniqueIdentity(properties);
		}
		try {
			return new ShardingSettings(namespace, name, identity, sharding.getShards(), sharding.getLeaseDuration(),
					sharding.getRenewDeadline(), sharding.getRetryPeriod());
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("kube.controller.sharding: " + e.getMessage()
					+ "; fix lease-duration, renew-deadline, retry-period, lease-name or lease-namespace", e);
		}
	}

	/** The instance name with a random suffix: the pod name alone is not unique across a restart of the pod. */
	private static String uniqueIdentity(KubeControllerProperties properties) {
		return instanceName(properties) + "-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffL);
	}

	private static @Nullable LeaderElectionSettings leaderElection(KubeControllerProperties properties,
			Environment environment) {
		KubeControllerProperties.LeaderElection election = properties.getLeaderElection();
		if (!election.isEnabled()) {
			return null;
		}
		String name = election.getLeaseName();
		if (name == null || name.isBlank()) {
			name = environment.getProperty("spring.application.name", "kube-controller") + "-leader";
		}
		String namespace = election.getLeaseNamespace();
		if (namespace == null || namespace.isBlank()) {
			namespace = podNamespace();
		}
		String identity = election.getIdentity();
		if (identity == null || identity.isBlank()) {
			identity = uniqueIdentity(properties);
		}
		try {
			return new LeaderElectionSettings(namespace, name, identity, election.getLeaseDuration(),
					election.getRenewDeadline(), election.getRetryPeriod());
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("kube.controller.leader-election: " + e.getMessage()
					+ "; fix lease-duration, renew-deadline, retry-period, lease-name or lease-namespace", e);
		}
	}

	/** The pod's namespace, from its service account mount; {@code default} outside a cluster. */
	private static String podNamespace() {
		Path file = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
		try {
			String namespace = Files.isReadable(file) ? Files.readString(file).trim() : "";
			return namespace.isEmpty() ? "default" : namespace;
		} catch (IOException e) {
			return "default";
		}
	}

	@SuppressWarnings("unchecked")
	private static Controller<?> controllerOf(String beanName, Object bean, KubeControllerProperties properties,
			ControllerDependencies dependencies) {
		if (!(bean instanceof ResourceReconciler<?> reconciler)) {
			throw new IllegalStateException("@Reconciler bean '" + beanName + "' (" + AopUtils.getTargetClass(bean).getName()
					+ ") does not implement ResourceReconciler");
		}
		Reconciler annotation = annotationOf(bean);
		String name = ReconcilerSpecs.nameOf(bean, annotation);
		KubeControllerProperties.ReconcilerSettings settings = properties.getReconcilers().get(name);
		if (settings != null && !settings.isEnabled()) {
			return null;
		}
		return newController(beanName, (ResourceReconciler<KubernetesObject>) reconciler, annotation, settings,
				dependencies);
	}

	private static <T extends KubernetesObject> Controller<T> newController(String beanName, ResourceReconciler<T> reconciler,
			Reconciler annotation, KubeControllerProperties.ReconcilerSettings settings,
			ControllerDependencies dependencies) {
		ControllerSpec<T> spec = ReconcilerSpecs.specOf(beanName, reconciler, annotation, settings);
		return new Controller<>(spec, reconciler, dependencies);
	}

	private static Reconciler annotationOf(Object bean) {
		return org.springframework.core.annotation.AnnotatedElementUtils
				.findMergedAnnotation(AopUtils.getTargetClass(bean), Reconciler.class);
	}

	private static List<String> controllerNames(Map<String, Object> beans) {
		return beans.values().stream().map(bean -> ReconcilerSpecs.nameOf(bean, annotationOf(bean))).toList();
	}

	private static String instanceName(KubeControllerProperties properties) {
		if (properties.getInstanceName() != null && !properties.getInstanceName().isBlank()) {
			return properties.getInstanceName();
		}
		String hostname = System.getenv("HOSTNAME");
		if (hostname != null && !hostname.isBlank()) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		} catch (UnknownHostException e) {
			return "unknown";
		}
	}
}
