package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Watches the Bench objects in the benchmark's process and counts those whose {@code status.observedGeneration} has
 * reached a threshold: the benchmark's view of "every object reconciled", independent of the contender.
 */
final class StatusWatch implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final long threshold;

	private final Map<String, Long> observed = new HashMap<>();

	private final Thread reader;

	private volatile Stream<String> lines;

	private int done;

	private long lastDoneNanos;

	private String failure;

	private StatusWatch(long threshold) {
		this.threshold = threshold;
		this.reader = new Thread(this::read, "bench-status-watch");
		this.reader.setDaemon(true);
	}

	/** Watches from {@code resourceVersion} on, counting objects whose observedGeneration is at least {@code threshold}. */
	static StatusWatch open(BenchCluster cluster, long resourceVersion, long threshold)
			throws IOException, InterruptedException {
		StatusWatch watch = new StatusWatch(threshold);
		HttpResponse<Stream<String>> response = cluster.http()
			.send(cluster.get(BenchCluster.benchPath() + "?watch=true&resourceVersion=" + resourceVersion),
					HttpResponse.BodyHandlers.ofLines());
		if (response.statusCode() != 200) {
			throw new IOException("status watch: HTTP " + response.statusCode());
		}
		watch.lines = response.body();
		watch.reader.start();
		return watch;
	}

	private void read() {
		try {
			this.lines.forEach(this::event);
			fail("the watch ended");
		}
		catch (RuntimeException ex) {
			fail(String.valueOf(ex));
		}
	}

	private void event(String line) {
		if (line.isBlank()) {
			return;
		}
		JsonNode event;
		try {
			event = JSON.readTree(line);
		}
		catch (IOException ex) {
			fail("undecodable event: " + ex.getMessage());
			return;
		}
		String type = event.path("type").asText();
		if (type.equals("ERROR")) {
			fail("watch error: " + event.path("object").path("message").asText());
			return;
		}
		if (!type.equals("ADDED") && !type.equals("MODIFIED")) {
			return;
		}
		JsonNode object = event.path("object");
		String name = object.path("metadata").path("name").asText();
		long generation = object.path("status").path("observedGeneration").asLong(0);
		synchronized (this) {
			Long before = this.observed.put(name, generation);
			boolean wasDone = before != null && before >= this.threshold;
			if (!wasDone && generation >= this.threshold) {
				this.done++;
				this.lastDoneNanos = System.nanoTime();
				notifyAll();
			}
		}
	}

	private synchronized void fail(String reason) {
		if (this.failure == null) {
			this.failure = reason;
		}
		notifyAll();
	}

	/**
	 * Waits until {@code count} objects have reached the threshold; returns when the last of them did (nanoTime), or
	 * -1 after {@code timeoutSeconds}, or once no object has reached it for {@code stallSeconds} (objects left behind:
	 * {@link #behind}).
	 */
	synchronized long await(int count, long timeoutSeconds, long stallSeconds) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		while (this.done < count) {
			if (this.failure != null) {
				throw new IllegalStateException("status watch: " + this.failure);
			}
			long now = System.nanoTime();
			long progress = Math.max(start, this.lastDoneNanos);
			long stallDeadline = progress + TimeUnit.SECONDS.toNanos(stallSeconds);
			long left = Math.min(deadline, stallDeadline) - now;
			if (left <= 0) {
				return -1;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return this.lastDoneNanos;
	}

	/** When the last object reached the threshold (nanoTime), 0 if none did. */
	synchronized long lastDoneNanos() {
		return this.lastDoneNanos;
	}

	/** Objects at the threshold so far. */
	synchronized int done() {
		return this.done;
	}

	/** Up to {@code limit} names of objects seen below the threshold, with the observedGeneration last seen. */
	synchronized Map<String, Long> behind(int limit) {
		Map<String, Long> behind = new java.util.TreeMap<>();
		this.observed.forEach((name, generation) -> {
			if (generation < this.threshold && behind.size() < limit) {
				behind.put(name, generation);
			}
		});
		return behind;
	}

	@Override
	public void close() {
		Stream<String> open = this.lines;
		if (open != null) {
			open.close();
		}
		this.reader.interrupt();
	}
}
