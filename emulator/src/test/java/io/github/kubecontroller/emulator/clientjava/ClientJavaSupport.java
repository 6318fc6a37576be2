package io.github.kubecontroller.emulator.clientjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.google.gson.reflect.TypeToken;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Watch;
import okhttp3.Call;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Helpers shared by the client-java conformance tests: error Status parsing, namespaces, and a recorder that
 * drains a client-java {@link Watch} on its own thread so that tests can await events with deadlines.
 */
final class ClientJavaSupport {

	private ClientJavaSupport() {
	}

	/** Awaitility with a deadline and a short poll interval. */
	static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}

	static V1ObjectMeta meta(String name) {
		return new V1ObjectMeta().name(name);
	}

	static void createNamespace(CoreV1Api core, String name) throws ApiException {
		core.createNamespace(new V1Namespace().metadata(meta(name))).execute();
	}

	/** Runs {@code call}, which must fail with an {@link ApiException}, and returns it. */
	static ApiException apiError(ThrowingCall call) {
		try {
			call.run();
		}
		catch (ApiException ex) {
			return ex;
		}
		catch (Exception ex) {
			throw new AssertionError("expected an ApiException but got " + ex, ex);
		}
		return fail("expected an ApiException, but the call succeeded");
	}

	/** The HTTP code {@code call} fails with, or 200 if it succeeds. */
	static int errorCode(ThrowingCall call) {
		try {
			call.run();
			return 200;
		}
		catch (ApiException ex) {
			return ex.getCode();
		}
		catch (Exception ex) {
			throw new AssertionError("expected success or an ApiException but got " + ex, ex);
		}
	}

	/** The Status object of an error response, parsed the way client-java parses Status bodies. */
	static V1Status status(ApiException ex) {
		assertThat(ex.getResponseBody()).as("error response body of HTTP %d", ex.getCode()).isNotBlank();
		return JSON.deserialize(ex.getResponseBody(), V1Status.class);
	}

	@FunctionalInterface
	interface ThrowingCall {

		void run() throws Exception;
	}

	/**
	 * A client-java watch whose events are collected on a background thread.
	 *
	 * @param <T> the watched model type
	 */
	static final class WatchRecorder<T> implements AutoCloseable {

		final List<Watch.Response<T>> events = new CopyOnWriteArrayList<>();

		private final Watch<T> watch;

		private final Thread reader;

		private volatile boolean ended;

		private volatile boolean closing;

		private volatile Throwable failure;

		private WatchRecorder(Watch<T> watch, String name) {
			this.watch = watch;
			this.reader = new Thread(this::drain, "watch-recorder-" + name);
			this.reader.setDaemon(true);
			this.reader.start();
		}

		/** Opens the watch with {@code Watch.createWatch} (which throws for non-2xx responses). */
		static <T> WatchRecorder<T> start(ApiClient client, Call call, Class<T> type) throws ApiException {
			Watch<T> watch = Watch.createWatch(client, call,
					TypeToken.getParameterized(Watch.Response.class, type).getType());
			return new WatchRecorder<>(watch, type.getSimpleName());
		}

		private void drain() {
			try {
				for (Watch.Response<T> event : this.watch) {
					this.events.add(event);
				}
			}
			catch (RuntimeException ex) {
				if (!this.closing) {
					this.failure = ex;
				}
			}
			finally {
				this.ended = true;
			}
		}

		/** Whether the server ended the stream (or the stream failed). */
		boolean ended() {
			return this.ended;
		}

		/** Why the stream failed, if it failed while the test did not close it. */
		Throwable failure() {
			return this.failure;
		}

		List<Watch.Response<T>> ofType(String type) {
			return this.events.stream().filter((e) -> type.equals(e.type)).collect(Collectors.toList());
		}

		List<Watch.Response<T>> matching(Predicate<Watch.Response<T>> predicate) {
			return this.events.stream().filter(predicate).collect(Collectors.toList());
		}

		/** "TYPE name" for each event that carries an object with a name. */
		List<String> summary(java.util.function.Function<T, V1ObjectMeta> metadata) {
			return this.events.stream()
				.filter((e) -> !"BOOKMARK".equals(e.type) && e.object != null)
				.map((e) -> e.type + " " + metadata.apply(e.object).getName())
				.collect(Collectors.toList());
		}

		@Override
		public void close() {
			this.closing = true;
			try {
				this.watch.close();
			}
			catch (Exception ex) {
				// closing a stream that is mid-read may fail; nothing to do
			}
		}
	}
}
