package io.github.kubecontroller.autoconfigure.endpoint;

import io.github.kubecontroller.autoconfigure.KubeControllers;
import io.github.kubecontroller.runtime.controller.Controller;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.diagnostics.HotLoopDetector;
import io.github.kubecontroller.runtime.diagnostics.HotLoopSuspect;
import io.github.kubecontroller.runtime.diagnostics.RecentError;
import io.github.kubecontroller.runtime.diagnostics.RecentErrors;
import io.github.kubecontroller.runtime.diagnostics.ReconcileCounts;
import io.github.kubecontroller.runtime.diagnostics.RunningReconciles;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizer;
import io.github.kubecontroller.runtime.diagnostics.StuckFinalizers;
import io.github.kubecontroller.runtime.informer.Informer;
import io.github.kubecontroller.runtime.informer.WatchHealth;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.github.kubecontroller.runtime.queue.WorkQueue;
import io.github.kubecontroller.runtime.resource.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/kubecontrollers}: every controller at a glance, and {@code /actuator/kubecontrollers/{name}} one
 * controller in detail: its resource and settings, queue, running reconciles, recent errors, watches, hot-loop
 * suspects and deletions stuck on its finalizer. Reconciles are counted since start: two reads tell a rate.
 * Objects are named, never shown: no contents leave the cache.
 * A POST to {@code /actuator/kubecontrollers/{name}} with {@code namespace} and {@code object} queues that object
 * for a reconcile when {@code management.endpoint.kubecontrollers.requeue.enabled=true}.
 */
@Endpoint(id = "kubecontrollers")
public class KubeControllersEndpoint {

	private final KubeControllers controllers;
	private final RecentErrors errors;
	private final RunningReconciles running;
	private final HotLoopDetector hotLoops;
	private final StuckFinalizers stuckFinalizers;
	private final ReconcileCounts counts;
	private final boolean requeueEnabled;

	public KubeControllersEndpoint(KubeControllers controllers, RecentErrors errors, RunningReconciles running,
			HotLoopDetector hotLoops, StuckFinalizers stuckFinalizers, ReconcileCounts counts,
			boolean requeueEnabled) {
		this.controllers = controllers;
		this.errors = errors;
		this.running = running;
		this.hotLoops = hotLoops;
		this.stuckFinalizers = stuckFinalizers;
		this.counts = counts;
		this.requeueEnabled = requeueEnabled;
	}

	/** Every controller at a glance. */
	@ReadOperation
	public ControllersDescriptor controllers() {
		Map<String, ControllerSummary> summaries = new LinkedHashMap<>();
		for (Controller<?> controller : controllers.controllers()) {
			String name = controller.spec().name();
			WorkQueue.Stats queue = controller.queueStats();
			ResourceType type = controller.primaryType();
			ReconcileCounts.Counts reconciles = counts.of(name);
			summaries.put(name, new ControllerSummary(controller.state().name(), type == null ? null : type.kind(),
					controller.cachesSynced(), queue.depth(), queue.inFlight(), reconciles.reconciles(),
					reconciles.failed(), errors.failingObjects(name), hotLoops.suspects(name).size(),
					stuckFinalizers.count(controller)));
		}
		LeaderElectionDescriptor election = controllers.leaderElection()
			.map(elector -> new LeaderElectionDescriptor(
					elector.settings().namespace() + "/" + elector.settings().name(), elector.settings().identity(),
					elector.role().name(), elector.leader(), elector.transitions()))
			.orElse(null);
		ShardingDescriptor sharding = controllers.sharding()
			.map(coordinator -> new ShardingDescriptor(coordinator.settings().namespace() + "/"
					+ coordinator.settings().name(), coordinator.settings().identity(),
					coordinator.settings().shards(), coordinator.heldShards(), coordinator.members(),
					new ShardMoves(coordinator.acquired(), coordinator.released(), coordinator.lost())))
			.orElse(null);
		return new ControllersDescriptor(summaries, election, sharding);
	}

	/** One controller in detail, or null (404) when there is none of that name. */
	@ReadOperation
	public @Nullable ControllerDescriptor controller(@Selector String name) {
		return controllers.controller(name).map(this::describe).orElse(null);
	}

	/**
	 * Queues one object of the controller for a reconcile now, when enabled.
	 *
	 * @param name the controller
	 * @param namespace the object's namespace; omit it for cluster-scoped objects
	 * @param object the object's name
	 */
	@WriteOperation
	public RequeueAnswer requeue(@Selector String name, @Nullable String namespace, String object) {
		if (!requeueEnabled) {
			return new RequeueAnswer(false, "Requeue through this endpoint is disabled; enable it with"
					+ " management.endpoint.kubecontrollers.requeue.enabled=true");
		}
		Controller<?> controller = controllers.controller(name).orElse(null);
		if (controller == null) {
			return new RequeueAnswer(false, "There is no controller named '" + name + "'");
		}
		if (controller.state() != Controller.State.RUNNING) {
			return new RequeueAnswer(false, "Controller '" + name + "' is " + controller.state());
		}
		ObjectKey key = new ObjectKey(namespace, object);
		controller.requeue(key);
		return new RequeueAnswer(true, "Queued " + key + " for a reconcile by controller '" + name + "'");
	}

	private ControllerDescriptor describe(Controller<?> controller) {
		ControllerSpec<?> spec = controller.spec();
		String name = spec.name();
		ResourceType type = controller.primaryType();
		WorkQueue.Stats stats = controller.queueStats();
		QueueDescriptor queue = new QueueDescriptor(stats.depth(), stats.delayed(), stats.inFlight(), stats.adds(),
				stats.retries(), stats.longestRunning().toMillis());
		ReconcileCounts.Counts reconciles = counts.of(name);
		return new ControllerDescriptor(name,
				type == null ? null : new ResourceDescriptor(type.group(), type.version(), type.kind(), type.plural(),
						type.namespaced()),
				spec.namespaces().stream().sorted().toList(), spec.labelSelector(), spec.fieldSelector(),
				spec.concurrency(), spec.finalizer(), controller.state().name(), controller.cachesSynced(),
				reconciles.reconciles(), reconciles.failed(), queue,
				runningNow(controller), errors.errors(name).stream().map(this::describe).toList(),
				controller.informers().stream().map(informer -> describe(informer, type)).toList(),
				hotLoops.suspects(name).stream().map(KubeControllersEndpoint::describe).toList(),
				stuckFinalizers.find(controller).stream().map(this::describe).toList());
	}

	private List<RunningReconcile> runningNow(Controller<?> controller) {
		String name = controller.spec().name();
		Instant now = Instant.now();
		List<RunningReconcile> result = new ArrayList<>();
		// The queue knows what runs now; the observer adds why. A reconcile that outlived its timeout runs on
		// without a known reason.
		controller.reconcilesInFlight().forEach((key, since) -> {
			RunningReconciles.Running known = running.of(name, key);
			result.add(new RunningReconcile(key.toString(), since.toString(),
					Duration.between(since, now).toMillis(), known == null ? null : known.reason().description()));
		});
		result.sort(Comparator.comparing(RunningReconcile::since));
		return result;
	}

	private ErrorDescriptor describe(RecentError error) {
		return new ErrorDescriptor(error.key().toString(), error.message(), error.at().toString(), error.attempts(),
				error.reason().description(), text(error.nextRetryAt()));
	}

	private static InformerDescriptor describe(Informer<?> informer, @Nullable ResourceType primaryType) {
		WatchHealth health = informer.health();
		return new InformerDescriptor(informer.spec().toString(), informer.spec().type().equals(primaryType),
				informer.cacheMode().name(), informer.size(), informer.approximateBytes(), health.state().name(),
				text(health.since()), health.synced(), text(health.lastEvent()), text(health.lastRelist()),
				health.lastError(), text(health.lastErrorAt()), health.consecutiveFailures(), health.relists(),
				health.watchRestarts());
	}

	private static HotLoopDescriptor describe(HotLoopSuspect suspect) {
		return new HotLoopDescriptor(suspect.objectRef(), suspect.cause().name(), suspect.reconciles(),
				suspect.window().toSeconds(), suspect.fields(), suspect.since().toString(),
				suspect.lastSeen().toString());
	}

	private ErrorDescriptor describeError(@Nullable RecentError error) {
		return error == null ? null : describe(error);
	}

	private StuckFinalizerDescriptor describe(StuckFinalizer stuck) {
		return new StuckFinalizerDescriptor(stuck.objectRef(), stuck.finalizer(),
				stuck.deletionRequestedAt().toString(), stuck.waiting().toSeconds(), describeError(stuck.lastError()));
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return instant == null ? null : instant.toString();
	}

	/** Every controller by name, and the leader election or the sharding when it is on. */
	public record ControllersDescriptor(Map<String, ControllerSummary> controllers,
			@Nullable LeaderElectionDescriptor leaderElection, @Nullable ShardingDescriptor sharding) {
	}

	/**
	 * This instance in the sharding of the objects.
	 *
	 * @param leases the Leases' namespace and name prefix, as {@code namespace/name}
	 * @param identity this instance's identity
	 * @param shards how many shards the objects are split into
	 * @param held the indexes of the shards this instance holds and works on
	 * @param members the identities of the live instances as last seen, this one included
	 * @param moves how many shards this instance took, released and lost since it started
	 */
	public record ShardingDescriptor(String leases, String identity, int shards, List<Integer> held,
			List<String> members, ShardMoves moves) {
	}

	/**
	 * Shards that moved to or from this instance.
	 *
	 * @param acquired shards it took
	 * @param released shards it gave up to rebalance or when stopping
	 * @param lost shards it had to give up: not renewed within the renew deadline
	 */
	public record ShardMoves(long acquired, long released, long lost) {
	}

	/**
	 * This instance in the leader election.
	 *
	 * @param lease the Lease, as {@code namespace/name}
	 * @param identity this instance's identity
	 * @param role {@code LEADER}, {@code CANDIDATE} (standing by) or {@code STOPPED}
	 * @param leader the identity holding the Lease as last seen, or null
	 * @param transitions how many times this instance became the leader
	 */
	public record LeaderElectionDescriptor(String lease, String identity, String role, @Nullable String leader,
			long transitions) {
	}

	/**
	 * One controller at a glance.
	 *
	 * @param state the controller's state
	 * @param kind the primary kind, once resolved
	 * @param cachesSynced whether every cache it reads has synced
	 * @param queueDepth objects waiting for a worker
	 * @param reconcilesRunning objects being reconciled now
	 * @param reconciles reconciles finished since start
	 * @param failedReconciles those of them that failed
	 * @param failingObjects objects whose last reconcile failed
	 * @param hotLoopSuspects objects suspected of a hot loop now
	 * @param stuckFinalizers objects whose deletion waits for the finalizer too long
	 */
	public record ControllerSummary(String state, @Nullable String kind, boolean cachesSynced, int queueDepth,
			int reconcilesRunning, long reconciles, long failedReconciles, int failingObjects, int hotLoopSuspects,
			int stuckFinalizers) {
	}

	/**
	 * One controller in detail; times are ISO-8601 instants, {@code reconciles} and {@code failedReconciles} totals
	 * since start.
	 */
	public record ControllerDescriptor(String name, @Nullable ResourceDescriptor resource, List<String> namespaces,
			@Nullable String labelSelector, @Nullable String fieldSelector, int concurrency,
			@Nullable String finalizer, String state, boolean cachesSynced, long reconciles, long failedReconciles,
			QueueDescriptor queue,
			List<RunningReconcile> reconcilesRunning, List<ErrorDescriptor> recentErrors,
			List<InformerDescriptor> informers, List<HotLoopDescriptor> hotLoopSuspects,
			List<StuckFinalizerDescriptor> stuckFinalizers) {
	}

	/** The primary resource. */
	public record ResourceDescriptor(String group, String version, String kind, String plural, boolean namespaced) {
	}

	/** The work queue's counters; {@code retries} counts rate-limited adds after failures. */
	public record QueueDescriptor(int depth, int delayed, int inFlight, long adds, long retries,
			long longestRunningMillis) {
	}

	/** A reconcile running now; the reason is null when it is not known. */
	public record RunningReconcile(String object, String since, long runningMillis, @Nullable String reason) {
	}

	/** The last error of an object whose last reconcile failed; {@code nextRetryAt} is null when it gave up. */
	public record ErrorDescriptor(String object, String message, String at, int attempts, String reason,
			@Nullable String nextRetryAt) {
	}

	/** One watch and its cache; {@code primary} when it watches the controller's primary kind. */
	public record InformerDescriptor(String watch, boolean primary, String cache, int cachedObjects, long approximateBytes,
			String state, @Nullable String since, boolean synced, @Nullable String lastEvent,
			@Nullable String lastRelist, @Nullable String lastError, @Nullable String lastErrorAt,
			int consecutiveFailures, long relists, long restarts) {
	}

	/** An object reconciled over and over because of writes to it; values of the fields are never shown. */
	public record HotLoopDescriptor(String object, String cause, int reconciles, long windowSeconds,
			List<String> fields, String since, String lastSeen) {
	}

	/** An object whose deletion waits for the finalizer, with the last error of its cleanup. */
	public record StuckFinalizerDescriptor(String object, String finalizer, String deletionRequestedAt,
			long waitingSeconds, @Nullable ErrorDescriptor lastError) {
	}

	/** What the requeue operation did. */
	public record RequeueAnswer(boolean requeued, String message) {
	}
}
