package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.informer.CacheMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the controller runtime, under {@code kube.controller}. Unknown keys under this prefix fail the
 * start-up with their name, so that a misspelt setting is never silently ignored.
 */
@ConfigurationProperties(prefix = "kube.controller", ignoreUnknownFields = false)
public class KubeControllerProperties {

	/**
	 * Whether to start the controllers of the application's @Reconciler beans.
	 */
	private boolean enabled = true;

	/**
	 * Whether the controllers start with the application context; when false, they are made but not started (as
	 * when only their RBAC rules are exported).
	 */
	private boolean autoStartup = true;

	/**
	 * How long stopping the application waits for reconciles in flight before interrupting them.
	 */
	private Duration shutdownGracePeriod = Duration.ofSeconds(30);

	/**
	 * Name of this instance in events it records; the host name (the pod name in a cluster) when not set.
	 */
	private @Nullable String instanceName;

	private final Client client = new Client();

	private final Informer informer = new Informer();

	private final Embedded embedded = new Embedded();

	private final Diagnostics diagnostics = new Diagnostics();

	private final LeaderElection leaderElection = new LeaderElection();

	private final Sharding sharding = new Sharding();

	/**
	 * Per-reconciler settings, by controller name; they override the @Reconciler annotation.
	 */
	private final Map<String, ReconcilerSettings> reconcilers = new LinkedHashMap<>();

	private final Dashboard dashboard = new Dashboard();

	public boolean isEnabled() {
		return enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isAutoStartup() {
		return autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public Duration getShutdownGracePeriod() {
		return shutdownGracePeriod;
	}

	public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
		this.shutdownGracePeriod = shutdownGracePeriod;
	}

	public @Nullable String getInstanceName() {
		return instanceName;
	}

	public void setInstanceName(@Nullable String instanceName) {
		this.instanceName = instanceName;
	}

	public Client getClient() {
		return client;
	}

	public Informer getInformer() {
		return informer;
	}

	public Embedded getEmbedded() {
		return embedded;
	}

	public Diagnostics getDiagnostics() {
		return diagnostics;
	}

	public LeaderElection getLeaderElection() {
		return leaderElection;
	}

	public Sharding getSharding() {
		return sharding;
	}

	public Map<String, ReconcilerSettings> getReconcilers() {
		return reconcilers;
	}

	public Dashboard getDashboard() {
		return dashboard;
	}

	/** How to reach the API server when the application does not define its own ApiClient bean. */
	public static class Client {

		/**
		 * URL of the API server, such as https://10.0.0.1:6443; takes precedence over any kubeconfig.
		 */
		private @Nullable String masterUrl;

		/**
		 * Kubeconfig file to use instead of $KUBECONFIG or ~/.kube/config.
		 */
		private @Nullable Path kubeconfig;

		/**
		 * Kubeconfig context to use instead of the file's current context.
		 */
		private @Nullable String context;

		/**
		 * Bearer token, with master-url.
		 */
		private @Nullable String token;

		/**
		 * File holding a bearer token, re-read as it rotates, with master-url.
		 */
		private @Nullable Path tokenFile;

		/**
		 * PEM file of the certificate authority to trust, with master-url.
		 */
		private @Nullable Path caFile;

		/**
		 * Whether to skip verifying the server's TLS certificate. Only for development.
		 */
		private boolean insecureSkipTlsVerify;

		/**
		 * Connect timeout of API requests.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * Read timeout of API requests other than watches.
		 */
		private Duration readTimeout = Duration.ofSeconds(30);

		/**
		 * Limit of a whole API request other than watches, from connecting to reading the last byte; 0 for none.
		 */
		private Duration callTimeout = Duration.ZERO;

		/**
		 * How many times a request answered 429, 503 or 504 is sent again, after the Retry-After it asks for
		 * (10 s at most each). Creates and watches are never sent again. 0 disables retries.
		 */
		private int maxRetries = 3;

		/**
		 * Client-side limit of requests per second, as client-go's QPS; 0 (the default) for none, leaving the
		 * API server's priority and fairness to throttle.
		 */
		private double qps = 0;

		/**
		 * Requests allowed at once above the qps limit; 0 for twice the qps (at least 1).
		 */
		private int burst = 0;

		public @Nullable String getMasterUrl() {
			return masterUrl;
		}

		public void setMasterUrl(@Nullable String masterUrl) {
			this.masterUrl = masterUrl;
		}

		public @Nullable Path getKubeconfig() {
			return kubeconfig;
		}

		public void setKubeconfig(@Nullable Path kubeconfig) {
			this.kubeconfig = kubeconfig;
		}

		public @Nullable String getContext() {
			return context;
		}

		public void setContext(@Nullable String context) {
			this.context = context;
		}

		public @Nullable String getToken() {
			return token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable Path getTokenFile() {
			return tokenFile;
		}

		public void setTokenFile(@Nullable Path tokenFile) {
			this.tokenFile = tokenFile;
		}

		public @Nullable Path getCaFile() {
			return caFile;
		}

		public void setCaFile(@Nullable Path caFile) {
			this.caFile = caFile;
		}

		public boolean isInsecureSkipTlsVerify() {
			return insecureSkipTlsVerify;
		}

		public void setInsecureSkipTlsVerify(boolean insecureSkipTlsVerify) {
			this.insecureSkipTlsVerify = insecureSkipTlsVerify;
		}

		public Duration getConnectTimeout() {
			return connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getCallTimeout() {
			return callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public int getMaxRetries() {
			return maxRetries;
		}

		public double getQps() {
			return qps;
		}

		public void setQps(double qps) {
			this.qps = qps;
		}

		public int getBurst() {
			return burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}
	}

	/** Shared watches and caches. */
	public static class Informer {

		/**
		 * Objects per page of the initial and re-lists.
		 */
		private int pageSize = 500;

		/**
		 * Whether to drop metadata.managedFields before caching objects; they are often half of an object's size.
		 */
		private boolean dropManagedFields = true;

		/**
		 * Whether to drop the kubectl.kubernetes.io/last-applied-configuration annotation before caching objects: a
		 * second copy of every object client-side kubectl apply created.
		 */
		private boolean dropLastAppliedConfiguration = false;

		/**
		 * Whether to ask for streaming lists (watch with initial events) and fall back to paginated lists when the
		 * server does not support them.
		 */
		private boolean streamingList = true;

		public int getPageSize() {
			return pageSize;
		}

		public void setPageSize(int pageSize) {
			this.pageSize = pageSize;
		}

		public boolean isDropManagedFields() {
			return dropManagedFields;
		}

		public void setDropManagedFields(boolean dropManagedFields) {
			this.dropManagedFields = dropManagedFields;
		}

		public boolean isDropLastAppliedConfiguration() {
			return dropLastAppliedConfiguration;
		}

		public void setDropLastAppliedConfiguration(boolean dropLastAppliedConfiguration) {
			this.dropLastAppliedConfiguration = dropLastAppliedConfiguration;
		}

		public boolean isStreamingList() {
			return streamingList;
		}

		public void setStreamingList(boolean streamingList) {
			this.streamingList = streamingList;
		}
	}

	/** Hot-loop and stuck-finalizer detection, and the errors kept for the actuator endpoint. */
	public static class Diagnostics {

		/**
		 * Reconciles of one object within the hot-loop window above which it is suspected of a loop.
		 */
		private int hotLoopThreshold = 10;

		/**
		 * Window in which reconciles of one object are counted for hot-loop detection.
		 */
		private Duration hotLoopWindow = Duration.ofMinutes(1);

		/**
		 * How long an object may stay deleted with the controller's finalizer before it is reported stuck.
		 */
		private Duration stuckFinalizerAfter = Duration.ofMinutes(5);

		/**
		 * Failing objects whose last error is kept, per controller.
		 */
		private int recentErrors = 100;

		/**
		 * How long a watch may keep failing before the readiness indicator turns DOWN.
		 */
		private Duration unhealthyWatchAfter = Duration.ofMinutes(2);

		public int getHotLoopThreshold() {
			return hotLoopThreshold;
		}

		public void setHotLoopThreshold(int hotLoopThreshold) {
			this.hotLoopThreshold = hotLoopThreshold;
		}

		public Duration getHotLoopWindow() {
			return hotLoopWindow;
		}

		public void setHotLoopWindow(Duration hotLoopWindow) {
			this.hotLoopWindow = hotLoopWindow;
		}

		public Duration getStuckFinalizerAfter() {
			return stuckFinalizerAfter;
		}

		public void setStuckFinalizerAfter(Duration stuckFinalizerAfter) {
			this.stuckFinalizerAfter = stuckFinalizerAfter;
		}

		public int getRecentErrors() {
			return recentErrors;
		}

		public Duration getUnhealthyWatchAfter() {
			return unhealthyWatchAfter;
		}

		public void setUnhealthyWatchAfter(Duration unhealthyWatchAfter) {
			this.unhealthyWatchAfter = unhealthyWatchAfter;
		}

		public void setRecentErrors(int recentErrors) {
			this.recentErrors = recentErrors;
		}
	}

	/**
	 * The embedded API server emulator for development, used when the application has {@code kube-api-emulator} on
	 * its class path and no cluster is configured.
	 */
	public static class Embedded {

		/**
		 * Whether to run on the embedded emulator: true always, false never; when not set, only when no cluster is
		 * configured (no kube.controller.client.master-url or kubeconfig, no KUBECONFIG, no ~/.kube/config, not in a
		 * pod).
		 */
		private @Nullable Boolean enabled;

		/**
		 * Port of the embedded emulator; 0 picks a free one.
		 */
		private int port;

		/**
		 * Kubeconfig file to write for kubectl, pointing at the embedded emulator.
		 */
		private Path kubeconfig = Path.of("target", "kubeconfig");

		/**
		 * Comma-separated list of resource patterns of CustomResourceDefinition YAML files to install at start.
		 */
		private List<String> crds = new ArrayList<>(List.of("classpath*:crds/*.yaml", "classpath*:crds/*.yml"));

		public @Nullable Boolean getEnabled() {
			return enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Path getKubeconfig() {
			return kubeconfig;
		}

		public void setKubeconfig(Path kubeconfig) {
			this.kubeconfig = kubeconfig;
		}

		public List<String> getCrds() {
			return crds;
		}

		public void setCrds(List<String> crds) {
			this.crds = new ArrayList<>(crds);
		}
	}

	/** Settings of one reconciler; each one unset keeps the @Reconciler annotation's value or the default. */
	public static class ReconcilerSettings {

		/**
		 * Whether this reconciler's controller runs.
		 */
		private boolean enabled = true;

		/**
		 * Comma-separated list of namespaces to watch; all when empty.
		 */
		private @Nullable List<String> namespaces;

		/**
		 * Label selector limiting the primary objects.
		 */
		private @Nullable String labelSelector;

		/**
		 * Field selector limiting the primary objects.
		 */
		private @Nullable String fieldSelector;

		/**
		 * Objects reconciled at once (default 4).
		 */
		private @Nullable Integer concurrency;

		/**
		 * Finalizer guarding the reconciler's cleanup.
		 */
		private @Nullable String finalizer;

		/**
		 * Periodic safety requeue of every object, jittered by up to 10% (default 10h); 0 disables it.
		 */
		private @Nullable Duration resyncPeriod;

		/**
		 * First retry delay of a failing object (default 5ms).
		 */
		private @Nullable Duration backoffBase;

		/**
		 * Longest retry delay of a failing object (default 5m).
		 */
		private @Nullable Duration backoffCap;

		/**
		 * Longest one reconcile may run before it is interrupted and retried (default 5m); 0 for no limit.
		 */
		private @Nullable Duration reconcileTimeout;

		/**
		 * How long the caches may take to sync at start-up before the application fails (default 2m).
		 */
		private @Nullable Duration syncTimeout;

		/**
		 * How the primary objects are cached: OBJECTS (decoded) or COMPACT (kept as JSON, decoded on each read:
		 * several times less heap for some CPU). Overrides the annotation's cache.
		 */
		private @Nullable CacheMode cache;

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable List<String> getNamespaces() {
			return namespaces;
		}

		public void setNamespaces(@Nullable List<String> namespaces) {
			this.namespaces = namespaces == null ? null : new ArrayList<>(namespaces);
		}

		public @Nullable String getLabelSelector() {
			return labelSelector;
		}

		public void setLabelSelector(@Nullable String labelSelector) {
			this.labelSelector = labelSelector;
		}

		public @Nullable String getFieldSelector() {
			return fieldSelector;
		}

		public void setFieldSelector(@Nullable String fieldSelector) {
			this.fieldSelector = fieldSelector;
		}

		public @Nullable Integer getConcurrency() {
			return concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable String getFinalizer() {
			return finalizer;
		}

		public void setFinalizer(@Nullable String finalizer) {
			this.finalizer = finalizer;
		}

		public @Nullable Duration getResyncPeriod() {
			return resyncPeriod;
		}

		public void setResyncPeriod(@Nullable Duration resyncPeriod) {
			this.resyncPeriod = resyncPeriod;
		}

		public @Nullable Duration getBackoffBase() {
			return backoffBase;
		}

		public void setBackoffBase(@Nullable Duration backoffBase) {
			this.backoffBase = backoffBase;
		}

		public @Nullable Duration getBackoffCap() {
			return backoffCap;
		}

		public void setBackoffCap(@Nullable Duration backoffCap) {
			this.backoffCap = backoffCap;
		}

		public @Nullable Duration getReconcileTimeout() {
			return reconcileTimeout;
		}

		public void setReconcileTimeout(@Nullable Duration reconcileTimeout) {
			this.reconcileTimeout = reconcileTimeout;
		}

		public @Nullable Duration getSyncTimeout() {
			return syncTimeout;
		}

		public void setSyncTimeout(@Nullable Duration syncTimeout) {
			this.syncTimeout = syncTimeout;
		}

		public @Nullable CacheMode getCache() {
			return cache;
		}

		public void setCache(@Nullable CacheMode cache) {
			this.cache = cache;
		}
	}

	/** The live page of the controllers, which reads the kubecontrollers actuator endpoint. */
	public static class Dashboard {

		/**
		 * Whether to serve the page; it needs Spring MVC and the kubecontrollers endpoint exposed over HTTP.
		 */
		private boolean enabled;

		/**
		 * Path of the page, under the servlet context path.
		 */
		private String path = "/kubecontrollers";

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return path;
		}

		public void setPath(String path) {
			if (!path.startsWith("/")) {
				throw new IllegalArgumentException("kube.controller.dashboard.path must start with '/', was '" + path
						+ "'");
			}
			this.path = path;
		}
	}

	private final Rbac rbac = new Rbac();

	public Rbac getRbac() {
		return rbac;
	}

	/** The RBAC manifest generated from the controllers (the kuberbac actuator endpoint, RbacManifestExport). */
	public static class Rbac {

		/**
		 * Name of the generated roles and bindings; spring.application.name when not set, else kube-controller.
		 */
		private @Nullable String name;

		/**
		 * ServiceAccount the application runs as; the name of the roles when not set.
		 */
		private @Nullable String serviceAccount;

		/**
		 * Namespace of the ServiceAccount.
		 */
		private String serviceAccountNamespace = "default";

		/**
		 * Whether the rules let controllers record Events; turn off when no reconciler records any.
		 */
		private boolean events = true;

		/**
		 * Rules for what reconcilers read or write beyond the kinds their controllers declare.
		 */
		private List<ExtraRule> extraRules = new ArrayList<>();

		public @Nullable String getName() {
			return name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getServiceAccount() {
			return serviceAccount;
		}

		public void setServiceAccount(@Nullable String serviceAccount) {
			this.serviceAccount = serviceAccount;
		}

		public String getServiceAccountNamespace() {
			return serviceAccountNamespace;
		}

		public void setServiceAccountNamespace(String serviceAccountNamespace) {
			this.serviceAccountNamespace = serviceAccountNamespace;
		}

		public boolean isEvents() {
			return events;
		}

		public void setEvents(boolean events) {
			this.events = events;
		}

		public List<ExtraRule> getExtraRules() {
			return extraRules;
		}

		public void setExtraRules(List<ExtraRule> extraRules) {
			this.extraRules = new ArrayList<>(extraRules);
		}

		/** A rule added to the generated ones, in the ClusterRole or in the Roles of some namespaces. */
		public static class ExtraRule {

			/**
			 * API groups of the rule; the core group when not set.
			 */
			private List<String> apiGroups = new ArrayList<>(List.of(""));

			/**
			 * Resources of the rule, by plural, such as secrets or pods/log.
			 */
			private List<String> resources = new ArrayList<>();

			/**
			 * Verbs of the rule, such as get, list or delete.
			 */
			private List<String> verbs = new ArrayList<>();

			/**
			 * Namespaces whose Role gets the rule; the ClusterRole when empty.
			 */
			private List<String> namespaces = new ArrayList<>();

			public List<String> getApiGroups() {
				return apiGroups;
			}

			public void setApiGroups(List<String> apiGroups) {
				this.apiGroups = new ArrayList<>(apiGroups);
			}

			public List<String> getResources() {
				return resources;
			}

			public void setResources(List<String> resources) {
				this.resources = new ArrayList<>(resources);
			}

			public List<String> getVerbs() {
				return verbs;
			}

			public void setVerbs(List<String> verbs) {
				this.verbs = new ArrayList<>(verbs);
			}

			public List<String> getNamespaces() {
				return namespaces;
			}

			public void setNamespaces(List<String> namespaces) {
				this.namespaces = new ArrayList<>(namespaces);
			}
		}
	}

	/**
	 * Leader election: one instance of several reconciles, the others keep their caches warm and take over when
	 * it stops renewing its Lease or releases it.
	 */
	public static class LeaderElection {

		/**
		 * Whether to elect a leader among the application's instances; only the leader reconciles.
		 */
		private boolean enabled = false;

		/**
		 * Name of the Lease; the application name followed by -leader when not set.
		 */
		private @Nullable String leaseName;

		/**
		 * Namespace of the Lease; the pod's namespace in a cluster, default otherwise, when not set.
		 */
		private @Nullable String leaseNamespace;

		/**
		 * This instance's identity in the Lease; the instance name (the pod name) plus a random suffix when not set.
		 */
		private @Nullable String identity;

		/**
		 * How long a Lease holds after its last renewal before another instance may take it.
		 */
		private Duration leaseDuration = Duration.ofSeconds(15);

		/**
		 * How long the leader keeps trying to renew before it stops leading; shorter than the lease duration.
		 */
		private Duration renewDeadline = Duration.ofSeconds(10);

		/**
		 * The wait between attempts to acquire or renew the Lease.
		 */
		private Duration retryPeriod = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getLeaseName() {
			return leaseName;
		}

		public void setLeaseName(@Nullable String leaseName) {
			this.leaseName = leaseName;
		}

		public @Nullable String getLeaseNamespace() {
			return leaseNamespace;
		}

		public void setLeaseNamespace(@Nullable String leaseNamespace) {
			this.leaseNamespace = leaseNamespace;
		}

		public @Nullable String getIdentity() {
			return identity;
		}

		public void setIdentity(@Nullable String identity) {
			this.identity = identity;
		}

		public Duration getLeaseDuration() {
			return leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public Duration getRenewDeadline() {
			return renewDeadline;
		}

		public void setRenewDeadline(Duration renewDeadline) {
			this.renewDeadline = renewDeadline;
		}

		public Duration getRetryPeriod() {
			return retryPeriod;
		}

		public void setRetryPeriod(Duration retryPeriod) {
			this.retryPeriod = retryPeriod;
		}
	}

	/**
	 * Sharding: the application's instances split the objects of its controllers by a stable hash of their keys,
	 * each instance reconciling the objects of the shards it holds through Leases. It replaces leader election.
	 */
	public static class Sharding {

		/**
		 * Whether the instances split the objects among themselves; leader election must be off.
		 */
		private boolean enabled = false;

		/**
		 * How many shards the objects are split into; the same on every instance. At most this many instances
		 * get work.
		 */
		private int shards = 16;

		/**
		 * Prefix of the Leases' names (<name>-shard-<i>, <name>-member-<hash>); the application name when not
		 * set.
		 */
		private @Nullable String leaseName;

		/**
		 * Namespace of the Leases; the pod's namespace in a cluster, default otherwise, when not set.
		 */
		private @Nullable String leaseNamespace;

		/**
		 * This instance's identity in the Leases; the instance name (the pod name) plus a random suffix when not
		 * set.
		 */
		private @Nullable String identity;

		/**
		 * How long a shard's Lease holds after its last renewal before another instance may take the shard.
		 */
		private Duration leaseDuration = Duration.ofSeconds(15);

		/**
		 * How long an instance keeps trying to renew a shard's Lease before it gives the shard up; shorter than
		 * the lease duration.
		 */
		private Duration renewDeadline = Duration.ofSeconds(10);

		/**
		 * The wait between rounds of renewing and taking Leases.
		 */
		private Duration retryPeriod = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getShards() {
			return shards;
		}

		public void setShards(int shards) {
			this.shards = shards;
		}

		public @Nullable String getLeaseName() {
			return leaseName;
		}

		public void setLeaseName(@Nullable String leaseName) {
			this.leaseName = leaseName;
		}

		public @Nullable String getLeaseNamespace() {
			return leaseNamespace;
		}

		public void setLeaseNamespace(@Nullable String leaseNamespace) {
			this.leaseNamespace = leaseNamespace;
		}

		public @Nullable String getIdentity() {
			return identity;
		}

		public void setIdentity(@Nullable String identity) {
			this.identity = identity;
		}

		public Duration getLeaseDuration() {
			return leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public Duration getRenewDeadline() {
			return renewDeadline;
		}

		public void setRenewDeadline(Duration renewDeadline) {
			this.renewDeadline = renewDeadline;
		}

		public Duration getRetryPeriod() {
			return retryPeriod;
		}

		public void setRetryPeriod(Duration retryPeriod) {
			this.retryPeriod = retryPeriod;
		}
	}
}
