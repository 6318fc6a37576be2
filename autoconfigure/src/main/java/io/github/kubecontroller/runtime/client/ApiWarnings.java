package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the API server's warnings ({@code Warning: 299 - "..."} headers: deprecated APIs, unknown fields dropped)
 * at WARN, once per distinct message, as kubectl prints them: they name problems a controller would otherwise
 * repeat silently on every request.
 */
public final class ApiWarnings implements Interceptor {

	private static final Logger log = LoggerFactory.getLogger(ApiWarnings.class);

	// warn-code SP warn-agent SP quoted warn-text; the API server sends code 299 and agent "-".
	private static final Pattern WARNING = Pattern.compile("^\\s*299\\s+\\S+\\s+\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** Distinct messages remembered; beyond this, new ones are logged at DEBUG so the set stays bounded. */
	static final int REMEMBERED = 1000;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	/** Makes the client log warnings as described. */
	public static void install(ApiClient client) {
		OkHttpClient current = client.getHttpClient();
		if (current.interceptors().stream().noneMatch(ApiWarnings.class::isInstance)) {
			client.setHttpClient(current.newBuilder().addInterceptor(new ApiWarnings()).build());
		}
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Response response = chain.proceed(chain.request());
		for (String header : response.headers("Warning")) {
			Matcher matcher = WARNING.matcher(header);
			String message = matcher.find() ? matcher.group(1).replace("\\\"", "\"") : header;
			if (seen.size() < REMEMBERED && seen.add(message)) {
				log.warn("The API server warns: {} ({} {})", message, chain.request().method(),
						chain.request().url().encodedPath());
			} else if (!seen.contains(message)) {
				log.debug("The API server warns: {}", message);
			}
		}
		return response;
	}
}
