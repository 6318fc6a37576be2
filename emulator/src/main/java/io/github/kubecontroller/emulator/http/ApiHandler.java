package io.github.kubecontroller.emulator.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.github.kubecontroller.emulator.control.AccessControl;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.Faults;
import io.github.kubecontroller.emulator.control.RequestAttributes;
import io.github.kubecontroller.emulator.http.MediaTypes.MediaType;
import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.ListOptions;
import io.github.kubecontroller.emulator.rest.ObjectCodec;
import io.github.kubecontroller.emulator.rest.ResourceOperations;
import io.github.kubecontroller.emulator.rest.ResourceOperations.Deleted;
import io.github.kubecontroller.emulator.rest.ResourceOperations.Written;
import io.github.kubecontroller.emulator.rest.StatusException;
import io.github.kubecontroller.emulator.rest.WriteOptions;
import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.ResourceVersionExpiredException;
import io.github.kubecontroller.emulator.store.StoredObject;
import io.github.kubecontroller.emulator.store.Subscription;

/**
 * Routes every HTTP request: {@code /version}, health, discovery, OpenAPI and the resource paths (rules A1–A7), and
 * maps HTTP methods to the REST verbs.
 */
final class ApiHandler implements HttpHandler {

	/** Request bodies above this size are refused, as kube-apiserver does (3 MiB). */
	static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

	private static final List<String> BODY_TYPES = List.of("application/json", "application/yaml",
			"application/vnd.kubernetes.protobuf");

	private static final String AGGREGATED = "APIGroupDiscoveryList";

	private final ResourceCatalog catalog;

	private final ResourceOperations operations;

	private final DiscoveryDocuments discovery;

	private final OpenApiDocuments openApi;

	private final WatchStream watches;

	private final Supplier<String> serverAddress;

	private final int watchCapacity;

	private final RequestControls controls;

	private final boolean streamingLists;

	/**
	 * @param streamingLists whether watches accept {@code sendInitialEvents}, as kube-apiserver with the WatchList
	 *        feature gate on (1.32's default)
	 */
	ApiHandler(ResourceCatalog catalog, ResourceOperations operations, WatchStream watches,
			Supplier<String> serverAddress, int watchCapacity, RequestControls controls, boolean streamingLists) {
		this.controls = controls;
		this.streamingLists = streamingLists;
		this.catalog = catalog;
		this.operations = operations;
		this.discovery = new DiscoveryDocuments(catalog);
		this.openApi = new OpenApiDocuments(catalog);
		this.watches = watches;
		this.serverAddress = serverAddress;
		this.watchCapacity = watchCapacity;
	}

	/**
	 * Serves one request through the pipeline of a real server: authentication (401), fault injection (the
	 * emulator's stand-in for flow control: latency and injected errors), authorization (403), then the handler;
	 * every request is audited.
	 */
	@Override
	public void handle(HttpExchange exchange) throws IOException {
		RequestAttributes request = RequestAttributes.resolve(exchange.getRequestMethod(),
				exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery());
		AuditRecord audit = AuditRecord.start(exchange, this.controls.audit(), request, "");
		try {
			Responses.commonHeaders(exchange);
			String user = this.controls.access().authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
			if (user == null) {
				throw StatusException.unauthorized();
			}
			audit.user(user);
			Faults.Decision decision = this.controls.faults().decide(request);
			if (!decision.latency().isZero()) {
				Thread.sleep(decision.latency().toMillis());
			}
			if (decision.answer() != null) {
				answerFault(exchange, decision.answer());
				return;
			}
			if (!this.controls.access().authorize(user, request)) {
				throw forbidden(user, request);
			}
			route(exchange, new Call(user, request, decision.malformedWatchEvent()));
		}
		catch (StatusException ex) {
			Responses.status(exchange, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			Responses.status(exchange, StatusException.internal(String.valueOf(ex)));
		}
		finally {
			audit.end(exchange);
			exchange.close();
		}
	}

	private static void answerFault(HttpExchange exchange, Fault fault) throws IOException {
		int retryAfter = (fault.retryAfter() != null) ? (int) Math.max(1, fault.retryAfter().toSeconds()) : 0;
		if (fault.plainTooManyRequests()) {
			// API Priority and Fairness answers with plain text, not a Status (rule M1).
			exchange.getResponseHeaders().set("Retry-After", Integer.toString(Math.max(retryAfter, 1)));
			Responses.plain(exchange, 429, "Too many requests, please try again later.\n");
			return;
		}
		Responses.status(exchange, StatusException.ofCode(fault.status(),
				"the emulator injected this fault (" + fault.status() + ")", retryAfter));
	}

	/** Who makes a request and what it is, as routing needs it. */
	private record Call(String user, RequestAttributes request, boolean malformedWatchEvent) {
	}

	/**
	 * A server-side apply that creates the object is authorized as {@code create} too, as kube-apiserver does: patch
	 * permission alone does not allow creating objects.
	 */
	private void authorizeCreate(Call call) {
		RequestAttributes request = call.request();
		RequestAttributes create = new RequestAttributes(request.resourceRequest(), "create", request.path(),
				request.apiGroup(), request.apiVersion(), request.resource(), request.subresource(),
				request.namespace(), request.name(), request.query());
		if (!this.controls.access().authorize(call.user(), create)) {
			throw forbidden(call.user(), create);
		}
	}

	/** 403 with kube-apiserver's message (rule I13). */
	private static StatusException forbidden(String user, RequestAttributes request) {
		String reason = AccessControl.forbiddenReason(user, request);
		if (!request.resourceRequest()) {
			return StatusException.forbidden("forbidden: " + reason, StatusException.Details.of(null, null, null));
		}
		String resource = request.apiGroup().isEmpty() ? request.resource()
				: request.resource() + "." + request.apiGroup();
		String subject = request.name().isEmpty() ? resource : resource + " \"" + request.name() + "\"";
		return StatusException.forbidden(subject + " is forbidden: " + reason,
				StatusException.Details.of(request.name(), request.apiGroup(), request.resource()));
	}

	/**
	 * @param call who asks, what, and whether a watch starts with a line that is not JSON (an injected fault)
	 */
	private void route(HttpExchange exchange, Call call) throws IOException {
		List<String> path = segments(exchange.getRequestURI().getRawPath());
		String first = path.isEmpty() ? "" : path.get(0);
		switch (first) {
			case "version" -> {
				if (path.size() == 1) {
					Responses.json(exchange, 200, version());
					return;
				}
			}
			case "healthz", "livez", "readyz" -> {
				Responses.plain(exchange, 200, "ok");
				return;
			}
			case "openapi" -> {
				openApi(exchange, path);
				return;
			}
			case "api" -> {
				if (path.size() == 1) {
					discoveryRoot(exchange, true);
					return;
				}
				if (path.get(1).equals("v1") && path.size() == 2) {
					resourceList(exchange, "", "v1");
					return;
				}
				if (path.get(1).equals("v1")) {
					resource(exchange, "", "v1", path.subList(2, path.size()), call);
					return;
				}
			}
			case "apis" -> {
				if (path.size() == 1) {
					discoveryRoot(exchange, false);
					return;
				}
				if (path.size() == 2) {
					ObjectNode group = this.discovery.apiGroup(path.get(1));
					if (group != null) {
						Responses.json(exchange, 200, group);
						return;
					}
				}
				else if (path.size() == 3) {
					resourceList(exchange, path.get(1), path.get(2));
					return;
				}
				else {
					resource(exchange, path.get(1), path.get(2), path.subList(3, path.size()), call);
					return;
				}
			}
			default -> {
			}
		}
		Responses.notFound(exchange);
	}

	private static ObjectNode version() {
		ObjectNode version = Json.object();
		version.put("major", "1");
		version.put("minor", "32");
		version.put("gitVersion", "v1.32.0");
		version.put("gitCommit", "kube-api-emulator");
		version.put("gitTreeState", "clean");
		version.put("buildDate", "2026-01-01T00:00:00Z");
		version.put("goVersion", "go1.23.0");
		version.put("compiler", "gc");
		version.put("platform", "linux/amd64");
		return version;
	}

	// ---------------------------------------------------------------- discovery

	/** {@code /api} and {@code /apis}: aggregated or legacy, by Accept (rules B5, B7, B8). */
	private void discoveryRoot(HttpExchange exchange, boolean core) throws IOException {
		for (MediaType accepted : MediaTypes.parseAccept(exchange.getRequestHeaders().getFirst("Accept"))) {
			if (accepted.type().equals("application/json") && AGGREGATED.equals(accepted.param("as"))
					&& "apidiscovery.k8s.io".equals(accepted.param("g"))
					&& (accepted.param("v").equals("v2") || accepted.param("v").equals("v2beta1"))) {
				String version = accepted.param("v");
				byte[] body = Json.write(this.discovery.aggregated(core, "apidiscovery.k8s.io/" + version));
				String etag = DiscoveryDocuments.etag(body);
				exchange.getResponseHeaders().set("ETag", etag);
				exchange.getResponseHeaders().set("Vary", "Accept");
				exchange.getResponseHeaders().set("Cache-Control", "public");
				String contentType = "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=" + AGGREGATED;
				if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
					Responses.bytes(exchange, 304, contentType, new byte[0]);
					return;
				}
				Responses.bytes(exchange, 200, contentType, body);
				return;
			}
			if (accepted.isPlainJson()) {
				Responses.json(exchange, 200,
						core ? this.discovery.apiVersions(this.serverAddress.get()) : this.discovery.apiGroupList());
				return;
			}
		}
		throw StatusException.notAcceptable(List.of("application/json", "application/yaml",
				"application/vnd.kubernetes.protobuf"));
	}

	private void resourceList(HttpExchange exchange, String group, String version) throws IOException {
		ObjectNode list = this.discovery.apiResourceList(group, version);
		if (list == null) {
			Responses.notFound(exchange);
			return;
		}
		Responses.json(exchange, 200, list);
	}

	private void openApi(HttpExchange exchange, List<String> path) throws IOException {
		if (path.size() >= 2 && path.get(1).equals("v3")) {
			if (path.size() == 2) {
				Responses.json(exchange, 200, this.openApi.index());
				return;
			}
			byte[] document = this.openApi.document(String.join("/", path.subList(2, path.size())));
			if (document != null) {
				if (query(exchange).containsKey("hash")) {
					exchange.getResponseHeaders().set("Cache-Control", "public, immutable");
				}
				exchange.getResponseHeaders().set("ETag", DiscoveryDocuments.etag(document));
				Responses.bytes(exchange, 200, Responses.JSON, document);
				return;
			}
		}
		// OpenAPI v2 is not served: kubectl accepts a 404 there (rule B10).
		Responses.notFound(exchange);
	}

	// ---------------------------------------------------------------- resources

	private void resource(HttpExchange exchange, String group, String version, List<String> rest, Call call)
			throws IOException {
		boolean malformedWatchEvent = call.malformedWatchEvent();
		Optional<Target> target = target(group, version, rest);
		if (target.isEmpty()) {
			Responses.notFound(exchange);
			return;
		}
		Target t = target.get();
		Map<String, List<String>> query = query(exchange);
		String method = exchange.getRequestMethod();
		boolean watch = t.forceWatch() || "true".equals(ListOptions.first(query, "watch"))
				|| "1".equals(ListOptions.first(query, "watch"));
		switch (method) {
			case "GET", "HEAD" -> {
				ObjectFormat table = negotiateRead(exchange, t.type(), query, t.name() == null && !watch);
				if (t.name() == null) {
					if (watch) {
						requireVerb(t, "watch");
						watch(exchange, t, ListOptions.parse(query, true, this.streamingLists), table,
								malformedWatchEvent);
					}
					else {
						requireVerb(t, "list");
						list(exchange, t, ListOptions.parse(query, false), table);
					}
				}
				else if (watch) {
					requireVerb(t, "watch");
					watch(exchange, t, singleNameWatch(query, t.name()), table, malformedWatchEvent);
				}
				else {
					requireVerb(t, "get");
					StoredObject object = this.operations.get(t.type(), t.namespace(), t.name());
					if (table != null) {
						Responses.bytes(exchange, 200, table.contentType(false),
								table.single(object, object.resourceVersion(), true));
					}
					else {
						Responses.bytes(exchange, 200, Responses.JSON,
								ObjectCodec.whole(object, t.type(), object.resourceVersion()));
					}
				}
			}
			case "POST" -> {
				if (t.name() != null || t.subresource() != null || t.namespaceMissing()) {
					throw methodNotAllowed(t, "create");
				}
				requireVerb(t, "create");
				negotiateJson(exchange);
				ObjectNode body = objectBody(exchange, t.type());
				written(exchange, t.type(),
						this.operations.create(t.type(), t.namespace(), body, WriteOptions.parse(query, "CreateOptions", exchange.getRequestHeaders().getFirst("User-Agent"))));
			}
			case "PUT" -> {
				if (t.name() == null) {
					throw methodNotAllowed(t, "update");
				}
				requireVerb(t, "update");
				negotiateJson(exchange);
				ObjectNode body = objectBody(exchange, t.type());
				written(exchange, t.type(), this.operations.update(t.type(), t.namespace(), t.name(),
						t.subresource(), body, WriteOptions.parse(query, "UpdateOptions", exchange.getRequestHeaders().getFirst("User-Agent"))));
			}
			case "PATCH" -> {
				if (t.name() == null) {
					throw methodNotAllowed(t, "patch");
				}
				requireVerb(t, "patch");
				negotiateJson(exchange);
				byte[] body = body(exchange);
				written(exchange, t.type(),
						this.operations.patch(t.type(), t.namespace(), t.name(), t.subresource(),
								exchange.getRequestHeaders().getFirst("Content-Type"), body,
								WriteOptions.parse(query, "PatchOptions", exchange.getRequestHeaders().getFirst("User-Agent")),
								() -> authorizeCreate(call)));
			}
			case "DELETE" -> {
				if (t.subresource() != null) {
					throw methodNotAllowed(t, "delete");
				}
				negotiateJson(exchange);
				ObjectNode options = deleteOptions(exchange, query);
				if (t.name() == null) {
					requireVerb(t, "deletecollection");
					List<StoredObject> deleted = this.operations.deleteCollection(t.type(), t.namespace(),
							ListOptions.parse(query, false), options);
					Responses.bytes(exchange, 200, Responses.JSON,
							listBody(t.type(), new ListPage(0, deleted, null, null), null));
				}
				else {
					requireVerb(t, "delete");
					deleted(exchange, t.type(), this.operations.delete(t.type(), t.namespace(), t.name(), options));
				}
			}
			default -> throw methodNotAllowed(t, method.toLowerCase(java.util.Locale.ROOT));
		}
	}

	private void list(HttpExchange exchange, Target t, ListOptions options, ObjectFormat table) throws IOException {
		ListPage page = this.operations.list(t.type(), t.namespace(), options);
		String continueToken = (page.continueAfterKey() != null)
				? new ListOptions.ContinueToken(page.revision(), page.continueAfterKey(), page.remainingItemCount())
					.encode()
				: null;
		if (table != null) {
			Responses.bytes(exchange, 200, table.contentType(true), table.list(page, continueToken));
			return;
		}
		Responses.bytes(exchange, 200, Responses.JSON, listBody(t.type(), page, continueToken));
	}

	private static byte[] listBody(ResourceType type, ListPage page, String continueToken) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.items().size() * 256);
		ObjectNode metadata = ListMetadata.of(page, continueToken);
		out.writeBytes(("{\"kind\":\"" + type.listKind() + "\",\"apiVersion\":\"" + type.apiVersion()
				+ "\",\"metadata\":").getBytes(StandardCharsets.UTF_8));
		out.writeBytes(Json.write(metadata));
		out.writeBytes(",\"items\":[".getBytes(StandardCharsets.UTF_8));
		boolean firstItem = true;
		for (StoredObject item : page.items()) {
			if (!firstItem) {
				out.write(',');
			}
			firstItem = false;
			out.writeBytes(ObjectCodec.listItem(item, type));
		}
		out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private void watch(HttpExchange exchange, Target t, ListOptions options, ObjectFormat table,
			boolean malformedWatchEvent) throws IOException {
		Subscription subscription;
		try {
			subscription = this.operations.watch(t.type(), t.namespace(), options, this.watchCapacity);
		}
		catch (ResourceVersionExpiredException ex) {
			WatchStream.error(exchange, StatusException.expired(ex.getMessage()).toStatus());
			return;
		}
		this.watches.serve(exchange, t.type(), options, subscription,
				ResourceOperations.sendsInitialEventsEnd(options, this.streamingLists), table, malformedWatchEvent);
	}

	/** A watch on {@code .../<resource>/<name>} is a watch with a metadata.name field selector (rule A4). */
	private ListOptions singleNameWatch(Map<String, List<String>> query, String name) {
		Map<String, List<String>> withName = new LinkedHashMap<>(query);
		String selector = ListOptions.first(query, "fieldSelector", "");
		ListOptions parsed = ListOptions.parse(query, true, this.streamingLists);
		String required = parsed.fields().requiredValue("metadata.name");
		if (required != null && !required.equals(name)) {
			throw StatusException.badRequest("fieldSelector metadata.name doesn't match requested name");
		}
		String nameSelector = "metadata.name=" + name;
		withName.put("fieldSelector", List.of(selector.isEmpty() ? nameSelector : selector + "," + nameSelector));
		return ListOptions.parse(withName, true, this.streamingLists);
	}

	private void written(HttpExchange exchange, ResourceType type, Written written) throws IOException {
		for (String warning : written.warnings()) {
			exchange.getResponseHeaders().add("Warning", "299 - " + Json.MAPPER.writeValueAsString(warning));
		}
		byte[] body = (written.object() != null)
				? ObjectCodec.whole(written.object(), type, written.object().resourceVersion())
				: Json.write(written.dryRunResult());
		Responses.bytes(exchange, written.code(), Responses.JSON, body);
	}

	private void deleted(HttpExchange exchange, ResourceType type, Deleted deleted) throws IOException {
		StoredObject object = deleted.object();
		if (deleted.gone() && !type.rules().returnDeletedObject()) {
			ObjectNode status = Json.object();
			status.put("kind", "Status");
			status.put("apiVersion", "v1");
			status.putObject("metadata");
			status.put("status", "Success");
			ObjectNode details = status.putObject("details");
			details.put("name", object.name());
			if (!type.group().isEmpty()) {
				details.put("group", type.group());
			}
			details.put("kind", type.plural());
			details.put("uid", object.uid());
			Responses.json(exchange, 200, status);
			return;
		}
		// 202 only for the deprecated orphanDependents=false on a delete that does not finish (rule K9).
		Responses.bytes(exchange, deleted.code(), Responses.JSON,
				ObjectCodec.whole(object, type, object.resourceVersion()));
	}

	/**
	 * Where a resource path points. {@code namespaceMissing} marks a namespaced resource addressed without a
	 * namespace, which only list and watch accept (rule A5).
	 */
	private record Target(ResourceType type, String namespace, String name, String subresource, boolean forceWatch,
			boolean namespaceMissing) {
	}

	private Optional<Target> target(String group, String version, List<String> rest) {
		if (!this.catalog.hasGroupVersion(group, version) || rest.isEmpty()) {
			return Optional.empty();
		}
		List<String> parts = new ArrayList<>(rest);
		boolean forceWatch = false;
		if (parts.get(0).equals("watch")) {
			forceWatch = true;
			parts.remove(0);
		}
		String namespace = null;
		if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
			Optional<ResourceType> nested = this.catalog.find(group, version, parts.get(2));
			if (nested.isPresent() && nested.get().namespaced()) {
				namespace = parts.get(1);
				parts = parts.subList(2, parts.size());
			}
		}
		if (parts.isEmpty() || parts.size() > 3) {
			return Optional.empty();
		}
		Optional<ResourceType> type = this.catalog.find(group, version, parts.get(0));
		if (type.isEmpty()) {
			return Optional.empty();
		}
		String name = (parts.size() > 1) ? parts.get(1) : null;
		String subresource = (parts.size() > 2) ? parts.get(2) : null;
		if (type.get().namespaced() == (namespace == null) && (name != null || !type.get().namespaced())) {
			return Optional.empty();
		}
		if (subresource != null && !(subresource.equals("status") && type.get().statusSubresource())) {
			return Optional.empty();
		}
		if (forceWatch && name == null && subresource != null) {
			return Optional.empty();
		}
		return Optional.of(new Target(type.get(), namespace, name, subresource, forceWatch,
				type.get().namespaced() && namespace == null));
	}

	private static void requireVerb(Target t, String verb) {
		if (!t.type().supports(verb)) {
			throw methodNotAllowed(t, verb);
		}
	}

	/**
	 * 405: the custom resource handler names the verb (rule I8); for built-ins the router finds no route and
	 * answers with a generic message.
	 */
	private static StatusException methodNotAllowed(Target t, String verb) {
		if (t.type().isCustom()) {
			return StatusException.methodNotAllowed(t.type(), verb);
		}
		return new StatusException(405, "MethodNotAllowed",
				"the server does not allow this method on the requested resource",
				StatusException.Details.of(null, null, null));
	}

	/**
	 * Reads are served as JSON, or converted when the first servable Accept entry asks for a Table (rule D2) or
	 * PartialObjectMetadata (D6; the List form only for lists); anything else is 406 (D1).
	 * @return the conversion, or {@code null} for JSON
	 */
	private ObjectFormat negotiateRead(HttpExchange exchange, ResourceType type, Map<String, List<String>> query,
			boolean list) {
		for (MediaType accepted : MediaTypes.parseAccept(exchange.getRequestHeaders().getFirst("Accept"))) {
			if (accepted.isPlainJson()) {
				return null;
			}
			boolean metaK8s = accepted.type().equals("application/json") && "meta.k8s.io".equals(accepted.param("g"))
					&& (accepted.param("v").equals("v1") || accepted.param("v").equals("v1beta1"));
			if (!metaK8s) {
				continue;
			}
			String as = accepted.param("as");
			if (as.equals("Table")) {
				return new TableWriter(type, accepted.param("v"), ListOptions.first(query, "includeObject"),
						this::customResourceDefinition);
			}
			if (as.equals(list ? "PartialObjectMetadataList" : "PartialObjectMetadata")) {
				return new MetadataFormat(type, accepted.param("v"));
			}
		}
		throw StatusException.notAcceptable(List.of("application/json", "application/yaml",
				"application/vnd.kubernetes.protobuf"));
	}

	private JsonNode customResourceDefinition(ResourceType type) {
		ResourceType crds = this.catalog.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
		try {
			StoredObject crd = this.operations.get(crds, null, type.storage());
			return ObjectCodec.decode(crd);
		}
		catch (StatusException ex) {
			return null;
		}
	}

	/** JSON is the only encoding served for writes; an Accept header that excludes it gets 406 (rule D1). */
	private static void negotiateJson(HttpExchange exchange) {
		for (MediaType accepted : MediaTypes.parseAccept(exchange.getRequestHeaders().getFirst("Accept"))) {
			if (accepted.isPlainJson()) {
				return;
			}
		}
		throw StatusException.notAcceptable(List.of("application/json", "application/yaml",
				"application/vnd.kubernetes.protobuf"));
	}

	private static ObjectNode objectBody(HttpExchange exchange, ResourceType type) throws IOException {
		String mediaType = ResourceOperations.mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
		boolean protobuf = mediaType.equals("application/vnd.kubernetes.protobuf") && ProtobufBodies.supports(type);
		if (!mediaType.isEmpty() && !mediaType.equals("application/json") && !mediaType.equals("application/yaml")
				&& !protobuf) {
			throw StatusException.unsupportedMediaType(type.isCustom() ? BODY_TYPES.subList(0, 2) : BODY_TYPES);
		}
		byte[] body = body(exchange);
		if (protobuf) {
			return ProtobufBodies.decode(type, body);
		}
		JsonNode node;
		try {
			node = mediaType.equals("application/yaml") ? new YAMLMapper().readTree(body) : Json.parse(body);
		}
		catch (IOException ex) {
			throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
					+ "): couldn't get version/kind; json parse error: " + firstLine((ex instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) ? jpe.getOriginalMessage() : ex.getMessage()));
		}
		if (node == null || !node.isObject()) {
			throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
					+ "): couldn't get version/kind; json parse error: json: cannot unmarshal "
					+ ((node == null) ? "null" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
					+ " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
		}
		return (ObjectNode) node;
	}

	private static ObjectNode deleteOptions(HttpExchange exchange, Map<String, List<String>> query)
			throws IOException {
		byte[] body = body(exchange);
		ObjectNode options = Json.object();
		if (body.length > 0) {
			try {
				JsonNode parsed = Json.parse(body);
				if (!parsed.isObject()) {
					throw new IOException("DeleteOptions must be an object");
				}
				options = (ObjectNode) parsed;
			}
			catch (IOException ex) {
				throw StatusException.badRequest("error decoding DeleteOptions: " + firstLine(ex.getMessage()));
			}
		}
		String propagation = ListOptions.first(query, "propagationPolicy");
		if (propagation != null) {
			options.put("propagationPolicy", propagation);
		}
		String orphanDependents = ListOptions.first(query, "orphanDependents");
		if (orphanDependents != null) {
			options.put("orphanDependents", Boolean.parseBoolean(orphanDependents));
		}
		if ("All".equals(ListOptions.first(query, "dryRun"))) {
			options.putArray("dryRun").add("All");
		}
		return options;
	}

	/** Reads the request body, refusing more than 3 MiB with 413. */
	private static byte[] body(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			byte[] data = in.readNBytes(MAX_BODY_BYTES + 1);
			if (data.length > MAX_BODY_BYTES) {
				throw StatusException.tooLarge("limit is " + MAX_BODY_BYTES);
			}
			return data;
		}
	}

	private static Map<String, List<String>> query(HttpExchange exchange) {
		Map<String, List<String>> query = new LinkedHashMap<>();
		String raw = exchange.getRequestURI().getRawQuery();
		if (raw == null || raw.isEmpty()) {
			return query;
		}
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decodeQuery((eq >= 0) ? pair.substring(0, eq) : pair);
			String value = (eq >= 0) ? decodeQuery(pair.substring(eq + 1)) : "";
			query.computeIfAbsent(name, (n) -> new ArrayList<>()).add(value);
		}
		return query;
	}

	private static List<String> segments(String rawPath) {
		List<String> segments = new ArrayList<>();
		Arrays.stream(rawPath.split("/")).filter((s) -> !s.isEmpty()).forEach((s) -> segments.add(decode(s)));
		return segments;
	}

	/** A path segment: '+' is a literal plus. */
	private static String decode(String value) {
		return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	/** A query component: '+' is a space, as Go's url.ParseQuery reads it. */
	private static String decodeQuery(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}
}
