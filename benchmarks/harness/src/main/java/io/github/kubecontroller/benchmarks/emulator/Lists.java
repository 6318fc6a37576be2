package io.github.kubecontroller.benchmarks.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMapList;

/**
 * List reads. The JDK-client variants read each response into a byte array and walk it with Jackson's streaming
 * parser (items counted and measured, {@code metadata.continue} picked up), which is about the least work a client
 * can do; the client-java variant deserialises into {@code V1ConfigMapList} with Gson as an informer does.
 */
final class Lists {

	private static final JsonFactory JSON = new JsonFactory();

	/** The members the emulator stores in front of each item and leaves out of list items. */
	static final int TYPE_META_BYTES = "\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",".length();

	private Lists() {
	}

	/**
	 * What a list read returned.
	 * @param items items seen
	 * @param itemBytes the JSON bytes of the items as sent (list items carry no kind and apiVersion)
	 * @param responseBytes bytes of all response bodies
	 * @param pages requests made
	 * @param nanos wall time
	 */
	record Read(long items, long itemBytes, long responseBytes, int pages, long nanos) {
	}

	/** One page: its items and the continue token, if any. */
	private record Page(long items, long itemBytes, String continueToken) {
	}

	/** Every page of {@code limit} items, following {@code continue} to the end. */
	static Read paged(HttpClient client, String baseUrl, String namespace, int limit)
			throws IOException, InterruptedException {
		long start = System.nanoTime();
		long items = 0;
		long itemBytes = 0;
		long responseBytes = 0;
		int pages = 0;
		String token = null;
		do {
			String query = "?limit=" + limit
					+ ((token != null) ? "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8) : "");
			byte[] body = get(client, baseUrl + "/api/v1/namespaces/" + namespace + "/configmaps" + query);
			Page page = parse(body);
			items += page.items();
			itemBytes += page.itemBytes();
			responseBytes += body.length;
			pages++;
			token = page.continueToken();
		}
		while (token != null && !token.isEmpty());
		return new Read(items, itemBytes, responseBytes, pages, System.nanoTime() - start);
	}

	/** One request; {@code query} is appended as is (for example {@code ?resourceVersion=0} or {@code ""}). */
	static Read single(HttpClient client, String baseUrl, String namespace, String query)
			throws IOException, InterruptedException {
		long start = System.nanoTime();
		byte[] body = get(client, baseUrl + "/api/v1/namespaces/" + namespace + "/configmaps" + query);
		Page page = parse(body);
		if (page.continueToken() != null && !page.continueToken().isEmpty()) {
			throw new IOException("an unpaged list returned a continue token");
		}
		return new Read(page.items(), page.itemBytes(), body.length, 1, System.nanoTime() - start);
	}

	/** Every page through client-java (OkHttp + Gson into {@code V1ConfigMapList}). */
	static Read clientJavaPaged(ApiClient client, String namespace, int limit) throws ApiException {
		CoreV1Api api = new CoreV1Api(client);
		long start = System.nanoTime();
		long items = 0;
		int pages = 0;
		String token = null;
		do {
			V1ConfigMapList list = api.listNamespacedConfigMap(namespace).limit(limit)._continue(token).execute();
			items += list.getItems().size();
			pages++;
			token = (list.getMetadata() != null) ? list.getMetadata().getContinue() : null;
		}
		while (token != null && !token.isEmpty());
		return new Read(items, 0, 0, pages, System.nanoTime() - start);
	}

	private static byte[] get(HttpClient client, String url) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = client.send(
				HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IOException("GET " + url + " answered " + response.statusCode() + ": "
					+ new String(response.body(), 0, Math.min(500, response.body().length), StandardCharsets.UTF_8));
		}
		return response.body();
	}

	private static Page parse(byte[] body) throws IOException {
		long items = 0;
		long itemBytes = 0;
		String token = null;
		try (JsonParser parser = JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IOException("a list is not a JSON object");
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String member = parser.currentName();
				JsonToken value = parser.nextToken();
				if (member.equals("metadata") && value == JsonToken.START_OBJECT) {
					while (parser.nextToken() == JsonToken.FIELD_NAME) {
						String name = parser.currentName();
						parser.nextToken();
						if (name.equals("continue")) {
							token = parser.getText();
						}
						else {
							parser.skipChildren();
						}
					}
				}
				else if (member.equals("items") && value == JsonToken.START_ARRAY) {
					while (parser.nextToken() == JsonToken.START_OBJECT) {
						long from = parser.currentTokenLocation().getByteOffset();
						parser.skipChildren();
						long to = parser.currentTokenLocation().getByteOffset() + 1;
						items++;
						itemBytes += to - from;
					}
				}
				else {
					parser.skipChildren();
				}
			}
		}
		return new Page(items, itemBytes, token);
	}
}
