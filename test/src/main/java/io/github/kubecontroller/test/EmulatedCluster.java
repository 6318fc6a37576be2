package io.github.kubecontroller.test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.Faults;
import io.github.kubecontroller.runtime.client.JsonRequests;
import io.github.kubecontroller.runtime.client.ResourceDiscovery;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * A test's handle on the emulated cluster: applies objects from YAML or Java, waits until an object reaches a
 * condition (or is reconciled, or gone) with a deadline, and reaches the emulator's faults and audit. Inject it in a
 * {@link EmulatedKubernetes} Spring test, or receive it from {@link KubeApiEmulatorExtension}.
 *
 * <p>It talks to the emulator with its own client and field manager ({@value #FIELD_MANAGER}); its requests (the
 * polling of awaits included) are part of the audit, so count writes of the controller under test as a difference,
 * or by resource. When an await's deadline passes it fails with an {@link AssertionError} naming the object, the
 * condition and the state last seen.
 */
public final class EmulatedCluster {

	/** The field manager of the objects this class applies. */
	public static final String FIELD_MANAGER = "kube-controller-test";

	/** How long awaits wait unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final String APPLY_PATCH = "application/apply-patch+yaml";

	private static final int MAX_SHOWN_CHARS = 4000;

	private final KubeApiEmulator emulator;

	private final ApiClient client;

	private final ResourceDiscovery discovery;

	private final JsonRequests requests;

	private final Duration timeout;

	private EmulatedCluster(KubeApiEmulator emulator, ApiClient client, ResourceDiscovery discovery, Duration timeout) {
		this.emulator = emulator;
		this.client = client;
		this.discovery = discovery;
		this.requests = new JsonRequests(client);
		this.timeout = timeout;
	}

	/** A handle on a started emulator, talking to it through a client of its own. */
	public static EmulatedCluster of(KubeApiEmulator emulator) {
		Objects.requireNonNull(emulator, "emulator");
		ApiClient client = emulator.apiClient();
		return new EmulatedCluster(emulator, client, new ResourceDiscovery(client), DEFAULT_TIMEOUT);
	}

	/** The same cluster, with awaits that wait at most {@code timeout} unless given a timeout of their own. */
	public EmulatedCluster withTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, not " + timeout);
		}
		return new EmulatedCluster(this.emulator, this.client, this.discovery, timeout);
	}

	/** The emulator: outages, watch cuts, history compaction, access control. */
	public KubeApiEmulator emulator() {
		return this.emulator;
	}

	/** The client this handle uses; free for any other call a test makes. */
	public ApiClient client() {
		return this.client;
	}

	/** The emulator's fault injection: 429s with Retry-After, errors, latency, malformed watch events. */
	public Faults faults() {
		return this.emulator.faults();
	}

	/** The emulator's record of every request. */
	public Audit audit() {
		return this.emulator.audit();
	}

	/** Create, update, patch and delete requests answered so far, by anyone. */
	public long writes() {
		return audit().writes();
	}

	/**
	 * Create, update, patch and delete requests answered so far on {@code resource}: a plural such as
	 * {@code configmaps}, or with a subresource, {@code websites/status} (then only those count).
	 */
	public long writes(String resource) {
		return audit().count((key) -> isWrite(key.verb()) && key.resource().equals(resource));
	}

	private static boolean isWrite(String verb) {
		return switch (verb) {
			case "create", "update", "patch", "delete", "deletecollection" -> true;
			default -> false;
		};
	}

	/**
	 * Creates or updates every object of the YAML (documents separated by {@code ---}), in order, by server-side
	 * apply: any kind the server serves, custom resources included (a CustomResourceDefinition earlier in the same
	 * text is found). Namespaced objects without a namespace go to {@code default}.
	 *
	 * @return the objects as the server answered, in the same order
	 */
	public List<DynamicKubernetesObject> apply(String yaml) {
		return applyAll(YamlDocuments.parse(yaml, "the YAML"));
	}

	/** Like {@link #apply(String)}, for a YAML file, such as {@code new ClassPathResource("website.yaml")}. */
	public List<DynamicKubernetesObject> apply(Resource yaml) {
		String text;
		try (InputStream in = yaml.getInputStream()) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("cannot read " + yaml.getDescription() + ": " + ex.getMessage(), ex);
		}
		return applyAll(YamlDocuments.parse(text, yaml.getDescription()));
	}

	/**
	 * Creates or updates one object by server-side apply. Its {@code apiVersion} and {@code kind} are taken from the
	 * object, or from its class.
	 *
	 * @return the object as the server answered, decoded into the object's class
	 */
	@SuppressWarnings("unchecked")
	public <T extends KubernetesObject> T apply(T object) {
		JsonObject json = JSON.getGson().toJsonTree(object).getAsJsonObject();
		ResourceType type = typeOf(object);
		json.addProperty("apiVersion", type.apiVersion());
		json.addProperty("kind", type.kind());
		JsonObject answered = applyOne(json);
		return (T) JsonRequests.decode(answered, object.getClass());
	}

	private List<DynamicKubernetesObject> applyAll(List<JsonObject> documents) {
		List<DynamicKubernetesObject> applied = new ArrayList<>();
		for (JsonObject document : documents) {
			applied.add(new DynamicKubernetesObject(applyOne(document)));
		}
		return applied;
	}

	private JsonObject applyOne(JsonObject document) {
		String apiVersion = text(document, "apiVersion");
		String kind = text(document, "kind");
		JsonObject metadata = document.has("metadata") && document.get("metadata").isJsonObject()
				? document.getAsJsonObject("metadata") : null;
		String name = metadata == null ? null : text(metadata, "name");
		if (apiVersion == null || kind == null || name == null) {
			throw new IllegalArgumentException("an object to apply needs apiVersion, kind and metadata.name: "
					+ shown(document));
		}
		ResourceType type = resolve(apiVersion, kind);
		String namespace = null;
		if (type.namespaced()) {
			namespace = text(metadata, "namespace");
			if (namespace == null) {
				namespace = "default";
				metadata.addProperty("namespace", namespace);
			}
		}
		ObjectRef ref = new ObjectRef(type, namespace, name);
		List<Pair> query = List.of(new Pair("fieldManager", FIELD_MANAGER), new Pair("force", "true"));
		try {
			JsonObject answered = this.requests.send("PATCH", ref.path(), query, APPLY_PATCH,
					document.toString().getBytes(StandardCharsets.UTF_8));
			if ("CustomResourceDefinition".equals(kind)) {
				// Its kind is served from now on; discovery asked before it existed.
				this.discovery.invalidate();
			}
			return answered;
		}
		catch (ApiException ex) {
			throw new IllegalStateException("applying " + ref + " was refused: " + failure(ex), ex);
		}
	}

	/** The object, if it exists, decoded into {@code type}. */
	public <T extends KubernetesObject> Optional<T> get(Class<T> type, @Nullable String namespace, String name) {
		return read(new ObjectRef(resolve(type), namespace, name)).map((json) -> JsonRequests.decode(json, type));
	}

	/** The object of {@code apiVersion} and {@code kind}, if it exists. */
	public Optional<DynamicKubernetesObject> get(String apiVersion, String kind, @Nullable String namespace,
			String name) {
		return read(new ObjectRef(resolve(apiVersion, kind), namespace, name)).map(DynamicKubernetesObject::new);
	}

	/**
	 * Asks the server to delete the object (in the background, as kubectl does). Finalizers may keep it a while:
	 * {@link #awaitDeleted(KubernetesObject)} waits until it is gone. An object already gone is not an error.
	 */
	public void delete(KubernetesObject object) {
		ObjectRef ref = refOf(object);
		try {
			this.requests.send("DELETE", ref.path(), List.of(new Pair("propagationPolicy", "Background")), null, null);
		}
		catch (ApiException ex) {
			if (ex.getCode() != 404) {
				throw new IllegalStateException("deleting " + ref + " was refused: " + failure(ex), ex);
			}
		}
	}

	/**
	 * Waits until the object exists and {@code condition} holds for it, decoded into {@code type}, and returns it.
	 * A condition that throws (say, on a status not yet written) counts as not holding.
	 *
	 * @throws AssertionError when it does not hold within the default timeout, naming the object and its last state
	 */
	public <T extends KubernetesObject> T awaitCondition(Class<T> type, @Nullable String namespace, String name,
			Predicate<? super T> condition) {
		return awaitCondition(type, namespace, name, condition, this.timeout);
	}

	/** Like {@link #awaitCondition(Class, String, String, Predicate)}, waiting at most {@code timeout}. */
	public <T extends KubernetesObject> T awaitCondition(Class<T> type, @Nullable String namespace, String name,
			Predicate<? super T> condition, Duration timeout) {
		ObjectRef ref = new ObjectRef(resolve(type), namespace, name);
		JsonObject json = await(ref, Await.condition((object) -> condition.test(JsonRequests.decode(object, type))),
				timeout);
		return JsonRequests.decode(json, type);
	}

	/**
	 * Waits until the object of {@code apiVersion} and {@code kind} exists and {@code condition} holds for it.
	 *
	 * @throws AssertionError when it does not hold within the default timeout, naming the object and its last state
	 */
	public DynamicKubernetesObject awaitCondition(String apiVersion, String kind, @Nullable String namespace,
			String name, Predicate<? super DynamicKubernetesObject> condition) {
		return awaitCondition(apiVersion, kind, namespace, name, condition, this.timeout);
	}

	/** Like {@link #awaitCondition(String, String, String, String, Predicate)}, waiting at most {@code timeout}. */
	public DynamicKubernetesObject awaitCondition(String apiVersion, String kind, @Nullable String namespace,
			String name, Predicate<? super DynamicKubernetesObject> condition, Duration timeout) {
		ObjectRef ref = new ObjectRef(resolve(apiVersion, kind), namespace, name);
		return new DynamicKubernetesObject(
				await(ref, Await.condition((object) -> condition.test(new DynamicKubernetesObject(object))), timeout));
	}

	/**
	 * Waits until the controller has seen the object's current generation ({@code metadata.generation} of the
	 * object given, for example as {@link #apply} returned it): until {@code status.observedGeneration} reaches it.
	 *
	 * @return the object as last read, decoded into the class of the one given
	 * @throws AssertionError when that does not happen within the default timeout
	 */
	public <T extends KubernetesObject> T awaitReconciled(T object) {
		V1ObjectMeta metadata = object.getMetadata();
		if (metadata == null || metadata.getGeneration() == null) {
			throw new IllegalArgumentException(refOf(object) + " has no metadata.generation: pass the object as the"
					+ " server returned it, or the generation to wait for");
		}
		return awaitReconciled(object, metadata.getGeneration());
	}

	/**
	 * Waits until {@code status.observedGeneration} of the object is at least {@code generation}.
	 *
	 * @return the object as last read, decoded into the class of the one given
	 * @throws AssertionError when that does not happen within the default timeout
	 */
	@SuppressWarnings("unchecked")
	public <T extends KubernetesObject> T awaitReconciled(T object, long generation) {
		JsonObject json = await(refOf(object), Await.observedGeneration(generation), this.timeout);
		return (T) JsonRequests.decode(json, object.getClass());
	}

	/**
	 * Waits until the object no longer exists (its finalizers are all removed).
	 *
	 * @throws AssertionError when it still exists after the default timeout, with its last state
	 */
	public void awaitDeleted(KubernetesObject object) {
		await(refOf(object), Await.absence(), this.timeout);
	}

	/** Polls the object until the await is met; the interval grows from 10 ms to 200 ms. */
	private @Nullable JsonObject await(ObjectRef ref, Await await, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long interval = 10;
		while (true) {
			Read read = readOnce(ref);
			if (await.isMet(read)) {
				return read.object();
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError(ref + " " + await.expectation() + " within " + format(timeout) + "; "
						+ await.lastSeen(read, EmulatedCluster::shown));
			}
			try {
				Thread.sleep(interval);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting until " + ref + " "
						+ await.expectation(), ex);
			}
			interval = Math.min(interval * 2, 200);
		}
	}

	private Optional<JsonObject> read(ObjectRef ref) {
		Read read = readOnce(ref);
		if (read.failure() != null) {
			throw new IllegalStateException("reading " + ref + " failed: " + read.failure());
		}
		return Optional.ofNullable(read.object());
	}

	private Read readOnce(ObjectRef ref) {
		try {
			return new Read(this.requests.get(ref.path()), null);
		}
		catch (ApiException ex) {
			return ex.getCode() == 404 ? new Read(null, null) : new Read(null, failure(ex));
		}
	}

	private ResourceType resolve(String apiVersion, String kind) {
		try {
			return this.discovery.resolve(apiVersion, kind);
		}
		catch (ResourceNotFoundException ex) {
			// Perhaps its CustomResourceDefinition was created since discovery last asked: ask once more.
			this.discovery.invalidate();
			return this.discovery.resolve(apiVersion, kind);
		}
	}

	private ResourceType resolve(Class<? extends KubernetesObject> type) {
		try {
			return this.discovery.resolve(type);
		}
		catch (ResourceNotFoundException ex) {
			this.discovery.invalidate();
			return this.discovery.resolve(type);
		}
	}

	private ResourceType typeOf(KubernetesObject object) {
		if (object.getApiVersion() != null && object.getKind() != null) {
			return resolve(object.getApiVersion(), object.getKind());
		}
		if (object instanceof DynamicKubernetesObject) {
			throw new IllegalArgumentException("a DynamicKubernetesObject needs apiVersion and kind");
		}
		return resolve(object.getClass());
	}

	private ObjectRef refOf(KubernetesObject object) {
		V1ObjectMeta metadata = object.getMetadata();
		if (metadata == null || metadata.getName() == null) {
			throw new IllegalArgumentException("the object has no metadata.name");
		}
		ResourceType type = typeOf(object);
		String namespace = type.namespaced() ? Objects.requireNonNullElse(metadata.getNamespace(), "default") : null;
		return new ObjectRef(type, namespace, metadata.getName());
	}

	private static @Nullable String text(JsonObject object, String member) {
		JsonElement value = object.get(member);
		return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
	}

	private static String failure(ApiException ex) {
		String body = ex.getResponseBody();
		return ex.getCode() == 0 ? String.valueOf(ex.getMessage())
				: ex.getCode() + (body == null || body.isBlank() ? "" : " " + body.strip());
	}

	/** The object's JSON without {@code managedFields}, cut to a length a failure message can show. */
	static String shown(JsonObject object) {
		JsonObject copy = object.deepCopy();
		if (copy.has("metadata") && copy.get("metadata").isJsonObject()) {
			copy.getAsJsonObject("metadata").remove("managedFields");
		}
		String text = copy.toString();
		return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
	}

	private static String format(Duration duration) {
		return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	@Override
	public String toString() {
		return "EmulatedCluster at " + this.emulator.baseUrl();
	}

}
