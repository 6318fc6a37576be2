package io.github.kubecontroller.emulator.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.rest.ResourceOperations;

/**
 * The HTTP listener: plain HTTP/1.1 on one address, one thread per request (watches hold theirs for their lifetime).
 */
public final class ApiServer {

	/** How long a restart keeps trying to bind a port that is still being released. */
	public static final Duration BIND_RETRY = Duration.ofSeconds(5);

	private final HttpServer server;

	private final ExecutorService executor;

	static {
		// Without TCP_NODELAY every response on a reused connection waits ~40 ms for a delayed ACK (Nagle). The JDK
		// server reads this property once, when its first instance is created.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	public ApiServer(InetSocketAddress address, ResourceCatalog catalog, ResourceOperations operations,
			Duration bookmarkInterval, Duration defaultWatchTimeout, int watchCapacity, RequestControls controls,
			boolean streamingLists) {
		this.server = bind(address);
		this.executor = Executors.newCachedThreadPool(new DaemonThreads());
		this.server.setExecutor(this.executor);
		this.server.createContext("/", new ApiHandler(catalog, operations,
				new WatchStream(bookmarkInterval, defaultWatchTimeout), this::hostAndPort, watchCapacity, controls,
				streamingLists));
	}

	/**
	 * Binds the listener. A port that was just released by a stopped server (a restart) can stay busy for a moment:
	 * the JDK closes a listening channel registered with a selector only when that selector next runs. So binding is
	 * retried for a short while before giving up.
	 */
	private static HttpServer bind(InetSocketAddress address) {
		long deadline = System.nanoTime() + BIND_RETRY.toNanos();
		while (true) {
			try {
				return HttpServer.create(address, 1024);
			}
			catch (java.net.BindException ex) {
				if (address.getPort() == 0 || System.nanoTime() > deadline) {
					throw new UncheckedIOException("cannot listen on " + address + ": " + ex.getMessage(), ex);
				}
				pause();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot listen on " + address, ex);
			}
		}
	}

	/** Waits a little between bind attempts. */
	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while binding", ex);
		}
	}

	public void start() {
		this.server.start();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public String hostAndPort() {
		return this.server.getAddress().getHostString() + ":" + port();
	}

	/** Stops listening and ends every request in progress. */
	public void stop() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private static final class DaemonThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "kube-api-emulator-http-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}
	}
}
