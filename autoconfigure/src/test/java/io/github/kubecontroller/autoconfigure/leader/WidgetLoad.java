package io.github.kubecontroller.autoconfigure.leader;

import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Changes {@code spec.content} of randomly chosen Widgets, one at a time at up to a given rate, on a thread of its
 * own, until closed: each change is a new generation for the controllers to observe. Refused or throttled changes
 * are counted and skipped; the pace does not speed up to catch up after an outage or a slow answer.
 */
final class WidgetLoad implements AutoCloseable {

	private final CustomObjectsApi widgets;
	private final ApiClient client;
	private final String namespace;
	private final List<String> names;
	private final long periodNanos;
	private final Thread thread;
	private final AtomicLong changes = new AtomicLong();
	private final AtomicLong throttled = new AtomicLong();
	private final AtomicLong failed = new AtomicLong();
	private volatile boolean running = true;
	private volatile String lastFailure = "none";

	WidgetLoad(ApiClient client, String namespace, List<String> names, int changesPerSecond) {
		this.client = client;
		this.widgets = new CustomObjectsApi(client);
		this.namespace = namespace;
		this.names = List.copyOf(names);
		this.periodNanos = 1_000_000_000L / changesPerSecond;
		this.thread = new Thread(this::run, "widget-load");
	}

	void start() {
		thread.start();
	}

	/** Changes the API server accepted. */
	long changes() {
		return changes.get();
	}

	/** Changes answered 429. */
	long throttled() {
		return throttled.get();
	}

	/** Changes that failed otherwise (refused connections during the outage). */
	long failed() {
		return failed.get();
	}

	@Override
	public String toString() {
		return changes + " changes, " + throttled + " throttled, " + failed + " failed (last: " + lastFailure + ")"
				+ (thread.isAlive() ? "" : ", stopped");
	}

	private void run() {
		long next = System.nanoTime();
		long serial = 0;
		while (running) {
			String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
			try {
				setContent(name, ChaosSoakTest.content("change-" + serial++));
				changes.incrementAndGet();
			} catch (ApiException e) {
				(e.getCode() == 429 ? throttled : failed).incrementAndGet();
				lastFailure = e.getCode() + " " + e.getMessage();
			} catch (RuntimeException e) {
				failed.incrementAndGet();
				lastFailure = e.toString();
			}
			next += periodNanos;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			} else {
				next = System.nanoTime();
			}
		}
	}

	private void setContent(String name, String content) throws ApiException {
		JsonObject spec = new JsonObject();
		spec.addProperty("content", content);
		JsonObject patch = new JsonObject();
		patch.add("spec", spec);
		PatchUtils.patch(Object.class,
				() -> widgets.patchNamespacedCustomObject("test.kubecontroller.io", "v1", namespace, "widgets", name,
						new V1Patch(patch.toString())).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
	}

	/** Stops changing Widgets and waits for the change in progress. */
	@Override
	public void close() throws InterruptedException {
		running = false;
		thread.join();
	}
}
