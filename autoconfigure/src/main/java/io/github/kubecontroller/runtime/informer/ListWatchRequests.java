package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The HTTP requests of one informer, sent over the {@link ApiClient}'s OkHttp client so that its TLS settings,
 * interceptors and connection pool are shared. Requests are built with {@link ApiClient#buildRequest}, which
 * encodes the query and applies the client's authentications: client-java adds bearer tokens there, not in an
 * interceptor, so a request sent with the bare OkHttp client would go out anonymous.
 *
 * <p>Watches use a client derived with a read timeout a little above the longest server-side watch timeout: a
 * connection that stays silent longer than that is dead, and without a read timeout a dead connection over
 * HTTP/1.1 would block the informer for good.
 */
final class ListWatchRequests {

	// How much longer than the server-side timeout a watch may stay silent before its connection is deemed dead.
	private static final Duration WATCH_READ_MARGIN = Duration.ofSeconds(30);

	private static final long MAX_ERROR_BODY = 64 * 1024;

	private static final String[] AUTH_NAMES = { "BearerToken" };

	private final ApiClient client;
	private final WatchSpec spec;
	private final boolean metadataOnly;
	private final Duration watchReadTimeout;

	// The derived watch client, rebuilt if the ApiClient's OkHttp client is replaced.
	private OkHttpClient watchSource;
	private OkHttpClient watchClient;

	private volatile Call active;
	private volatile boolean closed;

	/**
	 * @param metadataOnly whether to ask for the objects' metadata only
	 */
	ListWatchRequests(ApiClient client, WatchSpec spec, Duration maxWatchTimeout, boolean metadataOnly) {
		this.client = client;
		this.spec = spec;
		this.metadataOnly = metadataOnly;
		this.watchReadTimeout = maxWatchTimeout.plus(WATCH_READ_MARGIN);
	}

	/** One page of a list: the most recent state (no resourceVersion), {@code limit} items after {@code continue}. */
	Response listPage(String action, int limit, String continueToken) throws WatchFailure {
		List<Pair> query = new ArrayList<>();
		query.add(new Pair("limit", Integer.toString(limit)));
		if (continueToken != null) {
			query.add(new Pair("continue", continueToken));
		}
		selectors(query);
		return send(action, query, client.getHttpClient());
	}

	/**
	 * A streaming list: a watch that first sends every current object, then a bookmark annotated
	 * {@code k8s.io/initial-events-end}, then changes.
	 */
	Response streamingList(String action, long timeoutSeconds) throws WatchFailure {
		List<Pair> query = new ArrayList<>();
		query.add(new Pair("watch", "true"));
		query.add(new Pair("sendInitialEvents", "true"));
		query.add(new Pair("resourceVersionMatch", "NotOlderThan"));
		query.add(new Pair("allowWatchBookmarks", "true"));
		query.add(new Pair("timeoutSeconds", Long.toString(timeoutSeconds)));
		selectors(query);
		return send(action, query, watchClient());
	}

	/** A watch of the changes after {@code resourceVersion}, with bookmarks. */
	Response watch(String action, String resourceVersion, long timeoutSeconds) throws WatchFailure {
		List<Pair> query = new ArrayList<>();
		query.add(new Pair("watch", "true"));
		query.add(new Pair("allowWatchBookmarks", "true"));
		query.add(new Pair("resourceVersion", resourceVersion));
		query.add(new Pair("timeoutSeconds", Long.toString(timeoutSeconds)));
		selectors(query);
		return send(action, query, watchClient());
	}

	/** Cancels the request in progress and every later one: a blocked read fails at once. */
	void close() {
		closed = true;
		Call call = active;
		if (call != null) {
			call.cancel();
		}
	}

	private void selectors(List<Pair> query) {
		if (spec.labelSelector() != null) {
			query.add(new Pair("labelSelector", spec.labelSelector()));
		}
		if (spec.fieldSelector() != null) {
			query.add(new Pair("fieldSelector", spec.fieldSelector()));
		}
	}

	/**
	 * JSON, or for a metadata-only informer the PartialObjectMetadata form of the objects (a list of them for a
	 * list), which the server strips of everything but metadata before sending.
	 */
	private String accept(List<Pair> query) {
		if (!metadataOnly) {
			return "application/json";
		}
		boolean watch = query.stream().anyMatch(pair -> pair.getName().equals("watch"));
		return "application/json;as=" + (watch ? "PartialObjectMetadata" : "PartialObjectMetadataList")
				+ ";g=meta.k8s.io;v=v1,application/json";
	}

	private Response send(String action, List<Pair> query, OkHttpClient httpClient) throws WatchFailure {
		Request request;
		try {
			Map<String, String> headers = new HashMap<>();
			headers.put("Accept", accept(query));
			String basePath = client.getBasePath();
			if (basePath.endsWith("/")) {
				basePath = basePath.substring(0, basePath.length() - 1);
			}
			String[] authNames = client.getAuthentications().containsKey(AUTH_NAMES[0]) ? AUTH_NAMES : new String[0];
			request = client.buildRequest(basePath, spec.type().collectionPath(spec.namespace()), "GET", query,
					new ArrayList<>(), null, headers, new HashMap<>(), new HashMap<>(), authNames, null);
		}
		catch (ApiException | RuntimeException ex) {
			throw WatchFailure.notSent(action, ex);
		}
		Call call = httpClient.newCall(request);
		active = call;
		if (closed) {
			// close() may have run before it could see this call; it must not start.
			call.cancel();
		}
		Response response;
		try {
			response = call.execute();
		}
		catch (IOException ex) {
			throw WatchFailure.transport(action, request.url(), ex);
		}
		if (response.isSuccessful()) {
			return response;
		}
		try (response) {
			String verb = request.url().queryParameter("watch") != null ? "watch" : "list";
			throw WatchFailure.status(action, verb, spec, response.code(), errorBody(response),
					retryAfter(response.header("Retry-After")));
		}
	}

	private synchronized OkHttpClient watchClient() {
		OkHttpClient source = client.getHttpClient();
		if (source != watchSource) {
			watchSource = source;
			watchClient = source.newBuilder().readTimeout(watchReadTimeout).build();
		}
		return watchClient;
	}

	private static String errorBody(Response response) {
		ResponseBody body = response.body();
		if (body == null) {
			return "";
		}
		try {
			// An error body is a Status or a line of text; the cap only guards against a misbehaving proxy.
			BufferedSource source = body.source();
			source.request(MAX_ERROR_BODY);
			Buffer buffer = source.getBuffer();
			return buffer.readUtf8(Math.min(buffer.size(), MAX_ERROR_BODY));
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** Retry-After in seconds (the only form the API server sends), or null. */
	static Duration retryAfter(String header) {
		if (header == null) {
			return null;
		}
		try {
			long seconds = Long.parseLong(header.trim());
			return (seconds > 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}
}
