package io.github.kubecontroller.benchmarks.emulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A watch read with a plain socket: one HTTP/1.1 GET, then the chunked body is decoded by hand and every newline is
 * counted as one event. No JSON is parsed, so the figure is what the server can deliver, not what a client can
 * decode.
 */
final class RawWatch implements AutoCloseable {

	private final Socket socket;

	private final Thread reader;

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private volatile long firstEventNanos;

	private volatile long lastEventNanos;

	private volatile Throwable failure;

	private volatile boolean ended;

	private final long openedNanos;

	private RawWatch(Socket socket, InputStream in) {
		this.socket = socket;
		this.openedNanos = System.nanoTime();
		this.reader = new Thread(() -> read(in), "bench-raw-watch");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Opens a watch and returns once the response headers (200, chunked) are read.
	 * @param pathAndQuery for example {@code /api/v1/namespaces/x/configmaps?watch=true&resourceVersion=12}
	 */
	static RawWatch open(String host, int port, String pathAndQuery) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setReceiveBufferSize(1 << 20);
		socket.connect(new InetSocketAddress(host, port), 5_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
				+ "\r\nAccept: application/json\r\nUser-Agent: emulator-benchmark/raw-watch\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
		String status = line(in);
		if (!status.startsWith("HTTP/1.1 200")) {
			socket.close();
			throw new IOException("watch answered " + status);
		}
		boolean chunked = false;
		for (String header = line(in); !header.isEmpty(); header = line(in)) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (!chunked) {
			socket.close();
			throw new IOException("watch response is not chunked");
		}
		return new RawWatch(socket, in);
	}

	private void read(InputStream in) {
		byte[] buffer = new byte[1 << 16];
		try {
			while (true) {
				String sizeLine = line(in);
				int semicolon = sizeLine.indexOf(';');
				int size = Integer.parseInt((semicolon >= 0) ? sizeLine.substring(0, semicolon) : sizeLine.trim(), 16);
				if (size == 0) {
					return;
				}
				int left = size;
				long newlines = 0;
				while (left > 0) {
					int n = in.read(buffer, 0, Math.min(left, buffer.length));
					if (n < 0) {
						throw new EOFException("stream ended inside a chunk");
					}
					for (int i = 0; i < n; i++) {
						if (buffer[i] == '\n') {
							newlines++;
						}
					}
					left -= n;
				}
				this.bytes.addAndGet(size);
				if (newlines > 0) {
					long now = System.nanoTime();
					if (this.events.get() == 0) {
						this.firstEventNanos = now;
					}
					this.lastEventNanos = now;
					this.events.addAndGet(newlines);
				}
				String crlf = line(in);
				if (!crlf.isEmpty()) {
					throw new IOException("chunk not followed by CRLF");
				}
			}
		}
		catch (Throwable ex) {
			if (!this.socket.isClosed()) {
				this.failure = ex;
			}
		}
		finally {
			this.ended = true;
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(32);
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("connection closed");
			}
			if (b == '\n') {
				break;
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	long events() {
		return this.events.get();
	}

	long bytes() {
		return this.bytes.get();
	}

	long openedNanos() {
		return this.openedNanos;
	}

	long firstEventNanos() {
		return this.firstEventNanos;
	}

	long lastEventNanos() {
		return this.lastEventNanos;
	}

	/** Waits until {@code count} events arrived; false on timeout or when the stream ended first. */
	boolean await(long count, long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		while (this.events.get() < count) {
			if (this.ended || System.nanoTime() > deadline) {
				return this.events.get() >= count;
			}
			Thread.sleep(1);
		}
		return true;
	}

	Throwable failure() {
		return this.failure;
	}

	boolean ended() {
		return this.ended;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
		try {
			this.reader.join(2_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
