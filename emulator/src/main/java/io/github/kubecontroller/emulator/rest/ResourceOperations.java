package io.github.kubecontroller.emulator.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.patch.JsonMergePatch;
import io.github.kubecontroller.emulator.patch.JsonPatch;
import io.github.kubecontroller.emulator.patch.PatchException;
import io.github.kubecontroller.emulator.patch.PatchSchema;
import io.github.kubecontroller.emulator.patch.StrategicMergePatch;
import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;
import io.github.kubecontroller.emulator.store.ObjectStore;
import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.ObjectStore.ListQuery;
import io.github.kubecontroller.emulator.store.ObjectStore.Transaction;
import io.github.kubecontroller.emulator.store.ResourceVersionExpiredException;
import io.github.kubecontroller.emulator.store.StoredObject;
import io.github.kubecontroller.emulator.store.Subscription;

/**
 * The REST semantics of kube-apiserver's generic registry over the object store: create, read, list, watch, update,
 * patch and delete with metadata rules, generation, status subresources, finalizers and no-op detection. Rule ids
 * refer to the emulator's behaviour spec.
 */
public final class ResourceOperations {

	/** Media types a built-in accepts for PATCH, in the order error messages list them. */
	public static final List<String> BUILT_IN_PATCH_TYPES = List.of("application/json-patch+json",
			"application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");

	/** Media types a custom resource accepts for PATCH (rule C8). */
	public static final List<String> CUSTOM_PATCH_TYPES = List.of("application/json-patch+json",
			"application/merge-patch+json", "application/apply-patch+yaml");

	private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

	private static final Duration TOO_LARGE_RV_WAIT = Duration.ofSeconds(3);

	private final ObjectStore store;

	private final ResourceCatalog catalog;

	private final Clock clock;

	private final Lifecycles lifecycles;

	private final SecureRandom random = new SecureRandom();

	public ResourceOperations(ObjectStore store, ResourceCatalog catalog, Clock clock) {
		this.store = store;
		this.catalog = catalog;
		this.clock = clock;
		this.lifecycles = new Lifecycles(this, store, catalog);
	}

	ObjectStore store() {
		return this.store;
	}

	/** Creates the namespaces every cluster starts with. */
	public void bootstrap() {
		ResourceType namespaces = this.catalog.find("", "v1", "namespaces").orElseThrow();
		for (String name : List.of("default", "kube-system")) {
			if (this.store.get(namespaces.storage(), StoredObject.key("", name)) == null) {
				ObjectNode namespace = Json.object();
				namespace.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name);
				create(namespaces, null, namespace, WriteOptions.internal());
			}
		}
	}

	// ---------------------------------------------------------------- reads

	public StoredObject get(ResourceType type, String namespace, String name) {
		StoredObject object = this.store.get(type.storage(), StoredObject.key(nullToEmpty(namespace), name));
		if (object == null) {
			throw StatusException.notFound(type, name);
		}
		return object;
	}

	/** One page of a list, at the revision the options ask for (rules E1–E10). */
	public ListPage list(ResourceType type, String namespace, ListOptions options) {
		Predicate<StoredObject> filter = filter(type, options);
		boolean selectors = !options.labels().isEmpty() || !options.fields().isEmpty();
		ListOptions.ContinueToken token = options.continueToken();
		if (token != null) {
			long at = (token.revision() < 0) ? 0 : token.revision();
			try {
				return read(type, new ListQuery(namespace, filter, at, token.afterKey(), limit(options), !selectors,
						(token.revision() < 0) ? null : token.remaining()));
			}
			catch (ResourceVersionExpiredException ex) {
				throw StatusException.expiredContinue(new ListOptions.ContinueToken(-1, token.afterKey()).encode());
			}
		}
		String rv = options.resourceVersion();
		if (rv.isEmpty()) {
			return readLatest(type, new ListQuery(namespace, filter, 0, null, limit(options), !selectors));
		}
		long requested = options.revision();
		if (requested == 0) {
			// RV "0": any state will do, and the limit is ignored (rule E2).
			return readLatest(type, new ListQuery(namespace, filter, 0, null, 0, false));
		}
		awaitRevision(requested);
		boolean exact = options.resourceVersionMatch().equals("Exact")
				|| (options.resourceVersionMatch().isEmpty() && options.limit() > 0);
		if (!exact) {
			return readLatest(type, new ListQuery(namespace, filter, 0, null, limit(options), !selectors));
		}
		try {
			return read(type, new ListQuery(namespace, filter, requested, null, limit(options), !selectors));
		}
		catch (ResourceVersionExpiredException ex) {
			throw StatusException.expired("The resourceVersion for the provided list is too old.");
		}
	}

	/**
	 * Opens a watch (rules F2–F5, G1–G4). An expired start revision is reported as the exception, which the caller
	 * sends as an ERROR event inside a 200 response.
	 */
	public Subscription watch(ResourceType type, String namespace, ListOptions options, int capacity)
			throws ResourceVersionExpiredException {
		Predicate<StoredObject> filter = filter(type, options);
		String rv = options.resourceVersion();
		boolean initialEvents;
		long from;
		if (options.sendInitialEvents() != null) {
			initialEvents = options.sendInitialEvents();
			if (initialEvents && !rv.isEmpty()) {
				awaitRevision(options.revision());
			}
			from = (initialEvents || rv.isEmpty() || rv.equals("0")) ? this.store.revision() : options.revision();
		}
		else if (rv.isEmpty() || rv.equals("0")) {
			initialEvents = true;
			from = 0;
		}
		else {
			initialEvents = false;
			from = options.revision();
		}
		return this.store.watch(type.storage(), namespace, from, initialEvents, filter, capacity);
	}

	/**
	 * Whether a watch with these options gets the annotated initial-events-end bookmark (rules F2, G3).
	 * @param streamingLists whether the server has the WatchList feature gate on
	 */
	public static boolean sendsInitialEventsEnd(ListOptions options, boolean streamingLists) {
		if (!options.allowWatchBookmarks()) {
			return false;
		}
		if (options.sendInitialEvents() != null) {
			return options.sendInitialEvents();
		}
		// With the WatchList gate on (1.32's default), watches from "" and "0" are defaulted to
		// sendInitialEvents=true (SetListOptionsDefaults); with it off they are not, and get no end bookmark.
		return streamingLists && (options.resourceVersion().isEmpty() || options.resourceVersion().equals("0"));
	}

	private ListPage readLatest(ResourceType type, ListQuery query) {
		try {
			return read(type, query);
		}
		catch (ResourceVersionExpiredException ex) {
			throw new IllegalStateException("the latest revision cannot be expired", ex);
		}
	}

	private ListPage read(ResourceType type, ListQuery query) throws ResourceVersionExpiredException {
		return this.store.list(type.storage(), query);
	}

	private static int limit(ListOptions options) {
		return (int) Math.min(Math.max(options.limit(), 0), Integer.MAX_VALUE);
	}

	/** Waits up to 3 s for a revision from the future, then answers 504 (rule E4). */
	private void awaitRevision(long requested) {
		try {
			if (!this.store.awaitRevision(requested, TOO_LARGE_RV_WAIT)) {
				throw StatusException.timeout(
						"Timeout: Too large resource version: " + requested + ", current: " + this.store.revision(),
						List.of(new Cause("ResourceVersionTooLarge", "Too large resource version", null)), 1);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw StatusException.internal("interrupted");
		}
	}

	private Predicate<StoredObject> filter(ResourceType type, ListOptions options) {
		ResourceType storageType = storageType(type);
		for (String field : options.fields().fields()) {
			if (!field.equals("metadata.name") && !field.equals("metadata.namespace")
					&& !storageType.rules().selectableFields().containsKey(field)) {
				if (storageType.isCustom() || storageType.rules().selectableFields().isEmpty()) {
					throw StatusException.badRequest(StatusException.quote(field)
							+ " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
				}
				throw StatusException.badRequest("field label not supported: " + field);
			}
		}
		if (options.labels().isEmpty() && options.fields().isEmpty()) {
			return (object) -> true;
		}
		return (object) -> options.labels().matches(object.labels()) && options.fields().matches(object::field);
	}

	// ---------------------------------------------------------------- create

	/** POST (rule H1). */
	public Written create(ResourceType type, String namespace, ObjectNode object, WriteOptions options) {
		metadata(object).remove("managedFields");
		return createObject(type, namespace, object, options, false);
	}

	/**
	 * @param applied whether {@code object} is the result of an apply and already carries its managedFields
	 */
	private Written createObject(ResourceType type, String namespace, ObjectNode object, WriteOptions options,
			boolean applied) {
		List<String> warnings = decodingWarnings(type, object, options);
		checkIdentity(type, namespace, null, object);
		ObjectNode metadata = metadata(object);
		String name = ObjectCodec.text(metadata, "name");
		String generateName = ObjectCodec.text(metadata, "generateName");
		if (name.isEmpty() && generateName.isEmpty()) {
			throw StatusException.invalid(type, "",
					List.of(Cause.required("metadata.name", "name or generateName is required")));
		}
		if (!ObjectCodec.text(metadata, "resourceVersion").isEmpty()) {
			throw StatusException.badRequest("resourceVersion should not be set on objects to be created");
		}
		prepareForCreate(type, object);
		return this.store.write((tx) -> {
			checkNamespaceAcceptsNewObjects(type, nullToEmpty(namespace), tx);
			String finalName = name;
			if (finalName.isEmpty()) {
				finalName = generateName(generateName, type, namespace, tx);
			}
			metadata.put("name", finalName);
			this.lifecycles.checkCreateAllowed(type, tx);
			Defaults.forCreate(type, object, now());
			EmptyFields.omit(type, object);
			validate(type, object);
			if (!applied) {
				ManagedFields.recordUpdate(type, null, null, object, options.manager(), now());
			}
			if (tx.get(type.storage(), StoredObject.key(nullToEmpty(namespace), finalName)) != null) {
				throw StatusException.alreadyExists(type, finalName);
			}
			if (options.dryRun()) {
				metadata.put("resourceVersion", "");
				return new Written(201, null, object, warnings);
			}
			StoredObject stored = persist(tx, type, object);
			this.lifecycles.afterWrite(type, stored, tx);
			return new Written(201, stored, null, warnings);
		});
	}

	/**
	 * Drops members the kind does not have; with {@code fieldValidation=Strict} that is a 400, with {@code Warn}
	 * (the default) each becomes a warning, with {@code Ignore} nothing is said (rule H8).
	 */
	private static List<String> decodingWarnings(ResourceType type, ObjectNode object, WriteOptions options) {
		List<String> unknown = UnknownFields.prune(type, object);
		if (unknown.isEmpty() || options.fieldValidation().equals("Ignore")) {
			return List.of();
		}
		if (options.fieldValidation().equals("Strict")) {
			throw StatusException.badRequest(type.kind() + " in version \"" + type.version()
					+ "\" cannot be handled as a " + type.kind() + ": " + UnknownFields.strictError(unknown));
		}
		return unknown.stream().map((path) -> "unknown field \"" + path + "\"").toList();
	}

	private void prepareForCreate(ResourceType type, ObjectNode object) {
		ObjectNode metadata = metadata(object);
		metadata.put("uid", UUID.randomUUID().toString());
		metadata.put("creationTimestamp", now());
		metadata.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation"));
		if (type.rules().generation() || type.isCustom()) {
			metadata.put("generation", 1);
		}
		if (type.statusSubresource()) {
			object.remove("status");
		}
	}

	private String generateName(String prefix, ResourceType type, String namespace, Transaction tx) {
		String base = (prefix.length() > 58) ? prefix.substring(0, 58) : prefix;
		for (int attempt = 0; attempt < 8; attempt++) {
			StringBuilder name = new StringBuilder(base);
			for (int i = 0; i < 5; i++) {
				name.append(GENERATE_NAME_ALPHABET.charAt(this.random.nextInt(GENERATE_NAME_ALPHABET.length())));
			}
			if (tx.get(type.storage(), StoredObject.key(nullToEmpty(namespace), name.toString())) == null) {
				return name.toString();
			}
		}
		StatusException exists = StatusException.alreadyExists(type, base);
		throw new StatusException(409, "AlreadyExists",
				exists.getMessage() + ", the server was not able to generate a unique name for the object",
				new StatusException.Details(base, type.group(), type.plural(), null, List.of(), 1));
	}

	private void checkNamespaceAcceptsNewObjects(ResourceType type, String namespace, Transaction tx) {
		if (!type.namespaced()) {
			return;
		}
		StoredObject ns = tx.get("namespaces", StoredObject.key("", namespace));
		if (ns == null) {
			throw StatusException.notFound("", "namespaces", namespace);
		}
		if (ns.deleting()) {
			throw StatusException.forbidden(
					type.qualifiedResource() + " is forbidden: unable to create new content in namespace " + namespace
							+ " because it is being terminated",
					StatusException.Details.of(null, type.group(), type.plural()));
		}
	}

	// ---------------------------------------------------------------- update

	/** PUT (rules H3, H4, C7, C9, K4, K5). */
	public Written update(ResourceType type, String namespace, String name, String subresource, ObjectNode object,
			WriteOptions options) {
		List<String> warnings = decodingWarnings(type, object, options);
		checkIdentity(type, namespace, name, object);
		String rv = ObjectCodec.text(metadata(object), "resourceVersion");
		if (!rv.isEmpty()) {
			ListOptions.parseRevision(rv);
		}
		return this.store.write((tx) -> {
			StoredObject current = tx.get(type.storage(), StoredObject.key(nullToEmpty(namespace), name));
			if (current == null) {
				if (type.rules().createOnUpdate() && subresource == null) {
					metadata(object).remove("resourceVersion");
					prepareForCreate(type, object);
					checkNamespaceAcceptsNewObjects(type, nullToEmpty(namespace), tx);
					Defaults.forCreate(type, object, now());
					EmptyFields.omit(type, object);
					validate(type, object);
					ManagedFields.recordUpdate(type, null, null, object, options.manager(), now());
					if (options.dryRun()) {
						metadata(object).put("resourceVersion", "");
						return new Written(201, null, object, warnings);
					}
					StoredObject stored = persist(tx, type, object);
					this.lifecycles.afterWrite(type, stored, tx);
					return new Written(201, stored, null, warnings);
				}
				throw StatusException.notFound(type, name);
			}
			if (rv.isEmpty()) {
				if (!type.rules().unconditionalUpdate()) {
					throw StatusException.invalid(type.qualifiedResource(), type.group(), type.plural(), name,
							List.of(Cause.invalid("metadata.resourceVersion", "0x0", "must be specified for an update")));
				}
			}
			else if (Long.parseLong(rv) != current.resourceVersion()) {
				throw StatusException.optimisticConflict(type, name);
			}
			return commitUpdate(tx, type, subresource, current, object, options, false).withWarnings(warnings);
		});
	}

	/**
	 * Validates and stores a new state of an existing object: the common tail of PUT and PATCH.
	 */
	private Written commitUpdate(Transaction tx, ResourceType type, String subresource, StoredObject current,
			ObjectNode proposed, WriteOptions options, boolean applied) {
		ObjectNode old = ObjectCodec.present(current, type, current.resourceVersion());
		ObjectNode updated = "status".equals(subresource) ? statusOnly(old, proposed) : proposed;
		if (applied) {
			copy((ObjectNode) proposed.get("metadata"), metadata(updated), "managedFields");
		}
		ObjectNode metadata = metadata(updated);
		ObjectNode oldMetadata = (ObjectNode) old.get("metadata");
		List<Cause> causes = new ArrayList<>();
		String uid = ObjectCodec.text(metadata, "uid");
		if (!uid.isEmpty() && !uid.equals(ObjectCodec.text(oldMetadata, "uid"))) {
			causes.add(Cause.invalid("metadata.uid", StatusException.quote(uid), "field is immutable"));
		}
		if (oldMetadata.has("deletionTimestamp") || !metadata.has("deletionTimestamp")) {
			copy(oldMetadata, metadata, "deletionTimestamp");
		}
		else {
			causes.add(Cause.invalid("metadata.deletionTimestamp", StatusException.quote(metadata.get("deletionTimestamp").asText()), "field is immutable"));
		}
		for (String field : List.of("uid", "creationTimestamp", "deletionGracePeriodSeconds", "generation")) {
			copy(oldMetadata, metadata, field);
		}
		metadata.remove("selfLink");
		metadata.put("resourceVersion", ObjectCodec.text(oldMetadata, "resourceVersion"));
		if (type.statusSubresource() && subresource == null) {
			copy(old, updated, "status");
		}
		if (oldMetadata.has("deletionTimestamp")) {
			Set<String> added = new LinkedHashSet<>();
			metadata.path("finalizers").forEach((f) -> added.add(f.asText()));
			oldMetadata.path("finalizers").forEach((f) -> added.remove(f.asText()));
			if (!added.isEmpty()) {
				ArrayNode list = Json.MAPPER.createArrayNode();
				added.forEach(list::add);
				causes.add(Cause.forbidden("metadata.finalizers",
						"no new finalizers can be added if the object is being deleted, found new finalizers []string{"
								+ ObjectRules.quotedList(list) + "}"));
			}
		}
		if (!causes.isEmpty()) {
			throw StatusException.invalid(type, current.name(), causes);
		}
		Defaults.forUpdate(type, old, updated, now());
		EmptyFields.omit(type, updated);
		validate(type, updated);
		if (!applied) {
			ManagedFields.recordUpdate(type, subresource, old, updated, options.manager(), now());
		}
		this.lifecycles.validateUpdate(type, old, updated);
		if ((type.rules().generation() || type.isCustom()) && subresource == null
				&& generationChanges(type, old, updated)) {
			metadata.put("generation", oldMetadata.path("generation").asLong(0) + 1);
		}
		if (ManagedFields.withoutTimes(updated).equals(ManagedFields.withoutTimes(old))) {
			// A no-op write is not persisted: no new revision, no event (rule F11).
			return new Written(200, current, null);
		}
		if (options.dryRun()) {
			return new Written(200, null, updated);
		}
		if (metadata.has("deletionTimestamp") && !hasFinalizers(type, updated)) {
			// The last finalizer is gone: the object goes now (rule K4).
			StoredObject last = deleteNow(tx, type, updated);
			return new Written(200, last, null);
		}
		StoredObject stored = persist(tx, type, updated);
		this.lifecycles.afterWrite(type, stored, tx);
		return new Written(200, stored, null);
	}

	/** The status subresource takes only {@code status} from the request (rule C7). */
	private static ObjectNode statusOnly(ObjectNode old, ObjectNode proposed) {
		ObjectNode result = old.deepCopy();
		copy(proposed, result, "status");
		ObjectNode metadata = metadata(result);
		metadata.put("resourceVersion", ObjectCodec.text(metadata(proposed), "resourceVersion"));
		return result;
	}

	/**
	 * Whether an update bumps the generation: anything outside metadata (and outside status, when it is a
	 * subresource) changed (rule H5); Deployments also count annotation changes, as their strategy does (H6).
	 */
	private static boolean generationChanges(ResourceType type, ObjectNode old, ObjectNode updated) {
		if (type.group().equals("apps") && type.kind().equals("Deployment")
				&& !old.path("metadata").path("annotations").equals(updated.path("metadata").path("annotations"))) {
			return true;
		}
		return specChanged(type, old, updated);
	}

	private static boolean specChanged(ResourceType type, ObjectNode old, ObjectNode updated) {
		ObjectNode a = old.deepCopy();
		ObjectNode b = updated.deepCopy();
		for (ObjectNode node : List.of(a, b)) {
			node.remove(List.of("metadata", "kind", "apiVersion"));
			if (type.statusSubresource()) {
				node.remove("status");
			}
		}
		return !a.equals(b);
	}

	// ---------------------------------------------------------------- patch

	/** PATCH with any of the four patch types (rules J1–J4, C8). */
	public Written patch(ResourceType type, String namespace, String name, String subresource, String contentType,
			byte[] body, WriteOptions options) {
		return patch(type, namespace, name, subresource, contentType, body, options, () -> {
		});
	}

	/**
	 * PATCH, running {@code authorizeCreate} before a server-side apply creates the object (it throws to refuse).
	 */
	public Written patch(ResourceType type, String namespace, String name, String subresource, String contentType,
			byte[] body, WriteOptions options, Runnable authorizeCreate) {
		String mediaType = mediaType(contentType);
		List<String> accepted = type.isCustom() ? CUSTOM_PATCH_TYPES : BUILT_IN_PATCH_TYPES;
		if (!accepted.contains(mediaType)) {
			throw StatusException.unsupportedMediaType(accepted);
		}
		boolean apply = mediaType.equals("application/apply-patch+yaml");
		List<Cause> optionProblems = new ArrayList<>();
		if (apply && (options.fieldManager() == null || options.fieldManager().isEmpty())) {
			optionProblems.add(Cause.required("fieldManager", "is required for apply patch"));
		}
		if (!apply && options.force() != null) {
			optionProblems.add(Cause.forbidden("force", "may not be specified for non-apply patch"));
		}
		if (options.fieldManager() != null && options.fieldManager().length() > 128) {
			optionProblems.add(new Cause("FieldValueTooLong", "Too long: may not be more than 128 bytes",
					"fieldManager"));
		}
		if (!optionProblems.isEmpty()) {
			throw StatusException.invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "",
					optionProblems);
		}
		JsonNode patch = parsePatch(type, mediaType, body);
		if (apply && patch.path("metadata").has("managedFields")
				&& !patch.path("metadata").get("managedFields").isNull()) {
			throw StatusException.badRequest("metadata.managedFields must be nil");
		}
		return this.store.write((tx) -> {
			StoredObject current = tx.get(type.storage(), StoredObject.key(nullToEmpty(namespace), name));
			if (current == null) {
				if (!apply || subresource != null) {
					throw StatusException.notFound(type, name);
				}
				authorizeCreate.run();
				ObjectNode created = ServerSideApply.apply(type, null, null, (ObjectNode) patch, options.manager(),
						Boolean.TRUE.equals(options.force()), now());
				checkIdentity(type, namespace, name, created);
				metadata(created).put("name", name);
				return createObject(type, namespace, created, options, true);
			}
			ObjectNode live = ObjectCodec.present(current, type, current.resourceVersion());
			ObjectNode patched = apply
					? ServerSideApply.apply(type, subresource, live, (ObjectNode) patch, options.manager(),
							Boolean.TRUE.equals(options.force()), now())
					: applyPatch(type, mediaType, live, patch);
			List<String> unknown = UnknownFields.prune(type, patched);
			if (!unknown.isEmpty() && options.fieldValidation().equals("Strict")) {
				throw StatusException.invalid(type, name,
						List.of(Cause.invalid("patch", StatusException.quote(new String(body, StandardCharsets.UTF_8)),
								UnknownFields.strictError(unknown))));
			}
			List<String> warnings = (unknown.isEmpty() || options.fieldValidation().equals("Ignore")) ? List.of()
					: unknown.stream().map((path) -> "unknown field \"" + path + "\"").toList();
			if (apply) {
				checkIdentity(type, namespace, name, (ObjectNode) patch);
			}
			ObjectNode metadata = metadata(patched);
			String rv = ObjectCodec.text(metadata, "resourceVersion");
			if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
				throw StatusException.optimisticConflict(type, name);
			}
			checkIdentity(type, namespace, name, patched);
			metadata.put("resourceVersion", Long.toString(current.resourceVersion()));
			return commitUpdate(tx, type, subresource, current, patched, options, apply).withWarnings(warnings);
		});
	}

	private static JsonNode parsePatch(ResourceType type, String mediaType, byte[] body) {
		JsonNode patch;
		try {
			patch = mediaType.equals("application/apply-patch+yaml") ? Yaml.parse(body) : Json.parse(body);
		}
		catch (IOException ex) {
			if (mediaType.equals("application/apply-patch+yaml")) {
				throw StatusException.badRequest("error decoding YAML: " + firstLine(ex.getMessage()));
			}
			throw StatusException.badRequest("error decoding patch: " + firstLine(ex.getMessage()));
		}
		boolean jsonPatch = mediaType.equals("application/json-patch+json");
		if (jsonPatch ? !patch.isArray() : !patch.isObject()) {
			if (jsonPatch) {
				throw StatusException.badRequest(
						"json: cannot unmarshal " + jsonKind(patch) + " into Go value of type jsonpatch.Patch");
			}
			throw StatusException.badRequest("json: cannot unmarshal " + jsonKind(patch)
					+ " into Go value of type map[string]interface {}");
		}
		return patch;
	}

	private static ObjectNode applyPatch(ResourceType type, String mediaType, ObjectNode live, JsonNode patch) {
		JsonNode result;
		try {
			result = switch (mediaType) {
				case "application/json-patch+json" -> JsonPatch.apply(live, patch);
				case "application/merge-patch+json" -> JsonMergePatch.apply(live, patch);
				case "application/strategic-merge-patch+json" ->
					StrategicMergePatch.apply(live, patch, PatchSchema.forKind(type.group(), type.kind()));
				default -> throw new IllegalArgumentException("not a patch type: " + mediaType);
			};
		}
		catch (PatchException ex) {
			switch (ex.kind()) {
				case TOO_MANY_OPERATIONS -> throw StatusException.tooLarge(ex.getMessage());
				case MALFORMED -> throw StatusException.badRequest(ex.getMessage());
				default -> throw new StatusException(422, "Invalid",
						"the server rejected our request due to an error in our request",
						new StatusException.Details(null, null, null, null, List.of(), 0));
			}
		}
		if (!result.isObject()) {
			throw StatusException.badRequest("the patch did not produce an object");
		}
		return (ObjectNode) result;
	}

	// ---------------------------------------------------------------- delete

	/**
	 * DELETE (rules K1–K6, K9, K10). The propagation policy becomes the GC finalizers {@code orphan} and
	 * {@code foregroundDeletion}; the {@link GarbageCollector} then acts on them (and on the dependents of an owner
	 * that is gone) before this returns.
	 */
	public Deleted delete(ResourceType type, String namespace, String name, ObjectNode deleteOptions) {
		GarbageCollector.Propagation propagation = GarbageCollector.Propagation.of(deleteOptions);
		return this.store.write((tx) -> {
			StoredObject current = tx.get(type.storage(), StoredObject.key(nullToEmpty(namespace), name));
			if (current == null) {
				throw StatusException.notFound(type, name);
			}
			JsonNode preconditions = deleteOptions.path("preconditions");
			String uid = preconditions.path("uid").asText("");
			if (!uid.isEmpty() && !uid.equals(current.uid())) {
				throw StatusException.preconditionConflict(type, name, "the UID in the precondition (" + uid
						+ ") does not match the UID in record (" + current.uid()
						+ "). The object might have been deleted and then recreated");
			}
			String rv = preconditions.path("resourceVersion").asText("");
			if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
				throw StatusException.preconditionConflict(type, name, "the ResourceVersion in the precondition ("
						+ rv + ") does not match the ResourceVersion in record (" + current.resourceVersion()
						+ "). The object might have been modified");
			}
			boolean dryRun = deleteOptions.path("dryRun").isArray() && !deleteOptions.path("dryRun").isEmpty();
			ObjectNode object = ObjectCodec.present(current, type, current.resourceVersion());
			ObjectNode metadata = metadata(object);
			if (metadata.has("deletionTimestamp")) {
				// Already terminating: only the GC finalizers follow the new options (rule K3).
				boolean changed = GarbageCollector.applyDeletionFinalizers(object, propagation);
				if (!hasFinalizers(type, object)) {
					return dryRun ? new Deleted(current, true) : new Deleted(deleteNow(tx, type,
							ObjectCodec.present(current, type, current.resourceVersion())), true);
				}
				if (!changed || dryRun) {
					return new Deleted(current, false, propagation.code(false));
				}
				StoredObject stored = persist(tx, type, object);
				this.lifecycles.afterWrite(type, stored, tx);
				return new Deleted(stored, false, propagation.code(false));
			}
			Defaults.beforeDelete(type, object);
			GarbageCollector.applyDeletionFinalizers(object, propagation);
			if (hasFinalizers(type, object)) {
				metadata.put("deletionTimestamp", now());
				metadata.put("deletionGracePeriodSeconds", 0);
				if (metadata.path("generation").asLong(0) > 0) {
					metadata.put("generation", metadata.get("generation").asLong() + 1);
				}
				Defaults.forDeletion(type, object, now());
				if (dryRun) {
					return new Deleted(ObjectCodec.encode(storageType(type), VersionConversion.toStorage(type, object)),
							false, propagation.code(false));
				}
				StoredObject marked = persist(tx, type, object);
				this.lifecycles.afterWrite(type, marked, tx);
				if (GarbageCollector.hasGcFinalizer(object)) {
					// The answer is the marked object, as from a real server whose collector runs later.
					return new Deleted(marked, false, propagation.code(false));
				}
				// Finishing a namespace or a CRD with nothing left in it removes it at once.
				StoredObject now = tx.get(type.storage(), marked.key());
				return (now != null) ? new Deleted(now, false, propagation.code(false)) : new Deleted(marked, true);
			}
			if (dryRun) {
				return new Deleted(current, true);
			}
			return new Deleted(deleteNow(tx, type, ObjectCodec.present(current, type, current.resourceVersion())),
					true);
		});
	}

	/** DELETE on a collection: deletes every matching object and returns what was deleted or marked. */
	public List<StoredObject> deleteCollection(ResourceType type, String namespace, ListOptions options,
			ObjectNode deleteOptions) {
		GarbageCollector.Propagation.of(deleteOptions);
		Predicate<StoredObject> filter = filter(type, options);
		List<StoredObject> affected = new ArrayList<>();
		for (StoredObject object : this.store.current(type.storage(), namespace)) {
			if (filter.test(object)) {
				try {
					Deleted deleted = delete(type, object.namespace().isEmpty() ? null : object.namespace(),
							object.name(), deleteOptions);
					affected.add(deleted.object());
				}
				catch (StatusException ex) {
					if (ex.code() != 404) {
						throw ex;
					}
				}
			}
		}
		return affected;
	}

	/** Removes an object in the current transaction; {@code object} is its last state. */
	StoredObject deleteNow(Transaction tx, ResourceType type, ObjectNode object) {
		metadata(object).put("resourceVersion", Long.toString(tx.nextRevision()));
		StoredObject last = ObjectCodec.encode(storageType(type), VersionConversion.toStorage(type, object));
		tx.delete(type.storage(), last);
		this.lifecycles.afterDelete(type, last, tx);
		return last;
	}

	/** Whether the object has finalizers that keep it after a DELETE. */
	static boolean hasFinalizers(ResourceType type, ObjectNode object) {
		if (!object.path("metadata").path("finalizers").isEmpty()) {
			return true;
		}
		return Lifecycles.hasSpecFinalizers(type, object);
	}

	// ---------------------------------------------------------------- shared steps

	StoredObject persist(Transaction tx, ResourceType type, ObjectNode object) {
		metadata(object).put("resourceVersion", Long.toString(tx.nextRevision()));
		ObjectNode storageForm = VersionConversion.toStorage(type, object);
		StoredObject stored = ObjectCodec.encode(storageType(type), storageForm);
		tx.put(type.storage(), stored);
		return stored;
	}

	/** The type whose rules describe the stored form (core events for events.k8s.io events). */
	ResourceType storageType(ResourceType type) {
		if (VersionConversion.isEventsV1(type)) {
			return this.catalog.find("", "v1", "events").orElseThrow();
		}
		return type;
	}

	private void validate(ResourceType type, ObjectNode object) {
		ObjectNode metadata = metadata(object);
		List<Cause> causes = new ArrayList<>(ObjectRules.nameProblems(type.rules().names(),
				ObjectCodec.text(metadata, "name")));
		causes.addAll(ObjectRules.metadataProblems(metadata));
		causes.addAll(this.lifecycles.problems(type, object));
		if (!causes.isEmpty()) {
			throw StatusException.invalid(type, ObjectCodec.text(metadata, "name"), causes);
		}
	}

	/** Kind, apiVersion, namespace and name of a request body against the URL (rule A6). */
	private static void checkIdentity(ResourceType type, String namespace, String urlName, ObjectNode object) {
		String apiVersion = ObjectCodec.text(object, "apiVersion");
		String kind = ObjectCodec.text(object, "kind");
		if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
			throw StatusException.badRequest("the API version in the data (" + apiVersion
					+ ") does not match the expected API version (" + type.apiVersion() + ")");
		}
		if (!kind.isEmpty() && !kind.equals(type.kind())) {
			throw StatusException.badRequest(kind + " in version \"" + type.version() + "\" cannot be handled as a "
					+ type.kind() + ": the kind in the data (" + kind + ") does not match the expected kind ("
					+ type.kind() + ")");
		}
		object.put("apiVersion", type.apiVersion());
		object.put("kind", type.kind());
		ObjectNode metadata = metadata(object);
		if (type.namespaced()) {
			String bodyNamespace = ObjectCodec.text(metadata, "namespace");
			if (bodyNamespace.isEmpty()) {
				metadata.put("namespace", namespace);
			}
			else if (!bodyNamespace.equals(namespace)) {
				throw StatusException.badRequest("the namespace of the object (" + bodyNamespace
						+ ") does not match the namespace on the request (" + namespace + ")");
			}
		}
		else {
			metadata.remove("namespace");
		}
		if (urlName != null) {
			String bodyName = ObjectCodec.text(metadata, "name");
			if (bodyName.isEmpty()) {
				metadata.put("name", urlName);
			}
			else if (!bodyName.equals(urlName)) {
				throw StatusException.badRequest("the name of the object (" + bodyName
						+ ") does not match the name on the URL (" + urlName + ")");
			}
		}
	}

	/** The object's metadata, created when missing; a non-object metadata is a 400. */
	static ObjectNode metadata(ObjectNode object) {
		JsonNode metadata = object.get("metadata");
		if (metadata == null || metadata.isNull()) {
			return object.putObject("metadata");
		}
		if (!metadata.isObject()) {
			throw StatusException.badRequest("metadata must be an object");
		}
		return (ObjectNode) metadata;
	}

	private static void copy(ObjectNode from, ObjectNode to, String field) {
		JsonNode value = from.get(field);
		if (value == null) {
			to.remove(field);
		}
		else {
			to.set(field, value.deepCopy());
		}
	}

	String now() {
		return Instant.now(this.clock).truncatedTo(ChronoUnit.SECONDS).toString();
	}

	public static String mediaType(String contentType) {
		if (contentType == null) {
			return "";
		}
		int semicolon = contentType.indexOf(';');
		return ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim()
			.toLowerCase(java.util.Locale.ROOT);
	}

	private static String nullToEmpty(String value) {
		return Objects.requireNonNullElse(value, "");
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

	private static String jsonKind(JsonNode node) {
		if (node.isArray()) {
			return "array";
		}
		if (node.isTextual()) {
			return "string";
		}
		if (node.isNumber()) {
			return "number";
		}
		if (node.isBoolean()) {
			return "bool";
		}
		return node.isObject() ? "object" : "null";
	}

	/**
	 * The outcome of a create, update or patch.
	 * @param code 200 or 201
	 * @param object the stored state (null for a dry run)
	 * @param dryRunResult the state a dry run would have stored
	 * @param warnings texts for {@code Warning: 299} response headers
	 */
	public record Written(int code, StoredObject object, ObjectNode dryRunResult, List<String> warnings) {

		Written(int code, StoredObject object, ObjectNode dryRunResult) {
			this(code, object, dryRunResult, List.of());
		}

		Written withWarnings(List<String> more) {
			if (more.isEmpty()) {
				return this;
			}
			List<String> all = new ArrayList<>(this.warnings);
			all.addAll(more);
			return new Written(this.code, this.object, this.dryRunResult, List.copyOf(all));
		}
	}

	/**
	 * The outcome of a delete.
	 * @param object the object's last (or current, when finalizers keep it) state
	 * @param gone whether the object is gone
	 * @param code the HTTP status: 200, or 202 when the deprecated {@code orphanDependents=false} was sent and the
	 *        object is not gone yet (rules K2, K9)
	 */
	public record Deleted(StoredObject object, boolean gone, int code) {

		Deleted(StoredObject object, boolean gone) {
			this(object, gone, 200);
		}
	}
}
