package io.github.kubecontroller.runtime.rbac;

import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.TypeRef;
import io.github.kubecontroller.runtime.controller.WatchedType;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The minimal RBAC rules of a set of controllers: what the runtime does for each of them, and nothing else.
 *
 * <ul>
 *   <li>primary kind: {@code list} and {@code watch} (its cache); with a finalizer, {@code patch} (the finalizer is
 *       added and removed by JSON patch) and {@code get} (the object is read again when that patch meets a
 *       concurrent change); {@code patch} on {@code <plural>/status} when the kind is a custom resource serving a
 *       status subresource (status is written by server-side apply). A built-in kind's status belongs to the
 *       Kubernetes controller that runs it (a Deployment's to the deployment controller), so it gets none;</li>
 *   <li>owned kinds: {@code list}, {@code watch}, {@code create} and {@code patch}: server-side apply is a PATCH,
 *       and one that creates the object is authorized as {@code create} too. No {@code delete}: children go with
 *       their owner through garbage collection;</li>
 *   <li>watched kinds: {@code list} and {@code watch};</li>
 *   <li>Events ({@code events.k8s.io}): {@code create}, and {@code patch} to count repeats in a series; unless
 *       turned off with {@link Builder#events(boolean)};</li>
 *   <li>a leader election Lease ({@code coordination.k8s.io}): {@code get}, {@code create} and {@code update} in
 *       its namespace, with {@link Builder#leaderElection(String)};</li>
 *   <li>the Leases of sharding ({@code coordination.k8s.io}): {@code list}, {@code create}, {@code update} and
 *       {@code delete} in their namespace, with {@link Builder#sharding(String)}.</li>
 * </ul>
 *
 * <p>A controller watching some namespaces gets its rules on namespaced kinds in a Role in each of them; one
 * watching every namespace, and every cluster-scoped kind, in the ClusterRole. Events about cluster-scoped objects
 * go to namespace {@code default}. API discovery needs no rule: every authenticated user may read it.
 *
 * <p>What a reconciler writes through the {@code ApiClient} itself, or applies to kinds it does not declare as owned,
 * is not known here: add it with {@link Builder#rule(String, PolicyRule, String)}.
 */
public final class RbacPolicy {

	private final List<Grants.Rule> clusterRules;

	private final SortedMap<String, List<Grants.Rule>> namespaceRules;

	private RbacPolicy(Grants grants) {
		this.clusterRules = grants.clusterRules();
		this.namespaceRules = Collections.unmodifiableSortedMap(grants.namespaceRules());
	}

	/**
	 * A builder resolving kinds with {@code discovery} (plural, group, scope) and reading which kinds serve a status
	 * subresource through {@code client}.
	 */
	public static Builder builder(ResourceDiscovery discovery, ApiClient client) {
		return new Builder(discovery, client);
	}

	/** The rules of the ClusterRole, sorted by API group, resources and verbs; empty when none is needed. */
	public List<PolicyRule> clusterRules() {
		return clusterRules.stream().map(Grants.Rule::rule).toList();
	}

	/** The rules of the Role of each namespace, by namespace; rules the ClusterRole already grants are left out. */
	public SortedMap<String, List<PolicyRule>> namespaceRules() {
		SortedMap<String, List<PolicyRule>> rules = new TreeMap<>();
		namespaceRules.forEach((namespace, scoped) -> rules.put(namespace,
				scoped.stream().map(Grants.Rule::rule).toList()));
		return Collections.unmodifiableSortedMap(rules);
	}

	/**
	 * Why a rule is there: one line per reason, such as {@code website: owns ConfigMap: ...}.
	 *
	 * @param namespace the Role's namespace, or null for the ClusterRole
	 * @return the reasons, empty for a rule this policy does not hold
	 */
	public List<String> reasons(@Nullable String namespace, PolicyRule rule) {
		List<Grants.Rule> rules = (namespace == null) ? clusterRules : namespaceRules.getOrDefault(namespace, List.of());
		return rules.stream().filter((candidate) -> candidate.rule().equals(rule)).findFirst()
			.map(Grants.Rule::reasons).orElse(List.of());
	}

	/** Collects controllers and options; {@link #build()} resolves the kinds and plans the rules. */
	public static final class Builder {

		private static final List<String> CACHE = List.of("list", "watch");

		private static final List<String> APPLY = List.of("create", "list", "patch", "watch");

		private final ResourceDiscovery discovery;

		private final ApiClient client;

		private final Map<String, ControllerSpec<?>> controllers = new LinkedHashMap<>();

		private final List<Extra> extras = new ArrayList<>();

		private boolean events = true;

		private @Nullable String leaseNamespace;

		private @Nullable String shardLeaseNamespace;

		private Builder(ResourceDiscovery discovery, ApiClient client) {
			this.discovery = Objects.requireNonNull(discovery, "discovery");
			this.client = Objects.requireNonNull(client, "client");
		}

		private record Extra(@Nullable String namespace, PolicyRule rule, String reason) {
		}

		/** Adds the rules of a controller. */
		public Builder controller(ControllerSpec<?> spec) {
			Objects.requireNonNull(spec, "spec");
			controllers.put(spec.name(), spec);
			return this;
		}

		/** Adds the rules of these controllers. */
		public Builder controllers(Collection<? extends ControllerSpec<?>> specs) {
			specs.forEach(this::controller);
			return this;
		}

		/**
		 * Whether controllers may record Events (the default). Turn it off when no reconciler calls
		 * {@code ReconcileContext.event} or {@code warningEvent}: the runtime records none of its own.
		 */
		public Builder events(boolean events) {
			this.events = events;
			return this;
		}

		/** Adds the rules of leader election with a Lease in {@code namespace}: get, create and update it. */
		public Builder leaderElection(String namespace) {
			this.leaseNamespace = requireName(namespace, "lease namespace");
			return this;
		}

		/**
		 * Adds the rules of sharding with its Leases in {@code namespace}: list them, create, update and delete
		 * them.
		 */
		public Builder sharding(String namespace) {
			this.shardLeaseNamespace = requireName(namespace, "lease namespace");
			return this;
		}

		/**
		 * Adds a rule the runtime cannot know of, such as reads or writes a reconciler makes through the
		 * {@code ApiClient}.
		 *
		 * @param namespace the namespace of the Role to add it to, or null for the ClusterRole
		 * @param reason why it is needed, written next to the rule
		 */
		public Builder rule(@Nullable String namespace, PolicyRule rule, String reason) {
			extras.add(new Extra((namespace == null) ? null : requireName(namespace, "namespace"),
					Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(reason, "reason")));
			return this;
		}

		/**
		 * Resolves every kind through API discovery and plans the rules.
		 *
		 * @throws io.github.kubecontroller.runtime.resource.ResourceNotFoundException when a kind is not served
		 * @throws io.github.kubecontroller.runtime.client.ApiFailureException when discovery fails
		 */
		public RbacPolicy build() {
			Grants grants = new Grants();
			StatusSubresources status = new StatusSubresources(client);
			for (ControllerSpec<?> spec : controllers.values()) {
				plan(spec, grants, status);
			}
			if (leaseNamespace != null) {
				grants.grant(leaseNamespace, "coordination.k8s.io", "leases", List.of("create", "get", "update"),
						"leader election: holds a Lease (get, create, update)");
			}
			if (shardLeaseNamespace != null) {
				grants.grant(shardLeaseNamespace, "coordination.k8s.io", "leases",
						List.of("create", "delete", "list", "update"), "sharding: lists its Leases, holds shard"
								+ " Leases and a member Lease (create, update), deletes its member Lease when stopping");
			}
			for (Extra extra : extras) {
				grants.grant(extra.namespace(), extra.rule(), extra.reason());
			}
			return new RbacPolicy(grants);
		}

		private void plan(ControllerSpec<?> spec, Grants grants, StatusSubresources status) {
			String name = spec.name();
			ResourceType primary = resolve(spec.primary());
			// As the controller opens its watches: one per namespace when it names some, else across all of them.
			List<@Nullable String> scopes = new ArrayList<>();
			if (primary.namespaced() && !spec.namespaces().isEmpty()) {
				spec.namespaces().stream().sorted().forEach(scopes::add);
			}
			else {
				scopes.add(null);
			}
			grant(grants, scopes, primary, CACHE, name + ": caches " + primary.kind() + ", its primary kind (list, watch)");
			if (spec.finalizer() != null) {
				grant(grants, scopes, primary, List.of("get", "patch"), name + ": adds and removes its finalizer "
						+ spec.finalizer() + " by JSON patch (patch; get to read the object again after a conflict)");
			}
			if (customResource(primary) && status.served(primary)) {
				grant(grants, scopes, primary, "status", List.of("patch"),
						name + ": writes the status of " + primary.kind() + " by server-side apply (patch)");
			}
			for (TypeRef<?> owned : spec.owns()) {
				ResourceType type = resolve(owned);
				grant(grants, scopes, type, APPLY, name + ": owns " + type.kind()
						+ ": caches it (list, watch) and applies it by server-side apply (create, patch)");
			}
			for (WatchedType<?> watched : spec.watches()) {
				ResourceType type = resolve(watched.type());
				grant(grants, scopes, type, CACHE, name + ": watches " + type.kind() + ": caches it (list, watch)");
			}
			if (events) {
				// Events go to the object's namespace; those about cluster-scoped objects to default.
				List<@Nullable String> eventScopes = primary.namespaced() ? scopes : List.of("default");
				String reason = name + ": records Events about " + primary.kind() + " (create; patch to count repeats)";
				for (String namespace : eventScopes) {
					grants.grant(namespace, "events.k8s.io", "events", List.of("create", "patch"), reason);
				}
			}
		}

		private static void grant(Grants grants, List<@Nullable String> scopes, ResourceType type, List<String> verbs,
				String reason) {
			grant(grants, scopes, type, null, verbs, reason);
		}

		private static void grant(Grants grants, List<@Nullable String> scopes, ResourceType type,
				@Nullable String subresource, List<String> verbs, String reason) {
			String resource = (subresource == null) ? type.plural() : type.plural() + "/" + subresource;
			if (!type.namespaced()) {
				grants.grant(null, type.group(), resource, verbs, reason);
				return;
			}
			for (String namespace : scopes) {
				grants.grant(namespace, type.group(), resource, verbs, reason);
			}
		}

		private ResourceType resolve(TypeRef<?> ref) {
			return (ref.apiVersion() != null && ref.kind() != null) ? discovery.resolve(ref.apiVersion(), ref.kind())
					: discovery.resolve(ref.javaType());
		}

		private static String requireName(String value, String what) {
			Objects.requireNonNull(value, what);
			if (value.isBlank()) {
				throw new IllegalArgumentException(what + " must not be blank");
			}
			return value;
		}
	}

	/** Whether a kind comes from a CustomResourceDefinition: its group has a dot and is not Kubernetes' own. */
	private static boolean customResource(ResourceType type) {
		String group = type.group();
		return group.contains(".") && !group.endsWith(".k8s.io");
	}
}
