package io.github.kubecontroller.runtime.leader;

import io.github.kubecontroller.runtime.client.ClientRateLimit;
import io.github.kubecontroller.runtime.client.RequestRetries;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns for a Lease, holds it while renewals succeed, and campaigns again after losing it, for as long as it
 * runs: unlike client-java's elector, losing the lease is a state, not the end. Closing it releases a held lease,
 * so that a successor takes over at once instead of after the lease duration.
 *
 * <p>The states, on one thread of its own:
 * <pre>
 * CANDIDATE --acquired--> LEADER --no renewal within the renew deadline--> CANDIDATE
 *     any state --close()--> STOPPED (releasing the lease if LEADER)
 * </pre>
 * A candidate takes the lease when it is free: released (no holder), or not renewed for the lease duration as
 * measured on this instance's clock from when it first saw the current renewal (the holder's clock is never
 * compared with ours), or, on the first look, renewed by the server's time more than two lease durations ago. A
 * leader renews every retry period with the Lease it last wrote (one request, no read) and gives up when no
 * renewal succeeded within the renew deadline, which is shorter than the lease duration: it has stopped before
 * any other instance can start. Every request is bounded by the time left before that deadline.
 *
 * <p>The listener is called on the elector's thread and must return quickly.
 */
public final class LeaderElector implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

	/** Where this instance stands. */
	public enum Role {
		CANDIDATE, LEADER, STOPPED
	}

	/** Told of leadership changes, on the elector's thread. */
	public interface Listener {

		/** This instance now leads. */
		default void startedLeading() {
		}

		/** This instance no longer leads: it lost the lease, or the elector was closed while leading. */
		default void stoppedLeading() {
		}

		/** Another instance (or this one) holds the lease now; null when nobody does. */
		default void leaderChanged(@Nullable String identity) {
		}
	}

	private final ApiClient client;
	private final CoordinationV1Api leases;
	private final LeaderElectionSettings settings;
	private final Listener listener;
	private final Clock clock;
	private final Thread thread;
	private final AtomicLong transitions = new AtomicLong();

	private volatile Role role = Role.CANDIDATE;
	private volatile @Nullable String leader;
	private volatile boolean closing;

	// Owned by the elector's thread.
	private @Nullable V1Lease lastWritten;
	private @Nullable String observedRecord;
	private Instant observedAt = Instant.EPOCH;
	private Instant lastRenewal = Instant.EPOCH;
	// When the last successful write of the Lease was sent. The renew deadline counts from there, not from the
	// response: the others count the lease duration from when they see the write, which is after it was sent, so
	// a slow response cannot stretch this instance's lead past what they allow.
	private Instant lastWriteSent = Instant.EPOCH;

	public LeaderElector(ApiClient client, LeaderElectionSettings settings, Listener listener) {
		this(client, settings, listener, Clock.systemUTC());
	}

	LeaderElector(ApiClient client, LeaderElectionSettings settings, Listener listener, Clock clock) {
		this.client = Objects.requireNonNull(client, "client");
		this.leases = new CoordinationV1Api(client);
		this.settings = Objects.requireNonNull(settings, "settings");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.clock = clock;
		this.thread = new Thread(this::run, "kube-leader-election-" + settings.name());
		this.thread.setDaemon(true);
	}

	/**
	 * Checks that this instance may read, create and update its Lease: a read, then a dry-run create (when the Lease
	 * does not exist) or update (when it does), which the API server authorizes without writing anything. Meant
	 * for start-up, so that missing RBAC fails it with the rule to add instead of leaving an instance that can
	 * never lead.
	 *
	 * @throws LeaderElectionException when a request is forbidden, naming the rule
	 */
	public void checkAccess() {
		String rule = "apiGroups: [\"coordination.k8s.io\"], resources: [\"leases\"], verbs: [\"get\", \"create\","
				+ " \"update\"] in namespace " + settings.namespace();
		String verb = "get";
		try {
			V1Lease lease;
			try {
				lease = executeChecking(leases.readNamespacedLease(settings.name(), settings.namespace())
						.buildCall(null));
			} catch (ApiException e) {
				if (e.getCode() != 404) {
					throw e;
				}
				lease = null;
			}
			if (lease == null) {
				verb = "create";
				V1Lease probe = new V1Lease()
						.metadata(new V1ObjectMeta().namespace(settings.namespace()).name(settings.name()))
						.spec(new V1LeaseSpec());
				executeChecking(leases.createNamespacedLease(settings.namespace(), probe).dryRun("All")
						.buildCall(null));
			} else {
				verb = "update";
				executeChecking(leases.replaceNamespacedLease(settings.name(), settings.namespace(), lease)
						.dryRun("All").buildCall(null));
			}
		} catch (ApiException e) {
			if (e.getCode() == 403) {
				throw new LeaderElectionException("Leader election cannot " + verb + " the Lease "
						+ settings.namespace() + "/" + settings.name() + ": forbidden. Give the application this RBAC"
						+ " rule: " + rule + " (the generated RBAC has it when leader election is on)");
			}
			if (e.getCode() != 409) { // 409: a candidate created the Lease meanwhile, which is fine
				log.warn("Could not check access to the Lease {}/{} ({}); campaigning anyway", settings.namespace(),
						settings.name(), (e.getCode() == 0) ? e.getMessage() : "HTTP " + e.getCode());
			}
		}
	}

	/** Starts campaigning. */
	public void start() {
		thread.start();
	}

	/** Where this instance stands now. */
	public Role role() {
		return role;
	}

	/** The identity holding the lease as last seen, or null. */
	public @Nullable String leader() {
		return leader;
	}

	/** How many times this instance became the leader. */
	public long transitions() {
		return transitions.get();
	}

	public LeaderElectionSettings settings() {
		return settings;
	}

	/**
	 * Stops campaigning; a leader stops leading, then releases the lease so that a successor need not wait for it to
	 * expire. Waits up to the renew deadline for the elector's thread.
	 */
	@Override
	public void close() {
		closing = true;
		thread.interrupt();
		try {
			thread.join(settings.renewDeadline().toMillis());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		try {
			while (!closing) {
				if (role == Role.CANDIDATE) {
					if (tryAcquire()) {
						becomeLeader();
					} else {
						sleep(jittered(settings.retryPeriod()));
					}
				} else {
					sleep(settings.retryPeriod());
					if (closing) {
						break;
					}
					if (tryRenew()) {
						lastRenewal = lastWriteSent;
					} else if (!clock.instant().isBefore(lastRenewal.plus(settings.renewDeadline()))) {
						log.warn("Lost the lease {}/{}: no renewal succeeded within {}; standing by and campaigning"
								+ " again", settings.namespace(), settings.name(), settings.renewDeadline());
						stopLeading();
					}
				}
			}
		} catch (InterruptedException e) {
			// close()
		} catch (RuntimeException e) {
			log.error("Leader election on {}/{} failed", settings.namespace(), settings.name(), e);
		} finally {
			// close() interrupts the thread to cut a sleep or a request short; the release must still be sent.
			Thread.interrupted();
			if (role == Role.LEADER) {
				V1Lease held = lastWritten;
				stopLeading(); // before the release: nobody may start while this instance still acts as leader
				release(held);
			}
			role = Role.STOPPED;
		}
	}

	private void becomeLeader() {
		role = Role.LEADER;
		lastRenewal = lastWriteSent;
		transitions.incrementAndGet();
		observeLeader(settings.identity());
		log.info("Leading as {} (lease {}/{})", settings.identity(), settings.namespace(), settings.name());
		listener.startedLeading();
	}

	private void stopLeading() {
		role = Role.CANDIDATE;
		lastWritten = null;
		listener.stoppedLeading();
	}

	/** One attempt to take the lease: true when this instance holds it now. */
	private boolean tryAcquire() {
		Instant now = clock.instant();
		V1Lease lease;
		try {
			lease = read(settings.retryPeriod().multipliedBy(2));
		} catch (ApiException e) {
			if (e.getCode() != 404) {
				logFailure("read", e);
				return false;
			}
			return create(now);
		}
		V1LeaseSpec spec = (lease.getSpec() != null) ? lease.getSpec() : new V1LeaseSpec();
		String holder = blankToNull(spec.getHolderIdentity());
		observe(lease, holder, now);
		if (holder != null && !holder.equals(settings.identity()) && !expired(spec, now)) {
			return false;
		}
		boolean transition = !settings.identity().equals(holder);
		spec.holderIdentity(settings.identity())
				.leaseDurationSeconds((int) settings.leaseDuration().toSeconds())
				.renewTime(time(now))
				.acquireTime(transition ? time(now) : spec.getAcquireTime())
				.leaseTransitions(transition ? nullToZero(spec.getLeaseTransitions()) + 1 : spec.getLeaseTransitions());
		return replace(lease.spec(spec), settings.retryPeriod().multipliedBy(2));
	}

	/** One attempt to renew the held lease, from the Lease last written. */
	private boolean tryRenew() {
		Instant now = clock.instant();
		Duration left = Duration.between(now, lastRenewal.plus(settings.renewDeadline()));
		if (left.isNegative() || left.isZero()) {
			return false;
		}
		V1Lease lease = lastWritten;
		if (lease == null) {
			try {
				lease = read(left);
			} catch (ApiException e) {
				logFailure("read", e);
				return false;
			}
			if (!settings.identity().equals(lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity())) {
				// Someone took it (a lease we held until it expired as far as they could see): we do not lead.
				lastRenewal = Instant.EPOCH;
				return false;
			}
		}
		lease.getSpec().renewTime(time(now)).leaseDurationSeconds((int) settings.leaseDuration().toSeconds());
		if (replace(lease, left)) {
			return true;
		}
		lastWritten = null; // a conflict: read it again next time
		return false;
	}

	private boolean expired(V1LeaseSpec spec, Instant now) {
		int seconds = (spec.getLeaseDurationSeconds() != null) ? spec.getLeaseDurationSeconds()
				: (int) settings.leaseDuration().toSeconds();
		if (!now.isBefore(observedAt.plusSeconds(seconds))) {
			return true;
		}
		// A lease abandoned long ago (its renewal older than two durations even allowing for a clock skew of one)
		// is free at the first look, instead of after a full duration of watching it not change.
		OffsetDateTime renewed = spec.getRenewTime();
		return renewed != null && renewed.toInstant().plusSeconds(2L * seconds).isBefore(now);
	}

	/** Remembers when the lease record last changed, as seen here: expiry counts from then. */
	private void observe(V1Lease lease, @Nullable String holder, Instant now) {
		String record = holder + "|" + (lease.getSpec() == null ? null : lease.getSpec().getRenewTime());
		if (!record.equals(observedRecord)) {
			observedRecord = record;
			observedAt = now;
		}
		observeLeader(holder);
	}

	private void observeLeader(@Nullable String holder) {
		if (!Objects.equals(holder, leader)) {
			leader = holder;
			listener.leaderChanged(holder);
		}
	}

	private boolean create(Instant now) {
		V1Lease lease = new V1Lease()
				.metadata(new V1ObjectMeta().namespace(settings.namespace()).name(settings.name()))
				.spec(new V1LeaseSpec().holderIdentity(settings.identity())
						.leaseDurationSeconds((int) settings.leaseDuration().toSeconds())
						.acquireTime(time(now)).renewTime(time(now)).leaseTransitions(0));
		try {
			Call call = leases.createNamespacedLease(settings.namespace(), lease).buildCall(null);
			Instant sent = clock.instant();
			lastWritten = execute(call, settings.retryPeriod().multipliedBy(2));
			lastWriteSent = sent;
			return true;
		} catch (ApiException e) {
			if (e.getCode() != 409) { // 409: another candidate created it first
				logFailure("create", e);
			}
			return false;
		}
	}

	private boolean replace(V1Lease lease, Duration timeout) {
		try {
			Call call = leases.replaceNamespacedLease(settings.name(), settings.namespace(), lease).buildCall(null);
			Instant sent = clock.instant();
			lastWritten = execute(call, timeout);
			lastWriteSent = sent;
			return true;
		} catch (ApiException e) {
			if (e.getCode() != 409) { // 409: someone else wrote the lease since we read it
				logFailure("update", e);
			}
			return false;
		}
	}

	/**
	 * Gives the lease up: no holder and a one-second duration, as client-go releases it. A release that fails (a
	 * 429, a 5xx, a conflict with a write this instance did not see) is tried again until the renew deadline, for
	 * which {@link #close()} waits: one lost release would keep every successor waiting a whole lease duration. On a
	 * conflict the Lease is read again and released only while it still names this instance.
	 */
	private void release(@Nullable V1Lease held) {
		long deadline = System.nanoTime() + settings.renewDeadline().toNanos() * 9 / 10;
		V1Lease lease = (held != null && held.getSpec() != null) ? held : null; // null: read it first
		String failure = null;
		for (int attempt = 1; ; attempt++) {
			Duration left = Duration.ofNanos(deadline - System.nanoTime());
			if (left.isNegative() || left.isZero()) {
				break;
			}
			try {
				if (lease == null) {
					lease = read(left);
					if (!settings.identity().equals(lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity())) {
						log.info("Lease {}/{} already held by {}: nothing to release", settings.namespace(),
								settings.name(), lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity());
						return;
					}
				}
				lease.getSpec().holderIdentity(null).leaseDurationSeconds(1).renewTime(time(clock.instant()));
				Call call = leases.replaceNamespacedLease(settings.name(), settings.namespace(), lease).buildCall(null);
				execute(call, left);
				log.info("Released the lease {}/{}", settings.namespace(), settings.name());
				return;
			} catch (ApiException e) {
				failure = (e.getCode() == 0) ? e.getMessage() : "HTTP " + e.getCode();
				if (e.getCode() == 403 || e.getCode() == 404) {
					break;
				}
				lease = null; // a conflict, or an answer that leaves the Lease's state unknown: read it again
				log.debug("Could not release the lease {}/{} (attempt {}: {}); trying again", settings.namespace(),
						settings.name(), attempt, failure);
			}
			try {
				Thread.sleep(Math.min(200, Math.max(1, settings.retryPeriod().toMillis() / 4)));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		log.warn("Could not release the lease {}/{} ({}); another instance takes over when it expires",
				settings.namespace(), settings.name(), failure);
	}

	private V1Lease read(Duration timeout) throws ApiException {
		return execute(leases.readNamespacedLease(settings.name(), settings.namespace()).buildCall(null), timeout);
	}

	/**
	 * Runs one request of the start-up check, bounded by the renew deadline. Unlike the campaign's, it goes through
	 * the client's retries and rate limit: nothing depends on when it ends, and a throttled check is better retried
	 * than skipped.
	 */
	private V1Lease executeChecking(Call call) throws ApiException {
		call.timeout().timeout(settings.renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
		return client.<V1Lease>execute(call, V1Lease.class).getData();
	}

	/**
	 * Runs one request of the campaign bounded by {@code timeout}, whatever the client's own timeouts, retries and
	 * limits are.
	 */
	private V1Lease execute(Call call, Duration timeout) throws ApiException {
		Call bounded = withoutWaits(client.getHttpClient()).newCall(call.request());
		bounded.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
		return client.<V1Lease>execute(bounded, V1Lease.class).getData();
	}

	/**
	 * The client without the interceptors that sleep before sending: the retries of 429s after their Retry-After
	 * and the client-side rate limit. Their sleeps ignore the call's timeout, so a renewal could outlast the renew
	 * deadline (a 429 with {@code Retry-After: 1} costs a second) while another instance, seeing the Lease expire,
	 * takes it: two leaders at once. The elector retries by itself every retry period, and its few requests need no
	 * rate limit (controller-runtime gives leader election a client of its own for the same reason).
	 */
	private static OkHttpClient withoutWaits(OkHttpClient http) {
		if (http.interceptors().stream().noneMatch(LeaderElector::waits)) {
			return http;
		}
		OkHttpClient.Builder builder = http.newBuilder();
		builder.interceptors().removeIf(LeaderElector::waits);
		return builder.build();
	}

	private static boolean waits(Interceptor interceptor) {
		return interceptor instanceof RequestRetries || interceptor instanceof ClientRateLimit;
	}

	private void logFailure(String verb, ApiException e) {
		String cause = (e.getCode() == 0) ? String.valueOf(e.getMessage()) : "HTTP " + e.getCode();
		if (e.getCode() == 403) {
			log.warn("Cannot {} the lease {}/{}: forbidden. Give the application this RBAC rule in namespace {}:"
					+ " apiGroups: [\"coordination.k8s.io\"], resources: [\"leases\"], verbs: [\"get\", \"create\","
					+ " \"update\"]", verb, settings.namespace(), settings.name(), settings.namespace());
		} else {
			log.debug("Could not {} the lease {}/{}: {}", verb, settings.namespace(), settings.name(), cause);
		}
	}

	private static Duration jittered(Duration period) {
		// client-go's jitter factor 1.2: candidates spread their attempts.
		return Duration.ofMillis((long) (period.toMillis() * (1 + 1.2 * ThreadLocalRandom.current().nextDouble())));
	}

	private static void sleep(Duration duration) throws InterruptedException {
		Thread.sleep(Math.max(1, duration.toMillis()));
	}

	private static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	private static int nullToZero(@Nullable Integer value) {
		return (value == null) ? 0 : value;
	}
}
