package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Records the URL of every GET request an {@link ApiClient} sends, so that tests can check query parameters (the
 * emulator's audit records verbs and paths, not queries).
 */
final class RecordedRequests implements Interceptor {

	private final List<HttpUrl> urls = new CopyOnWriteArrayList<>(); // of GET requests

	/** Installs a recorder on the client's OkHttp client. */
	static RecordedRequests on(ApiClient client) {
		RecordedRequests recorder = new RecordedRequests();
		client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(recorder).build());
		return recorder;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		if (chain.request().method().equals("GET")) {
			urls.add(chain.request().url());
		}
		return chain.proceed(chain.request());
	}

	/** Plain lists (no watch) of a collection path. */
	List<HttpUrl> lists(String path) {
		return urls.stream().filter((url) -> url.encodedPath().equals(path) && url.queryParameter("watch") == null)
			.toList();
	}

	/** Watches of a collection path that resume from a resourceVersion. */
	List<HttpUrl> watches(String path) {
		return urls.stream().filter((url) -> url.encodedPath().equals(path) && url.queryParameter("watch") != null
				&& url.queryParameter("sendInitialEvents") == null).toList();
	}

	/** Streaming lists of a collection path. */
	List<HttpUrl> streamingLists(String path) {
		return urls.stream().filter((url) -> url.encodedPath().equals(path)
				&& "true".equals(url.queryParameter("sendInitialEvents"))).toList();
	}
}
