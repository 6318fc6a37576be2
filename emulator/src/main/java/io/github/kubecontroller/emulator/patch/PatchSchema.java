package io.github.kubecontroller.emulator.patch;

import java.util.HashMap;
import java.util.Map;

/**
 * The strategic-merge-patch metadata of one kind: for each field, by its dotted JSON path from the object root, the
 * {@code patchStrategy} and {@code patchMergeKey} tags of the Go type (list elements add no path segment, so a
 * container's env is {@code spec.containers.env}). Fields without an entry use the default strategy.
 *
 * @param fields strategies by dotted path
 */
public record PatchSchema(Map<String, FieldStrategy> fields) {

	/** How a field is patched, mirroring the Go {@code patchStrategy} tag. */
	public enum Strategy {

		/** No tag: maps merge recursively and lists are replaced wholesale. */
		DEFAULT,

		/** {@code merge}: lists of maps merge by their merge key, lists of primitives merge as ordered sets. */
		MERGE,

		/** {@code replace}: maps and lists are replaced wholesale. */
		REPLACE

	}

	/**
	 * The patch rules of one field.
	 *
	 * @param strategy the patch strategy
	 * @param mergeKey the merge key of a list of maps with the {@code merge} strategy, {@code ""} otherwise
	 * @param retainKeys whether the field also carries the {@code retainKeys} strategy; the server honours a
	 *        {@code $retainKeys} directive in any map, so this only documents where clients send one
	 */
	public record FieldStrategy(Strategy strategy, String mergeKey, boolean retainKeys) {

		/** The strategy of untagged fields. */
		public static final FieldStrategy DEFAULT = new FieldStrategy(Strategy.DEFAULT, "", false);

		/** A list of primitives merged as an ordered set, such as {@code metadata.finalizers}. */
		public static final FieldStrategy MERGE_PRIMITIVES = new FieldStrategy(Strategy.MERGE, "", false);

		/** A map cleared of the keys missing from a {@code $retainKeys} directive, such as a Deployment's strategy. */
		public static final FieldStrategy RETAIN_KEYS = new FieldStrategy(Strategy.DEFAULT, "", true);

		/** A value always replaced wholesale. */
		public static final FieldStrategy REPLACE = new FieldStrategy(Strategy.REPLACE, "", false);

		public FieldStrategy {
			mergeKey = (mergeKey != null) ? mergeKey : "";
		}

		/** A list of maps merged by {@code mergeKey}. */
		public static FieldStrategy mergeByKey(String mergeKey) {
			return new FieldStrategy(Strategy.MERGE, mergeKey, false);
		}

		/** A list of maps merged by {@code mergeKey} whose elements are union types ({@code merge,retainKeys}). */
		public static FieldStrategy mergeByKeyRetainingKeys(String mergeKey) {
			return new FieldStrategy(Strategy.MERGE, mergeKey, true);
		}

	}

	public PatchSchema {
		fields = Map.copyOf(fields);
	}

	/** A schema where every field uses the default strategy. */
	public static PatchSchema empty() {
		return new PatchSchema(Map.of());
	}

	/** The strategy of the field at {@code path}, {@link FieldStrategy#DEFAULT} when it has none. */
	public FieldStrategy strategy(String path) {
		return this.fields.getOrDefault(path, FieldStrategy.DEFAULT);
	}

	/** This schema with one more (or one replaced) field. */
	public PatchSchema with(String path, FieldStrategy strategy) {
		Map<String, FieldStrategy> copy = new HashMap<>(this.fields);
		copy.put(path, strategy);
		return new PatchSchema(copy);
	}

	/**
	 * The schema of a built-in kind, from the tags of kubernetes/api as of 1.32. Unknown kinds get the rules of
	 * {@code metadata} only.
	 * @param group API group, {@code ""} or {@code "core"} for the core group
	 * @param kind object kind, such as {@code Deployment}
	 */
	public static PatchSchema forKind(String group, String kind) {
		Map<String, FieldStrategy> fields = new HashMap<>();
		objectMeta(fields, "metadata");
		String qualified = (group == null || group.equals("core") ? "" : group) + "/" + kind;
		switch (qualified) {
			case "/Pod" -> {
				podSpec(fields, "spec");
				podStatus(fields, "status");
			}
			case "/PodTemplate" -> podTemplate(fields, "template");
			case "/ReplicationController", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "batch/Job" -> {
				podTemplate(fields, "spec.template");
				conditions(fields, "status.conditions");
			}
			case "apps/Deployment" -> {
				podTemplate(fields, "spec.template");
				fields.put("spec.strategy", FieldStrategy.RETAIN_KEYS);
				conditions(fields, "status.conditions");
			}
			case "batch/CronJob" -> podTemplate(fields, "spec.jobTemplate.spec.template");
			case "/Service" -> {
				fields.put("spec.ports", FieldStrategy.mergeByKey("port"));
				conditions(fields, "status.conditions");
			}
			case "/ServiceAccount" -> fields.put("secrets", FieldStrategy.mergeByKey("name"));
			case "/Namespace", "/PersistentVolumeClaim" -> conditions(fields, "status.conditions");
			case "/Node" -> {
				fields.put("spec.podCIDRs", FieldStrategy.MERGE_PRIMITIVES);
				conditions(fields, "status.conditions");
				fields.put("status.addresses", FieldStrategy.mergeByKey("type"));
			}
			default -> {
				// ConfigMap, Secret, Event, Lease and the rest: only metadata has tagged lists
			}
		}
		return new PatchSchema(fields);
	}

	private static void objectMeta(Map<String, FieldStrategy> fields, String at) {
		fields.put(at + ".finalizers", FieldStrategy.MERGE_PRIMITIVES);
		fields.put(at + ".ownerReferences", FieldStrategy.mergeByKey("uid"));
	}

	private static void podTemplate(Map<String, FieldStrategy> fields, String at) {
		objectMeta(fields, at + ".metadata");
		podSpec(fields, at + ".spec");
	}

	private static void podSpec(Map<String, FieldStrategy> fields, String at) {
		for (String containers : new String[] { "containers", "initContainers", "ephemeralContainers" }) {
			fields.put(at + "." + containers, FieldStrategy.mergeByKey("name"));
			container(fields, at + "." + containers);
		}
		fields.put(at + ".volumes", FieldStrategy.mergeByKeyRetainingKeys("name"));
		fields.put(at + ".imagePullSecrets", FieldStrategy.mergeByKey("name"));
		fields.put(at + ".hostAliases", FieldStrategy.mergeByKey("ip"));
		fields.put(at + ".topologySpreadConstraints", FieldStrategy.mergeByKey("topologyKey"));
		fields.put(at + ".schedulingGates", FieldStrategy.mergeByKey("name"));
		fields.put(at + ".resourceClaims", FieldStrategy.mergeByKeyRetainingKeys("name"));
		// tolerations, readinessGates, envFrom and resizePolicy carry no tag: they are replaced
	}

	private static void container(Map<String, FieldStrategy> fields, String at) {
		fields.put(at + ".ports", FieldStrategy.mergeByKey("containerPort"));
		fields.put(at + ".env", FieldStrategy.mergeByKey("name"));
		fields.put(at + ".volumeMounts", FieldStrategy.mergeByKey("mountPath"));
		fields.put(at + ".volumeDevices", FieldStrategy.mergeByKey("devicePath"));
	}

	private static void podStatus(Map<String, FieldStrategy> fields, String at) {
		conditions(fields, at + ".conditions");
		fields.put(at + ".podIPs", FieldStrategy.mergeByKey("ip"));
		fields.put(at + ".hostIPs", FieldStrategy.mergeByKey("ip"));
		fields.put(at + ".resourceClaimStatuses", FieldStrategy.mergeByKeyRetainingKeys("name"));
		for (String statuses : new String[] { "containerStatuses", "initContainerStatuses",
				"ephemeralContainerStatuses" }) {
			fields.put(at + "." + statuses + ".volumeMounts", FieldStrategy.mergeByKey("mountPath"));
			fields.put(at + "." + statuses + ".allocatedResourcesStatus", FieldStrategy.mergeByKey("name"));
		}
	}

	private static void conditions(Map<String, FieldStrategy> fields, String path) {
		fields.put(path, FieldStrategy.mergeByKey("type"));
	}

}
