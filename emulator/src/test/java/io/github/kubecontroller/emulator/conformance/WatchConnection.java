package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A streaming GET read line by line on a background thread; every read has a deadline.
 */
final class WatchConnection implements AutoCloseable {

	/** Marks the end of the stream in {@link #lines}. */
	private static final String END = new String("<end of stream>");

	private final HttpResponse<InputStream> response;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private final Thread reader;

	private volatile boolean ended;

	private WatchConnection(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "conformance-watch-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	static WatchConnection open(HttpClient http, URI uri) {
		return open(http, uri, "application/json");
	}

	static WatchConnection open(HttpClient http, URI uri, String accept) {
		HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", accept).GET().build();
		try {
			return new WatchConnection(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
				.get(ConformanceSupport.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("no response headers for GET " + uri + " within " + ConformanceSupport.DEADLINE,
					ex);
		}
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (!line.isEmpty()) {
					this.lines.add(line);
				}
			}
		}
		catch (IOException ex) {
			// closed by the test or by the server
		}
		finally {
			this.lines.add(END);
		}
	}

	int status() {
		return this.response.statusCode();
	}

	HttpHeaders headers() {
		return this.response.headers();
	}

	/** The next line, waiting at most {@link ConformanceSupport#DEADLINE}; fails if the stream ended. */
	String nextLine() {
		return nextLine(ConformanceSupport.DEADLINE);
	}

	String nextLine(Duration timeout) {
		if (this.ended) {
			fail("the stream has already ended");
		}
		try {
			String line = this.lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (line == null) {
				fail("no watch event within " + timeout);
			}
			if (line == END) {
				this.ended = true;
				fail("the watch stream ended while an event was expected");
			}
			return line;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The next event, parsed. */
	JsonNode next() {
		return parse(nextLine());
	}

	/** The next event that is not a BOOKMARK. */
	JsonNode nextIgnoringBookmarks() {
		while (true) {
			JsonNode event = next();
			if (!event.path("type").asText().equals("BOOKMARK")) {
				return event;
			}
		}
	}

	/** Reads until the stream ends (at most {@code timeout}) and returns the lines read on the way. */
	List<String> awaitEnd(Duration timeout) {
		List<String> rest = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.ended) {
			long left = deadline - System.nanoTime();
			try {
				String line = (left > 0) ? this.lines.poll(left, TimeUnit.NANOSECONDS) : null;
				if (line == null) {
					fail("the watch stream did not end within " + timeout + "; read " + rest);
				}
				if (line == END) {
					this.ended = true;
				}
				else {
					rest.add(line);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
		return rest;
	}

	static JsonNode parse(String line) {
		try {
			return ConformanceSupport.MAPPER.readTree(line);
		}
		catch (JsonProcessingException ex) {
			throw new AssertionError("watch line is not JSON: " + line, ex);
		}
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// ignore
		}
		this.reader.interrupt();
	}
}
