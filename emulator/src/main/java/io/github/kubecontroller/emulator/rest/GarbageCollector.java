package io.github.kubecontroller.emulator.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;
import io.github.kubecontroller.emulator.store.ObjectStore;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * kube-controller-manager's garbage collector, run synchronously inside the store's write lock (rules K6, K7), and
 * the API server's half of it: turning a DELETE's propagation policy into the {@code orphan} and
 * {@code foregroundDeletion} finalizers.
 *
 * <p>
 * <b>What it does.</b> A dependent is an object with {@code metadata.ownerReferences}. Each reference names its owner
 * by apiVersion, kind, name and uid; the owner kind is resolved through the {@link ResourceCatalog}, a namespaced
 * owner is looked up in the dependent's namespace (so a cross-namespace reference is absent), and it only counts
 * when its uid matches. The collector then behaves like the real one's {@code attemptToDeleteItem}:
 * <ul>
 * <li>every owner absent: the dependent is deleted through the normal DELETE path (its own finalizers hold it, and
 * an {@code orphan}/{@code foregroundDeletion} finalizer it carries picks the policy; Background otherwise);</li>
 * <li>some owner present: absent owners, and owners waiting in foreground deletion, are dropped from the
 * dependent's ownerReferences and it stays;</li>
 * <li>only owners in foreground deletion: the dependent is deleted, in Foreground when it has dependents of its
 * own;</li>
 * <li>a reference whose kind is not served, or a cluster-scoped dependent naming a namespaced owner kind, makes the
 * collector leave the dependent alone (the real one retries or gives up; it never deletes).</li>
 * </ul>
 * An owner terminating with {@code foregroundDeletion} loses that finalizer once no dependent with
 * {@code blockOwnerDeletion: true} exists any more (a dependent held by its own finalizer still blocks). An owner
 * terminating with {@code orphan} has its reference removed from every dependent, then loses the finalizer. Removing
 * the last finalizer deletes the object (rule K4).
 *
 * <p>
 * <b>When.</b> {@link Lifecycles} calls {@link #afterWrite} after each create, update, patch and DELETE mark, and
 * {@link #afterDelete} after each removal (its own finalizer releases, which only touch other finalizers, and
 * PUT-creates of create-on-update kinds do not call in). They keep an in-memory index (owner uid → dependents, and
 * each dependent's references) and queue work: the dependents of a deleted owner or of an owner entering foreground
 * deletion, a dependent that gained references (so an object created with only dangling references goes at once),
 * the foreground owner of a dependent that went away or stopped blocking, an owner entering orphan deletion. Writes
 * without ownerReferences or GC finalizers are not even parsed.
 *
 * <p>
 * <b>Re-entrancy.</b> The collector's own patches and deletes run through {@link ResourceOperations} and come back
 * here as writes; while the queue is being drained those calls only add to the queue (deduplicated), so a cascade
 * runs as a loop, not as a recursion, and each step acts on the latest stored state. Every step the collector takes
 * is monotone (delete, mark, drop references or finalizers), so the loop ends.
 *
 * <p>
 * Everything here runs under the store's single write lock; no other synchronisation is needed.
 */
final class GarbageCollector {

	static final String ORPHAN = "orphan";

	static final String FOREGROUND = "foregroundDeletion";

	static final String BACKGROUND_POLICY = "Background";

	static final String FOREGROUND_POLICY = "Foreground";

	static final String ORPHAN_POLICY = "Orphan";

	/** How the collector's writes appear in managedFields: as kube-controller-manager's. */
	private static final WriteOptions COLLECTOR_WRITES = new WriteOptions(null, null, false, "",
			"kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/generic-garbage-collector");

	private static final String MERGE_PATCH = "application/merge-patch+json";

	/** Byte patterns that make a stored object worth parsing. */
	private static final List<byte[]> MARKERS = List.of(bytes("\"ownerReferences\""), bytes("\"" + ORPHAN + "\""),
			bytes("\"" + FOREGROUND + "\""));

	private final ResourceOperations operations;

	private final ObjectStore store;

	private final ResourceCatalog catalog;

	/** Every stored object that has ownerReferences, with the references. */
	private final Map<Node, Dependent> dependents = new HashMap<>();

	/** Owner uid → the objects that name it in their ownerReferences (whether or not the owner exists). */
	private final Map<String, Set<Node>> byOwner = new HashMap<>();

	/** Uid → objects terminating with the {@code foregroundDeletion} finalizer. */
	private final Map<String, Target> deletingDependents = new HashMap<>();

	/** Pending work, in order, without duplicates. */
	private final LinkedHashMap<Work, ResourceType> queue = new LinkedHashMap<>();

	private boolean draining;

	GarbageCollector(ResourceOperations operations, ObjectStore store, ResourceCatalog catalog) {
		this.operations = operations;
		this.store = store;
		this.catalog = catalog;
	}

	// ---------------------------------------------------------------- the API server's half (K6)

	/**
	 * The propagation options of a DELETE, validated as {@code ValidateDeleteOptions} does (422 on
	 * {@code DeleteOptions.meta.k8s.io}).
	 * @param policy {@code propagationPolicy}, or {@code null}
	 * @param orphanDependents the deprecated {@code orphanDependents}, or {@code null}
	 */
	record Propagation(String policy, Boolean orphanDependents) {

		static Propagation of(ObjectNode deleteOptions) {
			JsonNode policyNode = deleteOptions.get("propagationPolicy");
			JsonNode orphanNode = deleteOptions.get("orphanDependents");
			String policy = (policyNode == null || policyNode.isNull()) ? null : policyNode.asText();
			Boolean orphan = (orphanNode == null || orphanNode.isNull()) ? null : orphanNode.asBoolean();
			List<Cause> causes = new ArrayList<>();
			if (policy != null && orphan != null) {
				causes.add(Cause.invalid("propagationPolicy", StatusException.quote(policy),
						"orphanDependents and deletionPropagation cannot be both set"));
			}
			if (policy != null && !List.of(FOREGROUND_POLICY, BACKGROUND_POLICY, ORPHAN_POLICY).contains(policy)) {
				causes.add(Cause.notSupported("propagationPolicy", StatusException.quote(policy),
						List.of(FOREGROUND_POLICY, BACKGROUND_POLICY, ORPHAN_POLICY, "nil")));
			}
			if (!causes.isEmpty()) {
				throw StatusException.invalid("DeleteOptions.meta.k8s.io", "meta.k8s.io", "DeleteOptions", "",
						causes);
			}
			return new Propagation(policy, orphan);
		}

		/** 202 when the deprecated {@code orphanDependents=false} was sent and the object is not gone (K2, K9). */
		int code(boolean gone) {
			return (!gone && Boolean.FALSE.equals(this.orphanDependents)) ? 202 : 200;
		}
	}

	/**
	 * Sets the GC finalizers a DELETE with these options asks for, as the generic registry's
	 * {@code deletionFinalizersForGarbageCollection} does: explicit options first, then the finalizers the object
	 * already has, then the default (Background for every kind served here: neither finalizer).
	 * @return whether the finalizers changed
	 */
	static boolean applyDeletionFinalizers(ObjectNode object, Propagation propagation) {
		ObjectNode metadata = ResourceOperations.metadata(object);
		List<String> existing = new ArrayList<>();
		metadata.path("finalizers").forEach((f) -> existing.add(f.asText()));
		List<String> updated = new ArrayList<>();
		for (String finalizer : existing) {
			if (!finalizer.equals(ORPHAN) && !finalizer.equals(FOREGROUND)) {
				updated.add(finalizer);
			}
		}
		if (shouldOrphan(propagation, existing)) {
			updated.add(ORPHAN);
		}
		if (shouldDeleteInForeground(propagation, existing)) {
			updated.add(FOREGROUND);
		}
		if (new HashSet<>(existing).equals(new HashSet<>(updated))) {
			return false;
		}
		if (updated.isEmpty()) {
			metadata.remove("finalizers");
		}
		else {
			ArrayNode list = metadata.putArray("finalizers");
			updated.forEach(list::add);
		}
		return true;
	}

	private static boolean shouldOrphan(Propagation propagation, List<String> finalizers) {
		if (propagation.orphanDependents() != null) {
			return propagation.orphanDependents();
		}
		if (propagation.policy() != null) {
			return propagation.policy().equals(ORPHAN_POLICY);
		}
		return firstGcFinalizer(finalizers).equals(ORPHAN);
	}

	private static boolean shouldDeleteInForeground(Propagation propagation, List<String> finalizers) {
		if (propagation.orphanDependents() != null) {
			return false;
		}
		if (propagation.policy() != null) {
			return propagation.policy().equals(FOREGROUND_POLICY);
		}
		return firstGcFinalizer(finalizers).equals(FOREGROUND);
	}

	private static String firstGcFinalizer(List<String> finalizers) {
		for (String finalizer : finalizers) {
			if (finalizer.equals(ORPHAN) || finalizer.equals(FOREGROUND)) {
				return finalizer;
			}
		}
		return "";
	}

	/** Whether the object carries {@code orphan} or {@code foregroundDeletion}. */
	static boolean hasGcFinalizer(ObjectNode object) {
		JsonNode finalizers = object.path("metadata").path("finalizers");
		return ObjectRules.contains(finalizers, ORPHAN) || ObjectRules.contains(finalizers, FOREGROUND);
	}

	// ---------------------------------------------------------------- hooks

	/** A new state of an object was stored (create, update, patch, or the mark of a DELETE). */
	void afterWrite(ResourceType type, StoredObject written) {
		Node node = Node.of(type, written);
		// Other in-process controllers may have changed or removed it since; their writes were seen already.
		StoredObject stored = this.store.get(node.storage(), node.key());
		if (stored == null || !stored.uid().equals(written.uid())) {
			return;
		}
		Dependent previous = this.dependents.get(node);
		if (previous == null && !mentionsGc(stored.json())) {
			this.deletingDependents.remove(stored.uid());
			return;
		}
		ObjectNode metadata = (ObjectNode) ObjectCodec.decode(stored).path("metadata");
		List<OwnerRef> refs = OwnerRef.parse(metadata);
		index(node, (refs.isEmpty()) ? null : new Dependent(type, stored.uid(), refs));
		if (previous != null) {
			for (OwnerRef old : previous.refs()) {
				boolean stillBlocks = refs.stream().anyMatch((r) -> r.uid().equals(old.uid()) && r.blocking());
				if (old.blocking() && !stillBlocks) {
					enqueueOwnerIfDeletingDependents(old.uid());
				}
			}
		}
		boolean added = refs.stream()
			.anyMatch((r) -> previous == null || previous.refs().stream().noneMatch((o) -> o.uid().equals(r.uid())));
		if (added) {
			enqueue(Op.COLLECT, node, type);
		}
		boolean terminating = metadata.has("deletionTimestamp");
		JsonNode finalizers = metadata.path("finalizers");
		if (terminating && ObjectRules.contains(finalizers, ORPHAN)) {
			enqueue(Op.ORPHAN, node, type);
		}
		if (terminating && ObjectRules.contains(finalizers, FOREGROUND)) {
			if (this.deletingDependents.put(stored.uid(), new Target(node, type)) == null) {
				// It starts waiting for its dependents: each of them is looked at, then the owner itself.
				enqueueDependents(stored.uid());
				enqueue(Op.COLLECT, node, type);
			}
		}
		else {
			this.deletingDependents.remove(stored.uid());
		}
		drain();
	}

	/** An object is gone; {@code last} is its final state. */
	void afterDelete(ResourceType type, StoredObject last) {
		Node node = Node.of(type, last);
		Dependent previous = this.dependents.get(node);
		this.deletingDependents.remove(last.uid());
		if (previous != null) {
			index(node, null);
			previous.refs().forEach((ref) -> enqueueOwnerIfDeletingDependents(ref.uid()));
		}
		enqueueDependents(last.uid());
		drain();
	}

	// ---------------------------------------------------------------- the index

	private void index(Node node, Dependent dependent) {
		Dependent previous = (dependent != null) ? this.dependents.put(node, dependent)
				: this.dependents.remove(node);
		if (previous != null) {
			for (OwnerRef ref : previous.refs()) {
				Set<Node> set = this.byOwner.get(ref.uid());
				if (set != null) {
					set.remove(node);
					if (set.isEmpty()) {
						this.byOwner.remove(ref.uid());
					}
				}
			}
		}
		if (dependent != null) {
			dependent.refs().forEach((ref) -> this.byOwner.computeIfAbsent(ref.uid(), (u) -> new LinkedHashSet<>())
				.add(node));
		}
	}

	private void enqueueDependents(String ownerUid) {
		for (Node dependent : this.byOwner.getOrDefault(ownerUid, Set.of())) {
			enqueue(Op.COLLECT, dependent, this.dependents.get(dependent).type());
		}
	}

	private void enqueueOwnerIfDeletingDependents(String ownerUid) {
		Target owner = this.deletingDependents.get(ownerUid);
		if (owner != null) {
			enqueue(Op.COLLECT, owner.node(), owner.type());
		}
	}

	private void enqueue(Op op, Node node, ResourceType type) {
		this.queue.putIfAbsent(new Work(op, node), type);
	}

	/** Runs queued work until none is left; a no-op when called from inside the loop (re-entrant writes). */
	private void drain() {
		if (this.draining) {
			return;
		}
		this.draining = true;
		try {
			while (!this.queue.isEmpty()) {
				Iterator<Map.Entry<Work, ResourceType>> first = this.queue.entrySet().iterator();
				Map.Entry<Work, ResourceType> next = first.next();
				first.remove();
				ResourceType type = served(next.getValue());
				if (type == null) {
					continue;
				}
				try {
					if (next.getKey().op() == Op.ORPHAN) {
						orphan(next.getKey().node(), type);
					}
					else {
						collect(next.getKey().node(), type);
					}
				}
				catch (StatusException ex) {
					// The real collector would retry later; here the state it raced with is already final.
				}
			}
		}
		finally {
			this.draining = false;
			this.queue.clear();
		}
	}

	// ---------------------------------------------------------------- the controller's half (K7)

	/** {@code attemptToDeleteItem}: decides about one object from its latest state. */
	private void collect(Node node, ResourceType type) {
		StoredObject current = this.store.get(node.storage(), node.key());
		if (current == null) {
			return;
		}
		ObjectNode object = ObjectCodec.decode(current);
		JsonNode metadata = object.path("metadata");
		if (metadata.has("deletionTimestamp")) {
			if (ObjectRules.contains(metadata.path("finalizers"), FOREGROUND)) {
				processDeletingDependents(node, type, current, object);
			}
			return;
		}
		JsonNode refs = metadata.path("ownerReferences");
		if (refs.isEmpty()) {
			return;
		}
		boolean solid = false;
		Set<String> dangling = new LinkedHashSet<>();
		Set<String> waiting = new LinkedHashSet<>();
		for (JsonNode ref : refs) {
			switch (classify(ref, current.namespace())) {
				case UNRESOLVABLE -> {
					return;
				}
				case SOLID -> solid = true;
				case DANGLING -> dangling.add(ref.path("uid").asText());
				case WAITING -> waiting.add(ref.path("uid").asText());
			}
		}
		if (solid) {
			if (!dangling.isEmpty() || !waiting.isEmpty()) {
				dangling.addAll(waiting);
				dropOwnerReferences(node, type, current, object, dangling);
			}
			return;
		}
		if (!waiting.isEmpty() && !this.byOwner.getOrDefault(current.uid(), Set.of()).isEmpty()) {
			if (anyDependentDeletingDependents(current.uid())) {
				// Owner and dependent both wait in foreground: unblock, or neither would ever go.
				unblockOwnerReferences(node, type, current, object);
			}
			delete(node, type, current, FOREGROUND_POLICY);
			return;
		}
		JsonNode finalizers = metadata.path("finalizers");
		String policy = ObjectRules.contains(finalizers, ORPHAN) ? ORPHAN_POLICY
				: ObjectRules.contains(finalizers, FOREGROUND) ? FOREGROUND_POLICY : BACKGROUND_POLICY;
		delete(node, type, current, policy);
	}

	private Verdict classify(JsonNode ref, String dependentNamespace) {
		String apiVersion = ref.path("apiVersion").asText();
		int slash = apiVersion.indexOf('/');
		String group = (slash >= 0) ? apiVersion.substring(0, slash) : "";
		String version = (slash >= 0) ? apiVersion.substring(slash + 1) : apiVersion;
		Optional<ResourceType> ownerType = this.catalog.findKind(group, version, ref.path("kind").asText());
		if (ownerType.isEmpty()) {
			return Verdict.UNRESOLVABLE;
		}
		if (ownerType.get().namespaced() && dependentNamespace.isEmpty()) {
			return Verdict.UNRESOLVABLE;
		}
		String ownerNamespace = ownerType.get().namespaced() ? dependentNamespace : "";
		StoredObject owner = this.store.get(ownerType.get().storage(),
				StoredObject.key(ownerNamespace, ref.path("name").asText()));
		String uid = ref.path("uid").asText();
		if (owner == null || !owner.uid().equals(uid)) {
			return Verdict.DANGLING;
		}
		return this.deletingDependents.containsKey(uid) ? Verdict.WAITING : Verdict.SOLID;
	}

	/** {@code processDeletingDependentsItem}: the owner goes once nothing blocks it any more. */
	private void processDeletingDependents(Node node, ResourceType type, StoredObject current, ObjectNode object) {
		List<Node> blocking = new ArrayList<>();
		for (Node dependent : this.byOwner.getOrDefault(current.uid(), Set.of())) {
			if (this.dependents.get(dependent)
				.refs()
				.stream()
				.anyMatch((ref) -> ref.uid().equals(current.uid()) && ref.blocking())) {
				blocking.add(dependent);
			}
		}
		if (blocking.isEmpty()) {
			removeFinalizer(node, type, current, object, FOREGROUND);
			return;
		}
		for (Node dependent : blocking) {
			Dependent entry = this.dependents.get(dependent);
			if (!this.deletingDependents.containsKey(entry.uid())) {
				enqueue(Op.COLLECT, dependent, entry.type());
			}
		}
	}

	/** {@code attemptToOrphan}: drops the owner from its dependents' references, then the finalizer. */
	private void orphan(Node node, ResourceType type) {
		StoredObject current = this.store.get(node.storage(), node.key());
		if (current == null) {
			return;
		}
		ObjectNode object = ObjectCodec.decode(current);
		if (!object.path("metadata").has("deletionTimestamp")
				|| !ObjectRules.contains(object.path("metadata").path("finalizers"), ORPHAN)) {
			return;
		}
		for (Node dependent : new ArrayList<>(this.byOwner.getOrDefault(current.uid(), Set.of()))) {
			ResourceType dependentType = served(this.dependents.get(dependent).type());
			StoredObject state = this.store.get(dependent.storage(), dependent.key());
			if (dependentType != null && state != null) {
				dropOwnerReferences(dependent, dependentType, state, ObjectCodec.decode(state),
						Set.of(current.uid()));
			}
		}
		removeFinalizer(node, type, current, object, ORPHAN);
	}

	private boolean anyDependentDeletingDependents(String uid) {
		for (Node dependent : this.byOwner.getOrDefault(uid, Set.of())) {
			if (this.deletingDependents.containsKey(this.dependents.get(dependent).uid())) {
				return true;
			}
		}
		return false;
	}

	// ---------------------------------------------------------------- the collector's writes

	private void delete(Node node, ResourceType type, StoredObject current, String policy) {
		ObjectNode options = Json.object();
		options.put("propagationPolicy", policy);
		options.putObject("preconditions").put("uid", current.uid());
		try {
			this.operations.delete(type, namespaceOrNull(node), node.name(), options);
		}
		catch (StatusException ex) {
			if (ex.code() != 404 && ex.code() != 409) {
				throw ex;
			}
		}
	}

	/** A JSON merge patch of the remaining references with a uid precondition ({@code deleteOwnerRefJSONMergePatch}). */
	private void dropOwnerReferences(Node node, ResourceType type, StoredObject current, ObjectNode object,
			Set<String> uids) {
		ArrayNode remaining = Json.MAPPER.createArrayNode();
		boolean changed = false;
		for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
			if (uids.contains(ref.path("uid").asText())) {
				changed = true;
			}
			else {
				remaining.add(ref);
			}
		}
		if (!changed) {
			return;
		}
		ObjectNode patch = Json.object();
		ObjectNode metadata = patch.putObject("metadata");
		if (remaining.isEmpty()) {
			metadata.putNull("ownerReferences");
		}
		else {
			metadata.set("ownerReferences", remaining);
		}
		metadata.put("uid", current.uid());
		patch(node, type, patch);
	}

	/** Sets {@code blockOwnerDeletion: false} on every reference ({@code unblockOwnerReferences}). */
	private void unblockOwnerReferences(Node node, ResourceType type, StoredObject current, ObjectNode object) {
		ArrayNode refs = Json.MAPPER.createArrayNode();
		boolean changed = false;
		for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
			if (ref.isObject() && ref.path("blockOwnerDeletion").asBoolean(false)) {
				refs.add(((ObjectNode) ref.deepCopy()).put("blockOwnerDeletion", false));
				changed = true;
			}
			else {
				refs.add(ref);
			}
		}
		if (changed) {
			ObjectNode patch = Json.object();
			patch.putObject("metadata").put("uid", current.uid()).set("ownerReferences", refs);
			patch(node, type, patch);
		}
	}

	/** A JSON merge patch of the other finalizers with a resourceVersion precondition ({@code removeFinalizer}). */
	private void removeFinalizer(Node node, ResourceType type, StoredObject current, ObjectNode object,
			String finalizer) {
		ArrayNode remaining = Json.MAPPER.createArrayNode();
		object.path("metadata").path("finalizers").forEach((f) -> {
			if (!f.asText().equals(finalizer)) {
				remaining.add(f);
			}
		});
		ObjectNode patch = Json.object();
		ObjectNode metadata = patch.putObject("metadata");
		metadata.put("resourceVersion", Long.toString(current.resourceVersion()));
		if (remaining.isEmpty()) {
			metadata.putNull("finalizers");
		}
		else {
			metadata.set("finalizers", remaining);
		}
		patch(node, type, patch);
	}

	private void patch(Node node, ResourceType type, ObjectNode patch) {
		this.operations.patch(type, namespaceOrNull(node), node.name(), null, MERGE_PATCH, Json.write(patch),
				COLLECTOR_WRITES);
	}

	// ---------------------------------------------------------------- helpers

	/** The type that serves a storage now (the one a hook saw may be gone, e.g. a CRD version no longer served). */
	private ResourceType served(ResourceType type) {
		Optional<ResourceType> same = this.catalog.find(type.group(), type.version(), type.plural());
		if (same.isPresent() && same.get().storage().equals(type.storage())) {
			return same.get();
		}
		for (Map<String, List<ResourceType>> versions : this.catalog.snapshot().values()) {
			for (List<ResourceType> types : versions.values()) {
				for (ResourceType candidate : types) {
					if (candidate.storage().equals(type.storage())) {
						return candidate;
					}
				}
			}
		}
		return null;
	}

	private static String namespaceOrNull(Node node) {
		return node.namespace().isEmpty() ? null : node.namespace();
	}

	/** Whether the stored JSON may hold ownerReferences or a GC finalizer; a cheap filter before parsing. */
	private static boolean mentionsGc(byte[] json) {
		for (byte[] marker : MARKERS) {
			if (indexOf(json, marker) >= 0) {
				return true;
			}
		}
		return false;
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** An object's place in the store. */
	private record Node(String storage, String namespace, String name) {

		static Node of(ResourceType type, StoredObject object) {
			return new Node(type.storage(), object.namespace(), object.name());
		}

		String key() {
			return StoredObject.key(this.namespace, this.name);
		}
	}

	/** What the index knows of an object with ownerReferences. */
	private record Dependent(ResourceType type, String uid, List<OwnerRef> refs) {
	}

	/** One ownerReferences entry, as far as the index needs it. */
	private record OwnerRef(String uid, boolean blocking) {

		static List<OwnerRef> parse(JsonNode metadata) {
			List<OwnerRef> refs = new ArrayList<>();
			for (JsonNode ref : metadata.path("ownerReferences")) {
				refs.add(new OwnerRef(ref.path("uid").asText(), ref.path("blockOwnerDeletion").asBoolean(false)));
			}
			return refs;
		}
	}

	private record Target(Node node, ResourceType type) {
	}

	private enum Op {
		COLLECT, ORPHAN
	}

	private record Work(Op op, Node node) {
	}

	private enum Verdict {
		SOLID, DANGLING, WAITING, UNRESOLVABLE
	}
}
