package io.github.kubecontroller.runtime.client;

import io.github.kubecontroller.runtime.resource.KubernetesResource;
import io.github.kubecontroller.runtime.resource.ResourceNotFoundException;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApisApi;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds how the API server serves a kind, its plural and whether it is namespaced, through API discovery
 * ({@code GET /api/v1}, {@code GET /apis/<group>/<version>}). A kind is named by {@code apiVersion} and
 * {@code kind}, by a class annotated with {@link KubernetesResource}, or by a client-java model class such as
 * {@code V1Deployment}.
 *
 * <p>Thread-safe. Each group version's resource list is fetched once and cached; a kind missing from a cached list
 * fetches it again, so a CustomResourceDefinition installed later is found. {@link #invalidate()} drops
 * everything.
 */
public final class ResourceDiscovery {

	private static final Logger logger = LoggerFactory.getLogger(ResourceDiscovery.class);

	private final ApiClient client;

	/** Resource lists of served group versions, by apiVersion ({@code v1}, {@code apps/v1}). */
	private final ConcurrentMap<String, List<V1APIResource>> resourceLists = new ConcurrentHashMap<>();

	private final ConcurrentMap<Class<?>, ResourceType> byClass = new ConcurrentHashMap<>();

	/** The named groups in the server's order of preference, or null until needed. */
	private volatile @Nullable List<V1APIGroup> groups;

	public ResourceDiscovery(ApiClient client) {
		this.client = Objects.requireNonNull(client, "client");
	}

	/**
	 * The resource type serving {@code kind} in {@code apiVersion}.
	 *
	 * @param apiVersion {@code v1} for the core group, {@code group/version} otherwise
	 * @param kind the kind, such as {@code ConfigMap}
	 * @throws ResourceNotFoundException when the server does not serve the kind in that version
	 * @throws ApiFailureException when discovery itself fails (forbidden, unreachable)
	 */
	public ResourceType resolve(String apiVersion, String kind) {
		return resolve(apiVersion, kind, null);
	}

	/**
	 * The resource type of a Java class: its {@link KubernetesResource} annotation, or for a client-java model
	 * such as {@code V1ConfigMap} or {@code V1Deployment}, the kind its name stands for, in the group that serves
	 * it.
	 *
	 * @throws IllegalArgumentException for a class that names no kind, such as {@code DynamicKubernetesObject}, or
	 * whose annotation gives a plural the server does not use
	 * @throws ResourceNotFoundException when the server does not serve the kind
	 * @throws ApiFailureException when discovery itself fails (forbidden, unreachable)
	 */
	public ResourceType resolve(Class<? extends KubernetesObject> javaType) {
		Objects.requireNonNull(javaType, "javaType");
		ResourceType cached = byClass.get(javaType);
		if (cached != null) {
			return cached;
		}
		ResourceType resolved = resolveClass(javaType);
		byClass.putIfAbsent(javaType, resolved);
		return resolved;
	}

	/** Forgets everything discovered, so that the next calls ask the server again. */
	public void invalidate() {
		resourceLists.clear();
		byClass.clear();
		groups = null;
	}

	private ResourceType resolveClass(Class<? extends KubernetesObject> javaType) {
		KubernetesResource annotation = javaType.getAnnotation(KubernetesResource.class);
		if (annotation != null) {
			return annotated(javaType, annotation);
		}
		ModelName model = ModelName.of(javaType)
			.orElseThrow(() -> new IllegalArgumentException(javaType.getName() + " does not say which kind it is:"
					+ " annotate it with @KubernetesResource(apiVersion = \"<group>/<version>\", kind = \"<Kind>\"),"
					+ " or give the apiVersion and kind instead of the class"));
		return model(javaType, model);
	}

	private ResourceType annotated(Class<?> javaType, KubernetesResource annotation) {
		String plural = annotation.plural().trim();
		ResourceType served = resolve(annotation.apiVersion(), annotation.kind(), plural.isEmpty() ? null : plural);
		if (!plural.isEmpty() && !plural.equals(served.plural())) {
			throw new IllegalArgumentException("@KubernetesResource on " + javaType.getName() + " gives the plural \""
					+ plural + "\", but the API server serves " + annotation.kind() + " of " + served.apiVersion()
					+ " as \"" + served.plural() + "\": correct the plural or remove it");
		}
		return served;
	}

	private ResourceType resolve(String apiVersion, String kind, @Nullable String plural) {
		Objects.requireNonNull(apiVersion, "apiVersion");
		Objects.requireNonNull(kind, "kind");
		if (kind.isBlank()) {
			throw new IllegalArgumentException("kind must not be blank");
		}
		String[] groupVersion = groupVersion(apiVersion);
		return find(groupVersion[0], groupVersion[1], kind, true)
			.orElseThrow(() -> notServed(groupVersion[0], groupVersion[1], kind, plural));
	}

	/**
	 * A client-java model: the group comes from discovery, because the class name leaves it out unless two
	 * groups define the kind.
	 */
	private ResourceType model(Class<?> javaType, ModelName model) {
		if (model.prefixNames("")) { // CoreV1Event
			return resolve(model.version(), model.kind(), null);
		}
		if (model.groupPrefix() == null && "v1".equals(model.version())) {
			Optional<ResourceType> core = find("", "v1", model.kind(), false);
			if (core.isPresent()) {
				return core.get();
			}
		}
		// The server lists groups in its order of preference, built-in groups before those of CRDs.
		ApiFailureException unanswered = null;
		for (V1APIGroup group : groups()) {
			String name = group.getName();
			boolean named = model.groupPrefix() == null || model.prefixNames(name);
			if (named && serves(group, model.version())) {
				try {
					Optional<ResourceType> found = find(name, model.version(), model.kind(), false);
					if (found.isPresent()) {
						return found.get();
					}
				}
				catch (ApiFailureException ex) {
					// An unrelated group may be down (an aggregated API whose backend fails): keep looking.
					logger.debug("Skipping API group {} while looking for kind {}: {}", name, model.kind(),
							ex.getMessage());
					unanswered = (unanswered != null) ? unanswered : ex;
				}
			}
		}
		if (unanswered != null) {
			throw unanswered;
		}
		throw new ResourceNotFoundException("Kind " + model.kind() + " of version " + model.version() + " (the"
				+ " client-java model " + javaType.getSimpleName() + ") is not served by the API server in any group;"
				+ " use a model of a version it serves");
	}

	private static boolean serves(V1APIGroup group, String version) {
		return group.getVersions().stream().map(V1GroupVersionForDiscovery::getVersion).anyMatch(version::equals);
	}

	/**
	 * The kind in a group version's resource list, fetched unless cached.
	 *
	 * @param refreshOnMiss whether to fetch the list again when the cached one lacks the kind: a
	 * CustomResourceDefinition may have added it since. Searching built-in kinds across groups does not need to.
	 */
	private Optional<ResourceType> find(String group, String version, String kind, boolean refreshOnMiss) {
		String apiVersion = group.isEmpty() ? version : group + "/" + version;
		List<V1APIResource> cached = resourceLists.get(apiVersion);
		if (cached != null) {
			Optional<ResourceType> found = match(cached, group, version, kind);
			if (found.isPresent() || !refreshOnMiss) {
				return found;
			}
		}
		List<V1APIResource> fresh = fetch(group, version);
		if (fresh == null) {
			resourceLists.remove(apiVersion);
			return Optional.empty();
		}
		resourceLists.put(apiVersion, fresh);
		return match(fresh, group, version, kind);
	}

	private static Optional<ResourceType> match(List<V1APIResource> resources, String group, String version,
			String kind) {
		for (V1APIResource resource : resources) {
			// Subresources (pods/status, deployments/scale) are listed too, some with the kind of their parent.
			if (kind.equals(resource.getKind()) && !resource.getName().contains("/")) {
				return Optional.of(new ResourceType(group, version, kind, resource.getName(),
						Boolean.TRUE.equals(resource.getNamespaced())));
			}
		}
		return Optional.empty();
	}

	/** The resource list of a group version, or null when it is not served. */
	private @Nullable List<V1APIResource> fetch(String group, String version) {
		if (group.isEmpty() && !"v1".equals(version)) {
			return null; // the core group has only v1
		}
		String path = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
		logger.debug("API discovery: GET {}", path);
		try {
			V1APIResourceList list = group.isEmpty() ? new CoreV1Api(client).getAPIResources().execute()
					: new CustomObjectsApi(client).getAPIResources(group, version).execute();
			return (list.getResources() != null) ? List.copyOf(list.getResources()) : List.of();
		}
		catch (ApiException ex) {
			if (ex.getCode() == 404) {
				return null;
			}
			throw failure("GET " + path, ex);
		}
	}

	private List<V1APIGroup> groups() {
		List<V1APIGroup> known = groups;
		if (known != null) {
			return known;
		}
		logger.debug("API discovery: GET /apis");
		try {
			List<V1APIGroup> fetched = List.copyOf(new ApisApi(client).getAPIVersions().execute().getGroups());
			groups = fetched;
			return fetched;
		}
		catch (ApiException ex) {
			throw failure("GET /apis", ex);
		}
	}

	private ApiFailureException failure(String request, ApiException ex) {
		ApiFailure failure = ApiFailure.of(ex, client.getBasePath());
		return new ApiFailureException("API discovery failed: " + failure.describe(request), failure, ex);
	}

	private ResourceNotFoundException notServed(String group, String version, String kind, @Nullable String plural) {
		String apiVersion = group.isEmpty() ? version : group + "/" + version;
		String subject = "Kind " + kind + " (" + apiVersion + ")";
		if (!group.contains(".")) {
			// The core group and built-in groups such as apps: a CustomResourceDefinition's group has a dot.
			return new ResourceNotFoundException(subject + " is not served by the API server");
		}
		String crd = ((plural != null) ? plural : pluralGuess(kind)) + "." + group;
		String versions = servedVersions(group);
		return new ResourceNotFoundException(subject + " is not served by the API server" + versions
				+ ": is its CustomResourceDefinition installed? (kubectl get crd " + crd + ")");
	}

	/** ", which serves g only in v1beta1" when the group is served in other versions, else "". */
	private String servedVersions(String group) {
		try {
			groups = null; // the group may have appeared or changed since the list was fetched
			return groups().stream()
				.filter((candidate) -> candidate.getName().equals(group))
				.findFirst()
				.map((served) -> ", which serves " + group + " only in "
						+ served.getVersions().stream().map(V1GroupVersionForDiscovery::getVersion)
							.collect(Collectors.joining(", ")))
				.orElse("");
		}
		catch (ApiFailureException ex) {
			return ""; // the message is about the missing kind; this was only a hint
		}
	}

	/** {@code {group, version}} of an apiVersion. */
	private static String[] groupVersion(String apiVersion) {
		String trimmed = apiVersion.trim();
		int slash = trimmed.indexOf('/');
		if (trimmed.isEmpty() || slash == 0 || slash == trimmed.length() - 1 || trimmed.indexOf('/', slash + 1) >= 0) {
			throw new IllegalArgumentException(
					"apiVersion \"" + apiVersion + "\" is not of the form v1 or group/version");
		}
		return (slash < 0) ? new String[] { "", trimmed }
				: new String[] { trimmed.substring(0, slash), trimmed.substring(slash + 1) };
	}

	/** The plural kubectl and most CRDs use: lower case, then {@code -es}, {@code -ies} or {@code -s}. */
	static String pluralGuess(String kind) {
		String lower = kind.toLowerCase(Locale.ROOT);
		if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch")
				|| lower.endsWith("sh")) {
			return lower + "es";
		}
		if (lower.length() > 1 && lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
			return lower.substring(0, lower.length() - 1) + "ies";
		}
		return lower + "s";
	}
}
