package io.github.kubecontroller.runtime.shard;

import io.github.kubecontroller.runtime.client.ApiFailure;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the objects of the application's controllers among its live instances: the objects fall into a fixed
 * number of {@link Shards shards} by a stable hash of their keys, each shard is held through a Lease
 * ({@code <name>-shard-<i>}), and each instance reconciles only the objects of the shards it holds. Every instance
 * still watches and caches every object: sharding splits the reconciles and the writes they make, not the memory
 * of the caches, and an instance that gains a shard starts on it with a warm cache at once.
 *
 * <p>Every retry period, on a thread of its own, the coordinator
 * <ol>
 * <li>renews its member Lease ({@code <name>-member-<hash of identity>}), so that the others count it;</li>
 * <li>renews each shard Lease it holds from the Lease it last wrote (one request, no read), each request bounded
 *     by the time left before the nearest renew deadline;</li>
 * <li>lists the group's Leases (one request, by label) and works out the live members, those whose member Lease
 *     changed within its duration as seen on this instance's clock, and its fair share: with the members sorted
 *     by identity, {@code shards / members} each and one more for the first {@code shards % members};</li>
 * <li>below its share, takes free shards (released, or not renewed for the lease duration as seen here), lowest
 *     index first from a starting point given by its identity so that instances do not all race for one; above it,
 *     gives the excess up: it stops taking the shard's keys, waits for their reconciles in flight to end (up to the
 *     renew deadline, then interrupts them), and only then releases the Lease.</li>
 * </ol>
 * Closing it stops taking keys, releases the shards whose reconciles have ended and deletes the member Lease, so
 * that the others rebalance at once.
 *
 * <p>Each shard, as this instance sees it:
 * <pre>
 * FREE --Lease written (created or updated)--> HELD --above the share--> RELEASING --no reconcile left, released--> FREE
 * HELD, RELEASING --no renewal within the renew deadline, or taken by another--> DRAINING --no reconcile left--> FREE
 * </pre>
 *
 * <p>No object is reconciled by two instances at once, also while shards move, because:
 * <ul>
 * <li>an instance takes a shard's keys only after its write of the shard's Lease succeeded; writes carry the
 *     resourceVersion they were based on, so of two instances taking one shard only one succeeds;</li>
 * <li>it stops taking them at the renew deadline, counted from when its last successful write was <em>sent</em>
 *     (workers check that deadline themselves for every key, whatever the coordinator's thread is doing), and
 *     interrupts the reconciles still running half-way between the renew deadline and the lease duration;</li>
 * <li>another instance takes the shard only when it has seen the Lease unchanged for the lease duration on its
 *     own clock, counted from when it first saw the last renewal, which was after that renewal was sent; or when
 *     the Lease was released, which its holder does only after the shard's reconciles ended.</li>
 * </ul>
 * The clocks of two instances are never compared, except that a Lease whose renewal is older than two lease
 * durations by this instance's clock is free at the first look (a clock skew of more than one lease duration
 * breaks that shortcut). What is assumed is that clocks run at about the same rate, and that a reconciler ends
 * when interrupted; one that ignores the interrupt keeps its shard from being released (voluntary moves wait for
 * it) but not from expiring, as with leader election.
 */
public final class ShardCoordinator implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ShardCoordinator.class);

	/** A shard's {@code heldUntil} when its keys are not taken. */
	private static final long NOT_TAKEN = Long.MIN_VALUE;

	/** How often closing looks whether the reconciles of the held shards have ended. */
	private static final Duration IDLE_POLL = Duration.ofMillis(10);

	/** Where one shard stands for this instance. */
	enum State {
		/** Not held here; another instance may hold it. */
		FREE,
		/** Held: its keys are reconciled here. */
		HELD,
		/** Held, being given up: its keys are no longer taken; released once its reconciles have ended. */
		RELEASING,
		/** Lost (not renewed in time, or taken by another): its reconciles in flight are ending. */
		DRAINING
	}

	private final ShardingSettings settings;
	private final Shards shards;
	private final List<Controller<?>> controllers;
	private final ShardLeases leases;
	private final String memberLease;
	private final Shard[] table;
	// The time (System.nanoTime) until which each shard's keys are taken; NOT_TAKEN when they are not. Workers read
	// it for every key, so that a shard whose renewals fail is no longer worked on at its deadline even while the
	// coordinator's thread waits on a request.
	private final AtomicLongArray heldUntil;
	private final Thread thread;
	private final AtomicLong acquired = new AtomicLong();
	private final AtomicLong released = new AtomicLong();
	private final AtomicLong lost = new AtomicLong();

	private volatile List<String> members = List.of();
	private volatile boolean closing;
	private volatile boolean abandoned;

	// Owned by the coordinator's thread.
	private @Nullable V1Lease memberWritten;
	private final Map<String, Observed> observedMembers = new HashMap<>();
	// When the first Lease held by another instance expires as seen here, if nothing renews it (System.nanoTime),
	// or null. A round runs then instead of up to a retry period later: a dead instance's shards move that much
	// sooner. Only a Lease that stopped changing comes due before the next round anyway.
	private @Nullable Long nextExpiry;
	private String lastSummary = "";

	/**
	 * A coordinator for these controllers, which it gates at once: until it holds shards they reconcile nothing.
	 * Start it with {@link #start()} once their caches have synced.
	 */
	public ShardCoordinator(ApiClient client, ShardingSettings settings, List<? extends Controller<?>> controllers) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.shards = new Shards(settings.shards());
		this.controllers = List.copyOf(controllers);
		this.leases = new ShardLeases(Objects.requireNonNull(client, "client"), settings.namespace(), settings.name());
		this.memberLease = settings.name() + "-member-" + String.format("%08x", Shards.fnv1a(settings.identity()));
		this.table = new Shard[settings.shards()];
		this.heldUntil = new AtomicLongArray(settings.shards());
		for (int i = 0; i < table.length; i++) {
			table[i] = new Shard(i, settings.name() + "-shard-" + i);
			heldUntil.set(i, NOT_TAKEN);
		}
		this.thread = new Thread(this::run, "kube-shard-coordinator-" + settings.name());
		this.thread.setDaemon(true);
		this.controllers.forEach(controller -> controller.gate(this::takes));
	}

	/**
	 * Checks that this instance may list, create, update and delete its Leases, with a list and dry-run requests
	 * that change nothing. Meant for start-up, so that missing RBAC fails it with the rule to add instead of
	 * leaving an instance that never works.
	 *
	 * @throws ShardingException when a request is forbidden, naming the rule
	 */
	public void checkAccess() {
		try {
			leases.checkAccess(memberLease, settings.renewDeadline());
		} catch (ApiException e) {
			log.warn("Could not check access to the Leases of {} in {} ({}); sharding anyway", settings.name(),
					settings.namespace(), describe(e));
		}
	}

	/** Starts taking part. */
	public void start() {
		thread.start();
	}

	/** Whether this instance reconciles the object with this key now: it holds the key's shard. */
	public boolean takes(ObjectKey key) {
		long until = heldUntil.get(shards.of(key));
		return until != NOT_TAKEN && System.nanoTime() - until < 0;
	}

	/** The indexes of the shards this instance holds and works on now, in order. */
	public List<Integer> heldShards() {
		List<Integer> held = new ArrayList<>();
		for (Shard shard : table) {
			if (shard.state == State.HELD) {
				held.add(shard.index);
			}
		}
		return held;
	}

	/** The identities of the live instances as last seen, this one included, sorted. */
	public List<String> members() {
		return members;
	}

	/** How many times this instance took a shard. */
	public long acquired() {
		return acquired.get();
	}

	/** How many times this instance gave a shard up on purpose (rebalancing, closing). */
	public long released() {
		return released.get();
	}

	/** How many times this instance lost a shard: not renewed within the renew deadline, or taken by another. */
	public long lost() {
		return lost.get();
	}

	/** Where shard {@code index} stands for this instance. */
	State state(int index) {
		return table[index].state;
	}

	/** The hash that assigns objects to shards. */
	public Shards shards() {
		return shards;
	}

	public ShardingSettings settings() {
		return settings;
	}

	/**
	 * Stops: no shard's keys are taken any more; the held shards whose reconciles end within the renew deadline
	 * (interrupted past it) are released and the member Lease is deleted, so that the others take over at once.
	 * Stop the controllers first to let their reconciles drain within their own grace period.
	 */
	@Override
	public void close() {
		closing = true;
		thread.interrupt();
		join();
	}

	/**
	 * Stops the coordinator's thread as if the instance had died: nothing is released, the held shards expire.
	 * For tests.
	 */
	void abandon() {
		abandoned = true;
		closing = true;
		thread.interrupt();
		join();
		log.info("Sharding of {}: {} stopped without releasing its shards {}; they expire", settings.name(),
				settings.identity(), heldShards());
	}

	private void join() {
		try {
			thread.join(settings.leaseDuration().plus(settings.retryPeriod().multipliedBy(table.length + 2L))
					.toMillis());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		long nextRound = System.nanoTime();
		try {
			while (!closing) {
				handleDeadlines();
				if (System.nanoTime() - nextRound >= 0) {
					nextRound = System.nanoTime() + settings.retryPeriod().toNanos();
					try {
						round();
					} catch (RuntimeException e) {
						// A Lease this code did not expect, say: the deadlines are still kept, the next round may do.
						log.warn("Sharding of {}: a round failed", settings.name(), e);
					}
					Long expiry = nextExpiry;
					if (expiry != null && expiry - System.nanoTime() > 0 && expiry - nextRound < 0) {
						nextRound = expiry + 1_000_000; // just after it, so that it is expired when the round looks
					}
				}
				long sleep = Math.min(nextRound - System.nanoTime(), nanosToNextDeadline());
				Thread.sleep(Math.max(1, sleep / 1_000_000));
			}
		} catch (InterruptedException e) {
			// close()
		} finally {
			// close() interrupts the thread to cut a sleep or a request short; the releases must still be sent.
			Thread.interrupted();
			if (!abandoned) {
				leave();
			}
			members = List.of();
		}
	}

	/** One round: renew, look at the group, rebalance. */
	private void round() {
		renewMember();
		for (Shard shard : table) {
			if (closing) {
				return; // an interrupted thread's requests all fail: leave the Leases as they were written
			}
			if (shard.state == State.HELD || shard.state == State.RELEASING) {
				handleDeadlines();
				renew(shard);
			}
		}
		handleDeadlines();
		if (closing) {
			return;
		}
		List<V1Lease> group;
		Duration budget = budget(settings.retryPeriod().multipliedBy(2));
		if (budget.isZero()) {
			return;
		}
		try {
			group = leases.list(budget);
		} catch (ApiException e) {
			log.debug("Could not list the Leases of {}: {}", settings.name(), describe(e));
			return;
		}
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		List<String> live = liveMembers(group, now, wallNow);
		Map<Integer, V1Lease> shardLeases = new HashMap<>();
		for (V1Lease lease : group) {
			int index = shardIndex(lease);
			if (index >= 0) {
				shardLeases.put(index, lease);
				observe(table[index], lease, now);
			}
		}
		noticeTakenByOthers(shardLeases);
		int share = share(live);
		rebalance(share, shardLeases, now, wallNow);
		summarise(share, live);
		nextExpiry = nextExpiry(group);
	}

	/** When the first Lease another instance holds expires as seen here, if it is not renewed before; or null. */
	private @Nullable Long nextExpiry(List<V1Lease> group) {
		Long first = null;
		for (V1Lease lease : group) {
			V1LeaseSpec spec = lease.getSpec();
			String holder = (spec == null) ? null : blankToNull(spec.getHolderIdentity());
			if (holder == null || holder.equals(settings.identity())) {
				continue;
			}
			int index = shardIndex(lease);
			Observed observed = (index >= 0) ? table[index].observed
					: observedMembers.get(lease.getMetadata().getName());
			if (observed == null) {
				continue;
			}
			long expiry = observed.since() + Duration.ofSeconds(leaseSeconds(spec)).toNanos();
			if (first == null || expiry - first < 0) {
				first = expiry;
			}
		}
		return first;
	}

	/** The live members, sorted, this one included; also published for {@link #members()}. */
	private List<String> liveMembers(List<V1Lease> group, long now, Instant wallNow) {
		TreeSet<String> live = new TreeSet<>();
		live.add(settings.identity());
		Map<String, Observed> seen = new HashMap<>();
		for (V1Lease lease : group) {
			if (!"member".equals(label(lease, ShardLeases.ROLE_LABEL))) {
				continue;
			}
			String name = lease.getMetadata().getName();
			if (memberLease.equals(name) && memberWritten == null && lease.getSpec() != null) {
				// This instance's own Lease, left from an earlier term: renew it from here next round.
				lease.getSpec().holderIdentity(settings.identity());
				memberWritten = lease;
				continue;
			}
			V1LeaseSpec spec = lease.getSpec();
			String holder = (spec == null) ? null : blankToNull(spec.getHolderIdentity());
			Observed observed = Observed.next(observedMembers.get(name), lease, now);
			seen.put(name, observed);
			if (holder != null && !expired(observed, spec, now, wallNow)) {
				live.add(holder);
			}
		}
		observedMembers.clear();
		observedMembers.putAll(seen);
		List<String> sorted = List.copyOf(live);
		members = sorted;
		return sorted;
	}

	/** This instance's fair share of the shards among the live members. */
	private int share(List<String> live) {
		int position = live.indexOf(settings.identity());
		int base = table.length / live.size();
		return base + ((position < table.length % live.size()) ? 1 : 0);
	}

	private void rebalance(int share, Map<Integer, V1Lease> shardLeases, long now, Instant wallNow) {
		int held = count(State.HELD);
		// Above the share: give up the shards furthest from this instance's starting point, which another instance
		// is the likelier to prefer.
		for (int step = table.length - 1; step >= 0 && held > share; step--) {
			Shard shard = table[rotated(step)];
			if (shard.state == State.HELD) {
				startReleasing(shard, "this instance holds " + held + " shards, above its share of " + share
						+ " among " + members.size() + " instances");
				held--;
			}
		}
		for (Shard shard : table) {
			if (shard.state == State.RELEASING) {
				finishReleasing(shard);
			}
		}
		for (int step = 0; step < table.length && held < share && !closing; step++) {
			Shard shard = table[rotated(step)];
			if (shard.state != State.FREE) {
				continue;
			}
			V1Lease lease = shardLeases.get(shard.index);
			String reason = freeBecause(shard, lease, now, wallNow);
			if (reason != null && acquire(shard, lease, reason)) {
				held++;
			}
		}
	}

	/** Why the shard may be taken now, or null when another instance holds it. */
	private @Nullable String freeBecause(Shard shard, @Nullable V1Lease lease, long now, Instant wallNow) {
		if (lease == null) {
			return "its Lease did not exist";
		}
		V1LeaseSpec spec = lease.getSpec();
		String holder = (spec == null) ? null : blankToNull(spec.getHolderIdentity());
		if (holder == null) {
			return "it was released";
		}
		if (holder.equals(settings.identity())) {
			return "its Lease still names this instance";
		}
		if (shard.observed != null && expired(shard.observed, spec, now, wallNow)) {
			return "its holder " + holder + " did not renew it for " + leaseSeconds(spec) + " s";
		}
		return null;
	}

	private int rotated(int step) {
		return Integer.remainderUnsigned(Shards.fnv1a(settings.identity()) + step, table.length);
	}

	private boolean acquire(Shard shard, @Nullable V1Lease listed, String reason) {
		Duration budget = budget(settings.retryPeriod().multipliedBy(2));
		if (budget.isZero()) {
			return false;
		}
		Instant wallNow = Instant.now();
		OffsetDateTime time = time(wallNow);
		long sent = System.nanoTime();
		try {
			V1Lease written;
			if (listed == null) {
				written = leases.create(new V1Lease().metadata(leases.metadata(shard.leaseName, "shard"))
						.spec(new V1LeaseSpec().holderIdentity(settings.identity()).leaseDurationSeconds(leaseSeconds())
								.acquireTime(time).renewTime(time).leaseTransitions(0)), budget);
			} else {
				V1LeaseSpec spec = (listed.getSpec() != null) ? listed.getSpec() : new V1LeaseSpec();
				spec.holderIdentity(settings.identity()).leaseDurationSeconds(leaseSeconds()).acquireTime(time)
						.renewTime(time).leaseTransitions(nullToZero(spec.getLeaseTransitions()) + 1);
				written = leases.replace(listed.spec(spec), budget);
			}
			shard.written(written, sent);
			shard.state = State.HELD;
			// Only now, after the write succeeded, are the shard's keys taken.
			heldUntil.set(shard.index, sent + settings.renewDeadline().toNanos());
		} catch (ApiException e) {
			if (e.getCode() != 409) { // 409: another instance wrote the Lease since it was listed
				logFailure("take", shard.leaseName, e);
			}
			return false;
		}
		acquired.incrementAndGet();
		int queued = 0;
		for (Controller<?> controller : controllers) {
			queued += controller.requeueCached(inShard(shard.index));
		}
		log.info("Took shard {} of {} ({}): {}; queued its {} objects", shard.index, settings.name(), shard.leaseName,
				reason, queued);
		return true;
	}

	private void renew(Shard shard) {
		V1Lease lease = shard.lastWritten;
		if (lease == null || lease.getSpec() == null) {
			return; // a conflict: the next list gives a fresh copy, or shows who holds the shard
		}
		Duration left = Duration.ofNanos(shard.deadline() - System.nanoTime());
		Duration budget = budget(left);
		if (budget.isZero()) {
			return;
		}
		lease.getSpec().renewTime(time(Instant.now())).leaseDurationSeconds(leaseSeconds());
		long sent = System.nanoTime();
		try {
			shard.written(leases.replace(lease, budget), sent);
			if (shard.state == State.HELD) {
				heldUntil.set(shard.index, sent + settings.renewDeadline().toNanos());
			}
		} catch (ApiException e) {
			if (e.getCode() != 429) {
				// A conflict, or a write that may have been applied: renew from the next list's copy.
				shard.lastWritten = null;
			}
			if (e.getCode() != 409) {
				logFailure("renew", shard.leaseName, e);
			}
		}
	}

	/** Shards this instance holds whose Lease names another holder: it lost them (it could not renew in time). */
	private void noticeTakenByOthers(Map<Integer, V1Lease> shardLeases) {
		for (Shard shard : table) {
			if (shard.state != State.HELD && shard.state != State.RELEASING) {
				continue;
			}
			V1Lease lease = shardLeases.get(shard.index);
			String holder = (lease == null || lease.getSpec() == null) ? null
					: blankToNull(lease.getSpec().getHolderIdentity());
			if (holder != null && holder.equals(settings.identity())) {
				if (shard.lastWritten == null) {
					shard.lastWritten = lease; // renew from the Lease as it is now, after a conflict
				}
				continue;
			}
			lose(shard, "its Lease is now held by " + (holder == null ? "nobody" : holder),
					System.nanoTime());
		}
	}

	private void startReleasing(Shard shard, String reason) {
		heldUntil.set(shard.index, NOT_TAKEN);
		shard.state = State.RELEASING;
		shard.releasingSince = System.nanoTime();
		shard.interrupted = false;
		shard.reason = reason;
	}

	/** Releases a shard being given up once its reconciles have ended; interrupts them past the renew deadline. */
	private void finishReleasing(Shard shard) {
		if (reconciling(shard.index)) {
			if (!shard.interrupted
					&& System.nanoTime() - shard.releasingSince >= settings.renewDeadline().toNanos()) {
				log.warn("Shard {} of {}: reconciles still running {} ms after it stopped taking keys: interrupting",
						shard.index, settings.name(), settings.renewDeadline().toMillis());
				interrupt(shard.index);
				shard.interrupted = true;
			}
			return;
		}
		if (release(shard, budget(settings.retryPeriod()))) {
			released.incrementAndGet();
			log.info("Released shard {} of {}: {}", shard.index, settings.name(), shard.reason);
		}
	}

	/** Gives the Lease up: no holder and a one-second duration, as client-go releases a lease. */
	private boolean release(Shard shard, Duration budget) {
		V1Lease lease = shard.lastWritten;
		if (lease == null || lease.getSpec() == null || budget.isZero()) {
			return false;
		}
		lease.getSpec().holderIdentity(null).leaseDurationSeconds(1).renewTime(time(Instant.now()));
		try {
			leases.replace(lease, budget);
			shard.state = State.FREE;
			shard.lastWritten = null;
			return true;
		} catch (ApiException e) {
			shard.lastWritten = null;
			if (e.getCode() != 409) {
				logFailure("release", shard.leaseName, e);
			}
			return false;
		}
	}

	/**
	 * Acts on the deadlines that have passed: a held shard not renewed within the renew deadline is lost, and the
	 * reconciles of a lost shard still running half-way to the lease duration are interrupted.
	 */
	private void handleDeadlines() {
		long now = System.nanoTime();
		for (Shard shard : table) {
			if ((shard.state == State.HELD || shard.state == State.RELEASING) && now - shard.deadline() >= 0) {
				lose(shard, "no renewal succeeded within " + settings.renewDeadline().toMillis() + " ms", now);
			}
			if (shard.state == State.DRAINING) {
				if (!reconciling(shard.index)) {
					shard.state = State.FREE;
				} else if (!shard.interrupted && now - shard.interruptAt >= 0) {
					log.warn("Shard {} of {}: reconciles still running after it was lost: interrupting", shard.index,
							settings.name());
					interrupt(shard.index);
					shard.interrupted = true;
				}
			}
		}
	}

	private void lose(Shard shard, String reason, long now) {
		heldUntil.set(shard.index, NOT_TAKEN);
		lost.incrementAndGet();
		// The holder stops at the renew deadline and nobody else starts before the lease duration: the reconciles
		// in flight get half of that margin, counted from the deadline.
		Duration margin = settings.leaseDuration().minus(settings.renewDeadline());
		shard.interruptAt = Math.min(now, shard.deadline()) + margin.dividedBy(2).toNanos();
		shard.interrupted = false;
		shard.lastWritten = null;
		shard.state = reconciling(shard.index) ? State.DRAINING : State.FREE;
		log.warn("Lost shard {} of {}: {}; its keys are no longer reconciled here", shard.index, settings.name(),
				reason);
	}

	/** How long until the next deadline {@link #handleDeadlines()} acts on; long when there is none. */
	private long nanosToNextDeadline() {
		long now = System.nanoTime();
		long next = Long.MAX_VALUE;
		for (Shard shard : table) {
			if (shard.state == State.HELD || shard.state == State.RELEASING) {
				next = Math.min(next, shard.deadline() - now);
			} else if (shard.state == State.DRAINING) {
				if (!shard.interrupted) { // once interrupted, each round looks whether its reconciles have ended
					next = Math.min(next, shard.interruptAt - now);
				}
			}
		}
		return next;
	}

	/**
	 * {@code natural} cut to the time left before the next deadline, so that no request keeps the coordinator from
	 * acting on it; zero when there is no time left (skip the request).
	 */
	private Duration budget(Duration natural) {
		long nanos = Math.min(natural.toNanos(), nanosToNextDeadline());
		return (nanos < 1_000_000) ? Duration.ZERO : Duration.ofNanos(nanos);
	}

	private void renewMember() {
		Duration budget = budget(settings.retryPeriod().multipliedBy(2));
		if (budget.isZero()) {
			return;
		}
		OffsetDateTime time = time(Instant.now());
		try {
			V1Lease lease = memberWritten;
			if (lease == null || lease.getSpec() == null) {
				lease = new V1Lease().metadata(leases.metadata(memberLease, "member"))
						.spec(new V1LeaseSpec().holderIdentity(settings.identity()).leaseDurationSeconds(leaseSeconds())
								.acquireTime(time).renewTime(time));
				memberWritten = leases.create(lease, budget);
			} else {
				lease.getSpec().renewTime(time).leaseDurationSeconds(leaseSeconds());
				memberWritten = leases.replace(lease, budget);
			}
		} catch (ApiException e) {
			memberWritten = null; // 409 on create: it exists from an earlier term; written from the list next round
			if (e.getCode() != 409) {
				logFailure("renew", memberLease, e);
			}
		}
	}

	/** Closing: stop taking keys, release what has ended, delete the member Lease. */
	private void leave() {
		for (int i = 0; i < table.length; i++) {
			heldUntil.set(i, NOT_TAKEN);
		}
		List<Shard> held = new ArrayList<>();
		long deadline = Long.MAX_VALUE;
		for (Shard shard : table) {
			if (shard.state == State.HELD || shard.state == State.RELEASING) {
				held.add(shard);
				deadline = Math.min(deadline, shard.deadline());
			}
		}
		awaitIdle(held, deadline);
		List<Shard> running = held.stream().filter(shard -> reconciling(shard.index)).toList();
		if (!running.isEmpty()) {
			log.warn("Sharding of {}: reconciles of shards {} still running when closing: interrupting", settings.name(),
					running.stream().map(shard -> shard.index).toList());
			running.forEach(shard -> interrupt(shard.index));
			awaitIdle(running, System.nanoTime()
					+ settings.leaseDuration().minus(settings.renewDeadline()).dividedBy(2).toNanos());
		}
		refreshUnknownLeases(held);
		List<Integer> releasedNow = new ArrayList<>();
		// Releasing is a courtesy that saves the others the lease duration: it must not hold the shutdown up for
		// long when the API server does not answer.
		long releaseDeadline = System.nanoTime() + settings.renewDeadline().toNanos();
		for (Shard shard : held) {
			long left = releaseDeadline - System.nanoTime();
			Duration budget = Duration.ofNanos(Math.max(0, Math.min(left, settings.retryPeriod().toNanos())));
			// A shard whose reconciles ignore the interrupt is left to expire: nobody may start beside them.
			if (!reconciling(shard.index) && budget.toMillis() >= 1 && release(shard, budget)) {
				released.incrementAndGet();
				releasedNow.add(shard.index);
			}
			shard.state = State.FREE;
		}
		try {
			leases.delete(memberLease, settings.retryPeriod());
		} catch (ApiException e) {
			if (e.getCode() != 404) {
				log.debug("Could not delete the member Lease {}: {}", memberLease, describe(e));
			}
		}
		log.info("Left the sharding of {} as {}: released shards {}", settings.name(), settings.identity(),
				releasedNow);
	}

	/** Reads the Leases of held shards whose last write had no clear outcome, so that they can be released. */
	private void refreshUnknownLeases(List<Shard> held) {
		if (held.stream().allMatch(shard -> shard.lastWritten != null)) {
			return;
		}
		try {
			for (V1Lease lease : leases.list(settings.retryPeriod())) {
				int index = shardIndex(lease);
				if (index >= 0 && table[index].lastWritten == null && lease.getSpec() != null
						&& settings.identity().equals(lease.getSpec().getHolderIdentity())) {
					table[index].lastWritten = lease;
				}
			}
		} catch (ApiException e) {
			log.debug("Could not list the Leases of {} to release them: {}", settings.name(), describe(e));
		}
	}

	private void awaitIdle(List<Shard> shardsToWatch, long deadline) {
		while (shardsToWatch.stream().anyMatch(shard -> reconciling(shard.index))
				&& System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(IDLE_POLL.toMillis());
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void summarise(int share, List<String> live) {
		String summary = "holds shards " + heldShards() + " (share " + share + " of " + table.length + ") among "
				+ live.size() + " instances " + live;
		if (!summary.equals(lastSummary)) {
			lastSummary = summary;
			log.info("Sharding of {}: {} {}", settings.name(), settings.identity(), summary);
		}
	}

	private Predicate<ObjectKey> inShard(int index) {
		return key -> shards.of(key) == index;
	}

	private boolean reconciling(int index) {
		Predicate<ObjectKey> keys = inShard(index);
		return controllers.stream().anyMatch(controller -> controller.reconciling(keys));
	}

	private void interrupt(int index) {
		Predicate<ObjectKey> keys = inShard(index);
		controllers.forEach(controller -> controller.interruptReconciles(keys));
	}

	private int count(State state) {
		int count = 0;
		for (Shard shard : table) {
			if (shard.state == state) {
				count++;
			}
		}
		return count;
	}

	private int shardIndex(V1Lease lease) {
		if (!"shard".equals(label(lease, ShardLeases.ROLE_LABEL))) {
			return -1;
		}
		String prefix = settings.name() + "-shard-";
		String name = lease.getMetadata().getName();
		if (name == null || !name.startsWith(prefix)) {
			return -1;
		}
		try {
			int index = Integer.parseInt(name.substring(prefix.length()));
			return (index >= 0 && index < table.length) ? index : -1;
		} catch (NumberFormatException e) {
			return -1;
		}
	}

	private void observe(Shard shard, V1Lease lease, long now) {
		shard.observed = Observed.next(shard.observed, lease, now);
	}

	/**
	 * Whether a Lease is expired as seen here: unchanged for its duration since this instance first saw its last
	 * renewal, or, at the first look, renewed more than two durations ago by this instance's clock.
	 */
	private boolean expired(Observed observed, @Nullable V1LeaseSpec spec, long now, Instant wallNow) {
		int seconds = leaseSeconds(spec);
		if (now - observed.since() >= Duration.ofSeconds(seconds).toNanos()) {
			return true;
		}
		OffsetDateTime renewed = (spec == null) ? null : spec.getRenewTime();
		return renewed != null && renewed.toInstant().plusSeconds(2L * seconds).isBefore(wallNow);
	}

	private int leaseSeconds(@Nullable V1LeaseSpec spec) {
		return (spec != null && spec.getLeaseDurationSeconds() != null) ? spec.getLeaseDurationSeconds()
				: leaseSeconds();
	}

	private int leaseSeconds() {
		return (int) settings.leaseDuration().toSeconds();
	}

	private void logFailure(String verb, String lease, ApiException e) {
		if (e.getCode() == 403) {
			log.warn("Cannot {} the Lease {}/{}: forbidden. Give the application this RBAC rule in namespace {}: {}",
					verb, settings.namespace(), lease, settings.namespace(), ShardLeases.RULE);
		} else if (e.getCode() == 400 || e.getCode() == 422) {
			log.warn("Cannot {} the Lease {}/{}: the API server rejects it ({})", verb, settings.namespace(), lease,
					ApiFailure.summary(e));
		} else {
			log.debug("Could not {} the Lease {}/{}: {}", verb, settings.namespace(), lease, describe(e));
		}
	}

	private static String describe(ApiException e) {
		return (e.getCode() == 0) ? String.valueOf(e.getMessage()) : "HTTP " + e.getCode();
	}

	private static @Nullable String label(V1Lease lease, String label) {
		Map<String, String> labels = (lease.getMetadata() == null) ? null : lease.getMetadata().getLabels();
		return (labels == null) ? null : labels.get(label);
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

	@Override
	public String toString() {
		return "ShardCoordinator[" + settings.name() + ", " + settings.identity() + ", holds " + heldShards() + "]";
	}

	/** When this instance first saw a Lease's current record (holder and renewal), on System.nanoTime. */
	private record Observed(String record, long since) {

		static Observed next(@Nullable Observed previous, V1Lease lease, long now) {
			V1LeaseSpec spec = lease.getSpec();
			String record = (spec == null) ? "" : spec.getHolderIdentity() + "|" + spec.getRenewTime();
			return (previous != null && previous.record().equals(record)) ? previous : new Observed(record, now);
		}
	}

	/** One shard as this instance sees it; written on the coordinator's thread, its state read by any. */
	private final class Shard {

		final int index;
		final String leaseName;
		volatile State state = State.FREE;
		@Nullable V1Lease lastWritten;
		// When the last successful write of the Lease was sent: the renew deadline counts from there, not from the
		// response, because the others count the lease duration from when they see the write.
		long lastWriteSent;
		long releasingSince;
		long interruptAt;
		boolean interrupted;
		String reason = "";
		@Nullable Observed observed;

		Shard(int index, String leaseName) {
			this.index = index;
			this.leaseName = leaseName;
		}

		void written(V1Lease lease, long sent) {
			lastWritten = lease;
			lastWriteSent = sent;
		}

		long deadline() {
			return lastWriteSent + settings.renewDeadline().toNanos();
		}
	}
}
