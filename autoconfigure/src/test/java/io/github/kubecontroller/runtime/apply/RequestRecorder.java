package io.github.kubecontroller.runtime.apply;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Keeps the requests a client sends, with their bodies, which the emulator's audit does not record. It only
 * observes: requests go to the emulator unchanged.
 */
final class RequestRecorder implements Interceptor {

	/**
	 * One request as sent.
	 *
	 * @param method the HTTP method
	 * @param pathAndQuery the path with its query
	 * @param contentType the body's content type, or null
	 * @param body the body, empty when there is none
	 */
	record Sent(String method, String pathAndQuery, String contentType, String body) {
	}

	private final List<Sent> requests = new CopyOnWriteArrayList<>();

	/** Records every request of {@code client} from now on. */
	static RequestRecorder attachTo(ApiClient client) {
		RequestRecorder recorder = new RequestRecorder();
		client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(recorder).build());
		return recorder;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		String body = "";
		String contentType = null;
		if (request.body() != null) {
			Buffer buffer = new Buffer();
			request.body().writeTo(buffer);
			body = buffer.readUtf8();
			contentType = String.valueOf(request.body().contentType());
		}
		String query = request.url().encodedQuery();
		this.requests.add(new Sent(request.method(), request.url().encodedPath() + ((query != null) ? "?" + query : ""),
				contentType, body));
		return chain.proceed(request);
	}

	List<Sent> requests() {
		return List.copyOf(this.requests);
	}

	/** The requests with {@code method} whose path starts with {@code pathPrefix}. */
	List<Sent> requests(String method, String pathPrefix) {
		return this.requests.stream()
			.filter((sent) -> sent.method().equals(method) && sent.pathAndQuery().startsWith(pathPrefix))
			.toList();
	}

	void clear() {
		this.requests.clear();
	}
}
