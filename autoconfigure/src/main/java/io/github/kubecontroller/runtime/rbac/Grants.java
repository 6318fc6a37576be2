package io.github.kubecontroller.runtime.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Permissions as they are granted one by one (a verb on a resource, cluster-wide or in a namespace, for a reason),
 * merged into the fewest rules: a namespace's permission the cluster already grants is dropped, and resources of one
 * API group that need the same verbs share a rule. Everything is sorted, so equal grants always give equal rules.
 */
final class Grants {

	/** The scope of cluster-wide grants; namespaces are never empty. */
	private static final String CLUSTER = "";

	/** Scope, then API group and resource, then verb, then the reasons for it. */
	private final Map<String, SortedMap<Resource, SortedMap<String, SortedSet<String>>>> scopes = new TreeMap<>();

	/** A resource of an API group; ordered by group, then resource. */
	record Resource(String group, String resource) implements Comparable<Resource> {

		private static final Comparator<Resource> ORDER = Comparator.comparing(Resource::group)
			.thenComparing(Resource::resource);

		@Override
		public int compareTo(Resource other) {
			return ORDER.compare(this, other);
		}
	}

	/** A merged rule with the reasons of its permissions. */
	record Rule(PolicyRule rule, List<String> reasons) {
	}

	/**
	 * Grants {@code verbs} on a resource.
	 *
	 * @param namespace the namespace, or null for every namespace (and cluster-scoped resources)
	 */
	void grant(@Nullable String namespace, String group, String resource, Collection<String> verbs, String reason) {
		String scope = (namespace == null) ? CLUSTER : namespace;
		SortedMap<String, SortedSet<String>> granted = scopes.computeIfAbsent(scope, (s) -> new TreeMap<>())
			.computeIfAbsent(new Resource(group, resource), (r) -> new TreeMap<>());
		for (String verb : verbs) {
			granted.computeIfAbsent(verb, (v) -> new TreeSet<>()).add(reason);
		}
	}

	/** Every policy rule given to {@link #grant}, exploded into its permissions. */
	void grant(@Nullable String namespace, PolicyRule rule, String reason) {
		for (String group : rule.apiGroups()) {
			for (String resource : rule.resources()) {
				grant(namespace, group, resource, rule.verbs(), reason);
			}
		}
	}

	/** The merged cluster-wide rules. */
	List<Rule> clusterRules() {
		return merge(scopes.getOrDefault(CLUSTER, new TreeMap<>()));
	}

	/** The merged rules of each namespace that needs more than the cluster-wide rules grant. */
	SortedMap<String, List<Rule>> namespaceRules() {
		SortedMap<Resource, SortedMap<String, SortedSet<String>>> cluster = scopes.getOrDefault(CLUSTER, new TreeMap<>());
		SortedMap<String, List<Rule>> rules = new TreeMap<>();
		scopes.forEach((scope, granted) -> {
			if (scope.equals(CLUSTER)) {
				return;
			}
			SortedMap<Resource, SortedMap<String, SortedSet<String>>> needed = new TreeMap<>();
			granted.forEach((resource, verbs) -> {
				Set<String> clusterVerbs = cluster.getOrDefault(resource, new TreeMap<>()).keySet();
				SortedMap<String, SortedSet<String>> left = new TreeMap<>(verbs);
				left.keySet().removeAll(clusterVerbs);
				if (!left.isEmpty()) {
					needed.put(resource, left);
				}
			});
			if (!needed.isEmpty()) {
				rules.put(scope, merge(needed));
			}
		});
		return rules;
	}

	/** One rule per API group and set of verbs, listing its resources; in the order of group, resources, verbs. */
	private static List<Rule> merge(SortedMap<Resource, SortedMap<String, SortedSet<String>>> granted) {
		record Key(String group, List<String> verbs) {
		}
		Map<Key, SortedSet<String>> resources = new LinkedHashMap<>();
		Map<Key, SortedSet<String>> reasons = new LinkedHashMap<>();
		granted.forEach((resource, verbs) -> {
			Key key = new Key(resource.group(), List.copyOf(verbs.keySet()));
			resources.computeIfAbsent(key, (k) -> new TreeSet<>()).add(resource.resource());
			verbs.values().forEach(reasons.computeIfAbsent(key, (k) -> new TreeSet<>())::addAll);
		});
		List<Rule> rules = new ArrayList<>();
		resources.forEach((key, names) -> rules.add(new Rule(PolicyRule.of(key.group(), names, key.verbs()),
				List.copyOf(reasons.get(key)))));
		rules.sort(Comparator.comparing((Rule rule) -> rule.rule().apiGroups().get(0))
			.thenComparing((rule) -> String.join(",", rule.rule().resources()))
			.thenComparing((rule) -> String.join(",", rule.rule().verbs())));
		return rules;
	}
}
