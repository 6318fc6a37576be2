package io.github.kubecontroller.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import io.github.kubecontroller.emulator.control.AccessControl;
import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.Faults;
import io.github.kubecontroller.emulator.http.ApiServer;
import io.github.kubecontroller.emulator.http.RequestControls;
import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.rest.ResourceOperations;
import io.github.kubecontroller.emulator.store.ObjectStore;

/**
 * An in-process Kubernetes API server that behaves like kube-apiserver 1.32 for the resources controllers use:
 * start it, point a client (client-java, fabric8, kubectl) at {@link #baseUrl()} or at the kubeconfig from
 * {@link #writeKubeconfig(Path)}, and stop it when done.
 *
 * <pre>{@code
 * try (KubeApiEmulator emulator = KubeApiEmulator.builder().build().start()) {
 *     ApiClient client = emulator.apiClient();
 *     ...
 * }
 * }</pre>
 *
 * <p>
 * Everything is kept in memory. History for resuming watches is bounded (5 minutes or 100,000 events by default);
 * {@link #compactHistory()} drops it at once so that clients meet 410 Expired on demand.
 */
public final class KubeApiEmulator implements AutoCloseable {

	private final Builder settings;

	private final ObjectStore store;

	private final ResourceCatalog catalog;

	private final ResourceOperations operations;

	private final RequestControls controls;

	private volatile ApiServer server;

	/** The port bound by the first start; later starts reuse it, so a restart keeps the address. */
	private int boundPort;

	private HangingListener hangingListener;

	private KubeApiEmulator(Builder settings) {
		this.settings = settings;
		this.store = new ObjectStore(settings.clock, settings.historyWindow, settings.historyMaxEvents);
		this.catalog = new ResourceCatalog();
		this.operations = new ResourceOperations(this.store, this.catalog, settings.clock);
		this.controls = new RequestControls(new AccessControl(settings.clock), new Faults(settings.clock),
				new Audit());
		this.operations.bootstrap();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Starts listening; returns this emulator. */
	public synchronized KubeApiEmulator start() {
		if (this.server != null) {
			throw new IllegalStateException("already started on " + baseUrl());
		}
		endHanging();
		int port = (this.boundPort != 0) ? this.boundPort : this.settings.port;
		ApiServer started = new ApiServer(new InetSocketAddress(this.settings.host, port), this.catalog,
				this.operations, this.settings.bookmarkInterval, this.settings.defaultWatchTimeout,
				this.settings.watchCapacity, this.controls, this.settings.streamingLists);
		started.start();
		this.server = started;
		this.boundPort = started.port();
		return this;
	}

	/** Stops listening and ends every open watch. The stored data is kept; {@link #start()} serves it again. */
	public synchronized void stop() {
		endHanging();
		if (this.server != null) {
			this.store.closeAllWatches();
			this.server.stop();
			this.server = null;
		}
	}

	/**
	 * Simulates an API server outage: the listener goes away and open watches are cut. With
	 * {@link Outage#REFUSE_CONNECTIONS} new connections are refused; with {@link Outage#HANG} they are accepted and
	 * never answered. {@link #restart()} ends the outage on the same port with the same data.
	 */
	public synchronized void outage(Outage outage) {
		stop();
		if (outage == Outage.HANG) {
			this.hangingListener = new HangingListener(this.settings.host, this.boundPort);
		}
	}

	/** Stops (if running) and starts again on the same port, keeping every object and the history. */
	public synchronized KubeApiEmulator restart() {
		stop();
		return start();
	}

	private void endHanging() {
		if (this.hangingListener != null) {
			this.hangingListener.close();
			this.hangingListener = null;
		}
	}

	@Override
	public void close() {
		stop();
	}

	/** The port listened on (an ephemeral one unless a port was given). */
	public int port() {
		return running().port();
	}

	/** For example {@code http://127.0.0.1:43121}. */
	public String baseUrl() {
		return "http://" + this.settings.host + ":" + port();
	}

	/**
	 * Writes a kubeconfig whose current context points at this emulator, usable as is by kubectl and client
	 * libraries.
	 * @return {@code file}
	 */
	public Path writeKubeconfig(Path file) {
		return writeKubeconfig(file, null);
	}

	/**
	 * Writes a kubeconfig whose user authenticates with {@code token} (see {@link #accessControl()}).
	 * @return {@code file}
	 */
	public Path writeKubeconfig(Path file, String token) {
		String kubeconfig = """
				apiVersion: v1
				kind: Config
				clusters:
				- name: kube-api-emulator
				  cluster:
				    server: %s
				contexts:
				- name: kube-api-emulator
				  context:
				    cluster: kube-api-emulator
				    namespace: default
				    user: kube-api-emulator
				current-context: kube-api-emulator
				users:
				- name: kube-api-emulator
				  user: %s
				preferences: {}
				""".formatted(baseUrl(), (token != null) ? "{token: \"" + token + "\"}" : "{}");
		try {
			Path absolute = file.toAbsolutePath();
			if (absolute.getParent() != null) {
				Files.createDirectories(absolute.getParent());
			}
			Path temporary = Files.createTempFile(absolute.getParent(), ".kubeconfig", ".tmp");
			Files.writeString(temporary, kubeconfig, StandardCharsets.UTF_8);
			Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write kubeconfig " + file, ex);
		}
	}

	/**
	 * A client-java {@code ApiClient} for this emulator, with no read timeout so that watches can idle. Needs
	 * {@code io.kubernetes:client-java} on the classpath.
	 */
	public io.kubernetes.client.openapi.ApiClient apiClient() {
		return ClientJava.apiClient(baseUrl());
	}

	/**
	 * Drops the whole change history now, as an etcd compaction does: watches and exact lists from any earlier
	 * resourceVersion, and continue tokens issued before, are answered with 410 Expired.
	 */
	public void compactHistory() {
		this.store.compact();
	}

	/**
	 * Ends every open watch now, as a dropped connection would: each client sees its stream end and resumes from
	 * the last resourceVersion it received (or meets 410 Expired after {@link #compactHistory()}).
	 */
	public void closeAllWatches() {
		this.store.closeAllWatches();
	}

	/**
	 * Ends every open watch with an ERROR event carrying 410 Expired, as when the server's watch cache is
	 * re-initialised: clients must relist.
	 */
	public void expireAllWatches() {
		this.store.expireAllWatches();
	}

	/** Faults to inject into matching requests: error statuses, 429s, latency. */
	public Faults faults() {
		return this.controls.faults();
	}

	/** Bearer tokens and allow rules; off until enabled. */
	public AccessControl accessControl() {
		return this.controls.access();
	}

	/** Counters of every request, and an optional log of the latest ones. */
	public Audit audit() {
		return this.controls.audit();
	}

	/** The cluster-wide resourceVersion of the latest write. */
	public long resourceVersion() {
		return this.store.revision();
	}

	/** How many watches are open right now. */
	public int openWatches() {
		return this.store.openWatches();
	}

	private ApiServer running() {
		ApiServer current = this.server;
		if (current == null) {
			throw new IllegalStateException("the emulator is not running; call start() first");
		}
		return current;
	}

	/** Settings of an emulator; every one has a default. */
	public static final class Builder {

		private String host = "127.0.0.1";

		private int port = 0;

		private Duration historyWindow = Duration.ofMinutes(5);

		private int historyMaxEvents = 100_000;

		private Duration bookmarkInterval = Duration.ofSeconds(60);

		private Duration defaultWatchTimeout = Duration.ofMinutes(30);

		private int watchCapacity = 100_000;

		private Clock clock = Clock.systemUTC();

		private boolean streamingLists = true;

		private Builder() {
		}

		/** The address to listen on; {@code 127.0.0.1} by default. */
		public Builder host(String host) {
			this.host = Objects.requireNonNull(host, "host");
			return this;
		}

		/** The port; {@code 0} (the default) picks a free one. */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
			}
			this.port = port;
			return this;
		}

		/** How long changes stay resumable; 5 minutes by default, as etcd's default compaction. */
		public Builder historyWindow(Duration window) {
			this.historyWindow = positive(window, "historyWindow");
			return this;
		}

		/** How many changes are kept at most; 100,000 by default. */
		public Builder historyMaxEvents(int events) {
			if (events < 1) {
				throw new IllegalArgumentException("historyMaxEvents must be at least 1, was " + events);
			}
			this.historyMaxEvents = events;
			return this;
		}

		/** How often watches that allow bookmarks get one; 60 s by default, as kube-apiserver. */
		public Builder bookmarkInterval(Duration interval) {
			this.bookmarkInterval = positive(interval, "bookmarkInterval");
			return this;
		}

		/**
		 * The base of the timeout of watches that send no {@code timeoutSeconds}: each gets a random timeout between
		 * it and twice it. 30 minutes by default, as kube-apiserver's {@code --min-request-timeout}.
		 */
		public Builder defaultWatchTimeout(Duration timeout) {
			this.defaultWatchTimeout = positive(timeout, "defaultWatchTimeout");
			return this;
		}

		/** How many undelivered events a watch may have before the emulator ends it; 100,000 by default. */
		public Builder watchCapacity(int events) {
			if (events < 1) {
				throw new IllegalArgumentException("watchCapacity must be at least 1, was " + events);
			}
			this.watchCapacity = events;
			return this;
		}

		/**
		 * Whether streaming lists are served, as by kube-apiserver 1.32 with its default WatchList feature gate
		 * ({@code true}, the default). With {@code false} the emulator behaves like a server with the gate off (an
		 * older or aggregated API server): a watch with {@code sendInitialEvents} is answered with 422 Invalid
		 * ({@code sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled}), and a
		 * watch from {@code ""} or {@code "0"} still starts with synthetic ADDED events but gets no
		 * initial-events-end bookmark. Clients then fall back to list and watch.
		 */
		public Builder streamingLists(boolean enabled) {
			this.streamingLists = enabled;
			return this;
		}

		/** The clock for timestamps and history age. */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		public KubeApiEmulator build() {
			return new KubeApiEmulator(this);
		}

		private static Duration positive(Duration value, String name) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
			}
			return value;
		}
	}
}
