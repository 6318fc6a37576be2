package io.github.kubecontroller.autoconfigure.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.google.gson.Gson;
import io.github.kubecontroller.autoconfigure.leader.OperatorInstance.InstanceFigures;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.Outage;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.controller.Widget;
import io.github.kubecontroller.runtime.controller.WidgetCrd;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three instances of one operator with leader election reconcile 1,000 changing Widgets on one API server that cuts
 * watches every few seconds, compacts its history, throttles a fifth of the writes and goes away for a few seconds,
 * while the leader is killed and replaced and the replacement's token is rotated under it. In the end every
 * Widget's status has caught up, no Widget was ever reconciled by two instances at once, every fault shows in the
 * instances' metrics, and closing the instances gives their threads and heap back. The same faults run again with
 * sharding: three instances split the Widgets, one is killed mid-run and a new one takes its part.
 */
class ChaosSoakTest {

	static final String NAMESPACE = "chaos";

	private static final Logger log = LoggerFactory.getLogger(ChaosSoakTest.class);

	private static final int WIDGETS = 1000;
	/**
	 * The size of each Widget's {@code spec.content}: 8 KB makes each instance's cache hold about 10 MB, so that an
	 * instance whose heap is not given back when it closes cannot hide within {@link #HEAP_TOLERANCE}.
	 */
	private static final int CONTENT_BYTES = 8192;
	private static final int CHANGES_PER_SECOND = 50;
	private static final Duration WATCH_CLOSE_PERIOD = Duration.ofSeconds(3);
	private static final Duration MIN_OUTAGE = Duration.ofSeconds(3);
	private static final Duration DEADLINE = Duration.ofSeconds(30);
	// A watch's retry delay grows while failures come less than two minutes apart, as client-go's does, up to 30 s
	// plus a quarter of jitter: in a longer soak, whose rounds of faults come faster than that, a watch may wait so
	// long before it opens again and meets 410 Gone.
	private static final Duration RELIST_DEADLINE = Duration.ofSeconds(50);
	/** The token file is read again a minute after it was last read (client-java's refresh period), plus slack. */
	private static final Duration TOKEN_REFRESH_DEADLINE = Duration.ofSeconds(90);
	private static final Duration CONVERGENCE_DEADLINE = Duration.ofSeconds(60);

	/**
	 * Heap that may stay in use after every instance has closed: 10 MB. What stays is library state that the first
	 * instance created and that lives as long as the JVM: Spring's reflection and annotation caches, client-java's
	 * JSON type adapters, OkHttp's shared task runner, many of them softly referenced, which {@code System.gc()}
	 * does not clear. It does not grow with the number of instances and measures 4 to 5 MB here. The cache of one
	 * instance alone holds about 10 MB (1,000 Widgets of 8 KB): keeping just that one informer reachable after the
	 * close measured 14 MB beyond the baseline, so one instance not given back fails the check.
	 */
	private static final long HEAP_TOLERANCE = 10L * 1024 * 1024;
	/**
	 * Threads that may be left beyond the baseline: 2, for threads the JVM starts on its own (an attach listener,
	 * a process reaper). None of the runtime's may be left, and the threads of OkHttp's task runner are not
	 * counted: a pool shared by every client of the JVM, whose idle threads live a minute, however many clients
	 * were closed.
	 */
	private static final int THREAD_TOLERANCE = 2;
	/** Rounds of chaos in each run: one in the build, more for a longer soak ({@code -Dchaos.rounds}). */
	private static final int ROUNDS = Integer.getInteger("chaos.rounds", 1);

	private static final String ADMIN_TOKEN = "admin-token";
	private static final String ROTATED_USER = "operator-d-rotated";

	@TempDir
	Path tokens;

	/** How the instances share the work. */
	private enum Mode {
		LEADER_ELECTION, SHARDING
	}

	private Mode mode;
	private KubeApiEmulator emulator;
	private WidgetLoad load;
	private ScheduledExecutorService chaos;
	private final ReconcileRecorder recorder = new ReconcileRecorder();
	private final List<OperatorInstance> live = new CopyOnWriteArrayList<>();
	/** The last figures of every instance that ever ran, by identity, in start order. */
	private final Map<String, InstanceFigures> figures = new LinkedHashMap<>();

	/**
	 * The faults make reconciles fail by the hundred (every object in flight during the outage, for one), each
	 * logged at WARN, with a stack trace the first time: quiet while the test runs, so that its output stays
	 * readable. Reconciles that give up still log at ERROR.
	 */
	private final ch.qos.logback.classic.Logger reconcileLog = (ch.qos.logback.classic.Logger) LoggerFactory
			.getLogger("io.github.kubecontroller.runtime.controller.ResourceReconciler");
	private Level reconcileLogLevel;

	@BeforeEach
	void quietReconcileFailures() {
		reconcileLogLevel = reconcileLog.getLevel();
		reconcileLog.setLevel(Level.ERROR);
	}

	@AfterEach
	void stopEverything() throws InterruptedException {
		try {
			if (load != null) {
				load.close();
			}
			if (chaos != null) {
				chaos.shutdownNow();
			}
			live.forEach(OperatorInstance::close);
			live.clear();
			if (emulator != null) {
				emulator.stop();
			}
		} finally {
			reconcileLog.setLevel(reconcileLogLevel);
		}
	}

	@Test
	void onlyOneInstanceReconcilesAtATimeAndAllConvergeThroughFaults() throws Exception {
		long testStart = System.nanoTime();
		mode = Mode.LEADER_ELECTION;
		ApiClient admin = startEmulatorWithWidgets();
		List<String> names = widgetNames();
		CustomObjectsApi widgets = new CustomObjectsApi(admin);
		JvmFootprint baseline = JvmFootprint.measure();
		long setUp = System.nanoTime() - testStart;

		// Three instances, each with a token of its own; one of them leads.
		startTogether(List.of("a", "b", "c"));
		awaitOneLeader();

		long chaosStart = System.nanoTime();
		AtomicInteger watchCloses = new AtomicInteger();
		Fault throttling = startLoadAndLastingFaults(admin, names, watchCloses);

		// Outage: connections refused until every instance has lost the Lease and a few seconds have passed. It
		// comes first because the leader's reconciles that fail meanwhile are retried through the work queue's
		// shared token bucket (10 per second): up to 100 s later for 1,000 failures, which the rest of the test
		// gives time to pay off.
		log.info("Chaos: API server outage at {} s", seconds(testStart));
		Map<String, Long> errorsBefore = new LinkedHashMap<>();
		live.forEach(instance -> errorsBefore.put(instance.identity(), instance.figures().connectionErrors()));
		long outageStart = System.nanoTime();
		emulator.outage(Outage.REFUSE_CONNECTIONS);
		await("every instance fails to connect and stops leading").atMost(DEADLINE)
				.until(() -> System.nanoTime() - outageStart >= MIN_OUTAGE.toNanos() && live.stream()
						.allMatch(instance -> !instance.leads()
								&& instance.figures().connectionErrors() > errorsBefore.get(instance.identity())));
		emulator.restart();
		Duration outage = Duration.ofNanos(System.nanoTime() - outageStart);
		OperatorInstance leaderAfterOutage = awaitOneLeader();

		// History compacted: every instance's next watch meets 410 Gone and relists.
		log.info("Chaos: history compacted at {} s", seconds(testStart));
		compactHistoryWhileWatchesAreDown();

		// The leader, once throttled, is killed, and a new instance starts in its place with a token file.
		OperatorInstance killed = awaitOneLeader();
		await("the leader is throttled").atMost(DEADLINE).until(() -> killed.figures().throttled() > 0);
		log.info("Chaos: leader {} killed at {} s", killed.identity(), seconds(testStart));
		// Its figures are read first: the informer meters let go of their informers once the context is closed.
		figures.put(killed.identity(), killed.figures());
		live.remove(killed);
		killed.kill();
		Path tokenFile = tokens.resolve("token");
		writeToken(tokenFile, "token-d");
		emulator.accessControl().token("token-d", "operator-d").allow("operator-d", AccessRule.all());
		live.add(OperatorInstance.start("d", recorder, properties("kube.controller.client.token-file=" + tokenFile)));
		OperatorInstance successor = awaitOneLeader();
		InstanceFigures successorAtHandover = successor.figures();

		// Token rotation begins: the file gets a new token; the API server accepts both until the old is revoked.
		log.info("Chaos: token of d rotated at {} s", seconds(testStart));
		writeToken(tokenFile, "token-d-rotated");
		emulator.accessControl().token("token-d-rotated", ROTATED_USER).allow(ROTATED_USER, AccessRule.all());

		// History compacted again, so that the new instance relists too.
		log.info("Chaos: history compacted at {} s", seconds(testStart));
		compactHistoryWhileWatchesAreDown();

		// The token file is read again within a minute of the last read; then the old token is revoked, and the
		// instance goes on (its watches, cut every few seconds, open again with the new token).
		await("the rotated token is in use").atMost(TOKEN_REFRESH_DEADLINE)
				.until(() -> emulator.audit().count(key -> key.user().equals(ROTATED_USER)) > 0);
		log.info("Chaos: old token of d revoked at {} s", seconds(testStart));
		emulator.accessControl().revoke("token-d");
		long rotatedWatches = rotatedWatches();
		await("the instance watches with the rotated token").atMost(DEADLINE)
				.until(() -> rotatedWatches() > rotatedWatches);

		// A longer soak (-Dchaos.rounds) repeats the outage, a compaction, a killed leader replaced, a compaction.
		for (int round = 2; round <= ROUNDS; round++) {
			log.info("Chaos: round {}: API server outage at {} s", round, seconds(testStart));
			Map<String, Long> errors = new LinkedHashMap<>();
			live.forEach(instance -> errors.put(instance.identity(), instance.figures().connectionErrors()));
			long start = System.nanoTime();
			emulator.outage(Outage.REFUSE_CONNECTIONS);
			await("every instance fails to connect and stops leading").atMost(DEADLINE)
					.until(() -> System.nanoTime() - start >= MIN_OUTAGE.toNanos() && live.stream()
							.allMatch(instance -> !instance.leads()
									&& instance.figures().connectionErrors() > errors.get(instance.identity())));
			emulator.restart();
			awaitOneLeader();
			compactHistoryWhileWatchesAreDown();
			OperatorInstance leader = awaitOneLeader();
			log.info("Chaos: leader {} killed at {} s", leader.identity(), seconds(testStart));
			figures.put(leader.identity(), leader.figures());
			live.remove(leader);
			leader.kill();
			String identity = "e" + round;
			live.add(OperatorInstance.start(identity, recorder, properties(bearerToken(identity))));
			awaitOneLeader();
			compactHistoryWhileWatchesAreDown(); // the newcomer relists too
		}

		// The load stops and the faults end; every Widget's status catches up.
		load.close();
		chaos.shutdown();
		assertThat(chaos.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		emulator.faults().clear();
		long chaosEnd = System.nanoTime();
		log.info("Chaos: load and faults ended at {} s", seconds(testStart));
		await("every Widget's status has caught up").atMost(CONVERGENCE_DEADLINE).pollInterval(Duration.ofMillis(500))
				.until(() -> lagging(widgets) == 0);
		Duration convergence = Duration.ofNanos(System.nanoTime() - chaosEnd);
		OperatorInstance finalLeader = awaitOneLeader();

		// No Widget was ever reconciled twice at once, by two instances or by one.
		List<ReconcileRecorder.Overlap> overlaps = recorder.overlaps();
		assertThat(overlaps.stream().limit(10).map(ReconcileRecorder.Overlap::toString).toList())
				.as("reconciles of one Widget that overlapped (%d in all; the first ones)", overlaps.size()).isEmpty();

		// Every fault shows in the metrics.
		live.forEach(instance -> figures.put(instance.identity(), instance.figures()));
		assertThat(figures.get(killed.identity()).transitions()).as("the killed instance had led").isPositive();
		assertThat(successorAtHandover.transitions()).as("its successor took the Lease").isPositive();
		assertThat(figures.values()).allSatisfy(instance -> {
			assertThat(instance.watchRestarts()).as(instance.identity() + " watch restarts").isPositive();
			assertThat(instance.expiredRelists()).as(instance.identity() + " relists after 410").isPositive();
			assertThat(instance.unauthorized()).as(instance.identity() + " 401s").isZero();
		});
		errorsBefore.forEach((identity, before) -> assertThat(figures.get(identity).connectionErrors())
				.as(identity + " <error> requests during the outage").isGreaterThan(before));
		assertThat(figures.get(killed.identity()).throttled()).as("429s of the killed leader").isPositive();
		long transitions = figures.values().stream().mapToLong(InstanceFigures::transitions).sum();
		assertThat(transitions).as("leaderships: the first, after the outage, after the kill").isGreaterThanOrEqualTo(3);
		assertThat(live).filteredOn(instance -> instance.figures().leading() == 1).containsExactly(finalLeader);
		assertThat(emulator.audit().count(key -> key.code() == 401)).as("requests with a revoked token").isZero();

		// Closing the instances gives back their threads and heap.
		JvmFootprint running = JvmFootprint.measure();
		live.forEach(OperatorInstance::close);
		live.clear();
		// The API server's memory is no instance's: its history goes, and stopping it closes its connections, each
		// of which keeps a write buffer as large as the largest response it sent (a list of every Widget). Its
		// Widgets stay, as they were in the baseline.
		emulator.compactHistory();
		emulator.stop();
		JvmFootprint after = awaitFootprintBackTo(baseline, running);

		log.info("""
				Chaos soak summary:
				  {} Widgets, {} spec changes ({} throttled, {} refused) in {} s of chaos; {} reconciles, none overlapping
				  faults: {} watch closes, {} history compactions, {} writes answered 429, {} outage(s), the first of {} ms,
				    leader {} killed and replaced by d (then {} more killed and replaced), token of d rotated
				  leaderships: {} (then {} after the outage, {} after the kill, {} at the end)
				  convergence after the chaos: {} ms; set-up {} s; whole test {} s
				  footprint: baseline {} threads, {}; running {} threads, {}; closed {} threads ({} beyond the baseline:
				    {}), {}
				  {}""", WIDGETS, load.changes(), load.throttled(), load.failed(), (chaosEnd - chaosStart) / 1_000_000_000,
				recorder.size(), watchCloses.get(), 2 * ROUNDS, throttling.triggered(), ROUNDS, outage.toMillis(),
				killed.identity(), ROUNDS - 1, transitions, leaderAfterOutage.identity(), successor.identity(), finalLeader.identity(),
				convergence.toMillis(), setUp / 1_000_000_000, seconds(testStart), baseline.threads(),
				JvmFootprint.megabytes(baseline.heapBytes()), running.threads(),
				JvmFootprint.megabytes(running.heapBytes()), after.threads(), after.threadsBeyond(baseline).size(),
				after.threadsBeyond(baseline), JvmFootprint.megabytes(after.heapBytes()),
				String.join("\n  ", figures.values().stream().map(InstanceFigures::toString).toList()));
	}

	/**
	 * The same faults with sharding, minus the token rotation (the leader election run covers it, and it waits a
	 * minute for the token file to be read again): three instances split the Widgets; the outage makes every one
	 * lose its shards; one, once throttled, is killed and a new one takes its part.
	 */
	@Test
	void shardedInstancesSplitTheWidgetsAndAllConvergeThroughFaults() throws Exception {
		long testStart = System.nanoTime();
		mode = Mode.SHARDING;
		ApiClient admin = startEmulatorWithWidgets();
		List<String> names = widgetNames();
		CustomObjectsApi widgets = new CustomObjectsApi(admin);
		JvmFootprint baseline = JvmFootprint.measure();
		long setUp = System.nanoTime() - testStart;

		startTogether(List.of("a", "b", "c"));
		awaitShardsSplit();

		long chaosStart = System.nanoTime();
		AtomicInteger watchCloses = new AtomicInteger();
		Fault throttling = startLoadAndLastingFaults(admin, names, watchCloses);

		// The chaos below is one round; the build runs one, a longer soak more (-Dchaos.rounds, see the benchmarks'
		// README). Each round: an outage, a compaction, an instance killed and a new one started, a compaction.
		Map<String, Long> errorsBefore = new LinkedHashMap<>();
		List<OperatorInstance> killedInstances = new ArrayList<>();
		Duration outage = Duration.ZERO;
		for (int round = 1; round <= ROUNDS; round++) {
			// Outage: until every instance has lost every shard and a few seconds have passed.
			log.info("Chaos: round {}: API server outage at {} s", round, seconds(testStart));
			errorsBefore.clear();
			live.forEach(instance -> errorsBefore.put(instance.identity(), instance.figures().connectionErrors()));
			long outageStart = System.nanoTime();
			emulator.outage(Outage.REFUSE_CONNECTIONS);
			await("every instance fails to connect and loses its shards").atMost(DEADLINE)
					.until(() -> System.nanoTime() - outageStart >= MIN_OUTAGE.toNanos() && live.stream()
							.allMatch(instance -> instance.heldShards().isEmpty()
									&& instance.figures().connectionErrors() > errorsBefore.get(instance.identity())));
			emulator.restart();
			outage = Duration.ofNanos(System.nanoTime() - outageStart);
			awaitShardsSplit();

			log.info("Chaos: history compacted at {} s", seconds(testStart));
			compactHistoryWhileWatchesAreDown();

			// One instance, once throttled, is killed mid-run; a new one starts and gets its share.
			OperatorInstance killed = live.get(0);
			await("an instance is throttled").atMost(DEADLINE).until(() -> killed.figures().throttled() > 0);
			log.info("Chaos: instance {} holding shards {} killed at {} s", killed.identity(), killed.heldShards(),
					seconds(testStart));
			figures.put(killed.identity(), killed.figures());
			killedInstances.add(killed);
			live.remove(killed);
			killed.kill();
			awaitShardsSplit();
			String identity = (round == 1) ? "d" : "d" + round;
			live.add(OperatorInstance.start(identity, recorder, properties(bearerToken(identity))));
			OperatorInstance newcomer = live.get(live.size() - 1);
			awaitShardsSplit();
			log.info("Chaos: instance {} holds shards {} at {} s", identity, newcomer.heldShards(), seconds(testStart));

			log.info("Chaos: history compacted at {} s", seconds(testStart));
			compactHistoryWhileWatchesAreDown();
		}
		load.close();
		chaos.shutdown();
		assertThat(chaos.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		emulator.faults().clear();
		long chaosEnd = System.nanoTime();
		log.info("Chaos: load and faults ended at {} s", seconds(testStart));
		await("every Widget's status has caught up").atMost(CONVERGENCE_DEADLINE).pollInterval(Duration.ofMillis(500))
				.until(() -> lagging(widgets) == 0);
		Duration convergence = Duration.ofNanos(System.nanoTime() - chaosEnd);
		awaitShardsSplit();

		List<ReconcileRecorder.Overlap> overlaps = recorder.overlaps();
		assertThat(overlaps.stream().limit(10).map(ReconcileRecorder.Overlap::toString).toList())
				.as("reconciles of one Widget that overlapped (%d in all; the first ones)", overlaps.size()).isEmpty();

		live.forEach(instance -> figures.put(instance.identity(), instance.figures()));
		assertThat(figures.values()).allSatisfy(instance -> {
			assertThat(instance.watchRestarts()).as(instance.identity() + " watch restarts").isPositive();
			assertThat(instance.expiredRelists()).as(instance.identity() + " relists after 410").isPositive();
			assertThat(instance.unauthorized()).as(instance.identity() + " 401s").isZero();
			assertThat(instance.shardsAcquired()).as(instance.identity() + " shards taken").isPositive();
			assertThat(instance.reconciles()).as(instance.identity() + " reconciles").isPositive();
		});
		errorsBefore.forEach((identity, before) -> assertThat(figures.get(identity).connectionErrors())
				.as(identity + " <error> requests during the outage").isGreaterThan(before));
		errorsBefore.keySet().forEach(identity -> assertThat(figures.get(identity).shardsLost())
				.as(identity + " shards lost in the outage").isPositive());
		killedInstances.forEach(instance -> assertThat(figures.get(instance.identity()).throttled())
				.as("429s of the killed instance " + instance.identity()).isPositive());

		JvmFootprint running = JvmFootprint.measure();
		live.forEach(OperatorInstance::close);
		live.clear();
		emulator.compactHistory();
		emulator.stop();
		JvmFootprint after = awaitFootprintBackTo(baseline, running);

		log.info("""
				Sharded chaos soak summary:
				  {} Widgets, {} spec changes ({} throttled, {} refused) in {} s of chaos; {} reconciles, none overlapping
				  faults: {} watch closes, {} history compactions, {} writes answered 429, {} outage(s), the last of {} ms,
				    instances {} killed, as many started
				  convergence after the chaos: {} ms; set-up {} s; whole test {} s
				  footprint: baseline {} threads, {}; running {} threads, {}; closed {} threads, {}
				  {}""", WIDGETS, load.changes(), load.throttled(), load.failed(), (chaosEnd - chaosStart) / 1_000_000_000,
				recorder.size(), watchCloses.get(), 2 * ROUNDS, throttling.triggered(), ROUNDS, outage.toMillis(),
				killedInstances.stream().map(OperatorInstance::identity).toList(), convergence.toMillis(), setUp / 1_000_000_000, seconds(testStart), baseline.threads(),
				JvmFootprint.megabytes(baseline.heapBytes()), running.threads(),
				JvmFootprint.megabytes(running.heapBytes()), after.threads(), JvmFootprint.megabytes(after.heapBytes()),
				String.join("\n  ", figures.values().stream().map(InstanceFigures::toString).toList()));
	}

	/**
	 * Starts the load on the Widgets and the faults that last the whole run: every watch closed every few seconds
	 * (counted in {@code watchCloses}) and 20 % of writes answered 429; returns the 429 fault.
	 */
	private Fault startLoadAndLastingFaults(ApiClient admin, List<String> names, AtomicInteger watchCloses) {
		load = new WidgetLoad(admin, NAMESPACE, names, CHANGES_PER_SECOND);
		load.start();
		chaos = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "chaos"));
		chaos.scheduleAtFixedRate(() -> {
			emulator.closeAllWatches();
			watchCloses.incrementAndGet();
		}, WATCH_CLOSE_PERIOD.toMillis(), WATCH_CLOSE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
		Fault throttling = Fault.matching(RequestMatch.any().writes()).tooManyRequests(Duration.ofSeconds(1))
				.probability(0.2).build();
		emulator.faults().add(throttling);
		return throttling;
	}

	/**
	 * Waits until the live instances hold every shard between them, each its fair share (16 shards: within one of
	 * each other) and no shard twice.
	 */
	private void awaitShardsSplit() {
		await("the live instances split the shards").atMost(DEADLINE).until(() -> {
			List<List<Integer>> held = live.stream().map(OperatorInstance::heldShards).toList();
			int total = held.stream().mapToInt(List::size).sum();
			long distinct = held.stream().flatMap(List::stream).distinct().count();
			int min = held.stream().mapToInt(List::size).min().orElse(0);
			int max = held.stream().mapToInt(List::size).max().orElse(0);
			return total == 16 && distinct == 16 && max - min <= 1;
		});
	}

	private ApiClient startEmulatorWithWidgets() throws Exception {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.accessControl().enable().token(ADMIN_TOKEN, "admin").allow("admin", AccessRule.all());
		ApiClient admin = new ClientBuilder().setBasePath(emulator.baseUrl())
				.setAuthentication(new AccessTokenAuthentication(ADMIN_TOKEN)).setReadTimeout(Duration.ofSeconds(10))
				.build();
		WidgetCrd.install(admin);
		new CoreV1Api(admin).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NAMESPACE)))
				.execute();
		create(new CustomObjectsApi(admin), widgetNames());
		return admin;
	}

	private static List<String> widgetNames() {
		return IntStream.range(0, WIDGETS).mapToObj(i -> String.format("widget-%04d", i)).toList();
	}

	/** Waits until the threads and heap are back to the baseline, and returns the footprint then. */
	private static JvmFootprint awaitFootprintBackTo(JvmFootprint baseline, JvmFootprint running) {
		JvmFootprint[] after = { running };
		await("threads and heap back to the baseline").atMost(DEADLINE).pollInSameThread()
				.pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
					after[0] = JvmFootprint.measure();
					assertThat(after[0].threadNames()).as("threads of the runtime left")
							.noneMatch(ChaosSoakTest::runtimeThread);
					assertThat(after[0].threadsBeyond(baseline)).as("threads beyond the baseline")
							.filteredOn(name -> !name.startsWith("OkHttp TaskRunner"))
							.hasSizeLessThanOrEqualTo(THREAD_TOLERANCE);
					assertThat(after[0].heapBytes() - baseline.heapBytes())
							.as("heap beyond the baseline of %s (%s with the instances running)",
									JvmFootprint.megabytes(baseline.heapBytes()),
									JvmFootprint.megabytes(running.heapBytes()))
							.isLessThanOrEqualTo(HEAP_TOLERANCE);
				});

		return after[0];
	}

	private static long seconds(long since) {
		return (System.nanoTime() - since) / 1_000_000_000;
	}

	/** Starts instances at once, each with a token of its own, and returns when every one has synced. */
	private void startTogether(List<String> identities) throws Exception {
		ExecutorService starters = Executors.newFixedThreadPool(identities.size());
		try {
			List<Future<OperatorInstance>> starting = new ArrayList<>();
			for (String identity : identities) {
				List<String> properties = properties(bearerToken(identity));
				starting.add(starters.submit(() -> OperatorInstance.start(identity, recorder, properties)));
			}
			Exception failure = null;
			for (Future<OperatorInstance> instance : starting) {
				try {
					live.add(instance.get()); // every instance that started is closed after the test
				} catch (ExecutionException e) {
					failure = e;
				}
			}
			if (failure != null) {
				throw failure;
			}
		} finally {
			starters.shutdown();
			assertThat(starters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	/** Creates the Widgets four at a time: creating them is the slowest part of the set-up on a busy machine. */
	private static void create(CustomObjectsApi widgets, List<String> names) throws Exception {
		ExecutorService creators = Executors.newFixedThreadPool(4);
		try {
			List<Future<Object>> created = new ArrayList<>();
			for (String name : names) {
				created.add(creators.submit(() -> widgets.createNamespacedCustomObject("test.kubecontroller.io", "v1",
						NAMESPACE, "widgets", Widget.named(NAMESPACE, name, content("initial"))).execute()));
			}
			for (Future<Object> widget : created) {
				widget.get();
			}
		} finally {
			creators.shutdown();
			assertThat(creators.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	/** Content of {@link #CONTENT_BYTES}, beginning with {@code label}. */
	static String content(String label) {
		return label + " " + "x".repeat(CONTENT_BYTES - label.length() - 1);
	}

	/** The runtime's own threads: workers, reconciles, informers, the elector, stand-by and stop helpers. */
	private static boolean runtimeThread(String name) {
		return name.startsWith("kube-controller-") || name.startsWith("kube-informer-")
				|| name.startsWith("kube-leader-election-") || name.startsWith("kube-shard-coordinator-");
	}

	private List<String> properties(String credential) {
		String coordination = (mode == Mode.SHARDING) ? "kube.controller.sharding." : "kube.controller.leader-election.";
		return List.of("spring.application.name=chaos-operator",
				"kube.controller.client.master-url=" + emulator.baseUrl(), credential,
				coordination + "enabled=true",
				coordination + "lease-namespace=" + NAMESPACE,
				coordination + "lease-duration=2s",
				coordination + "renew-deadline=1500ms",
				coordination + "retry-period=200ms",
				"kube.controller.shutdown-grace-period=5s");
	}

	/** A token of its own for instance {@code identity}, whose user may do anything. */
	private String bearerToken(String identity) {
		String token = "token-" + identity;
		String user = "operator-" + identity;
		emulator.accessControl().token(token, user).allow(user, AccessRule.all());
		return "kube.controller.client.token=" + token;
	}

	private static void writeToken(Path file, String token) throws Exception {
		// Replaced in one move, as the kubelet swaps a projected token: a reader never sees half a token.
		Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), token);
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private OperatorInstance awaitOneLeader() {
		List<OperatorInstance> leaders = new ArrayList<>();
		await("one instance leads").atMost(DEADLINE).until(() -> {
			leaders.clear();
			live.stream().filter(OperatorInstance::leads).forEach(leaders::add);
			return leaders.size() == 1;
		});
		return leaders.get(0);
	}

	/**
	 * Compacts the history while every watch is down, so that each instance resumes from a resourceVersion that is
	 * gone and relists. A watch that had seen the latest change would resume from the compacted revision itself,
	 * which is still served; so the watches are cut and kept from opening again (503) until the load has changed a
	 * Widget they cannot have seen, and the history is compacted past it.
	 */
	private void compactHistoryWhileWatchesAreDown() {
		Map<String, Long> before = new LinkedHashMap<>();
		live.forEach(instance -> before.put(instance.identity(), instance.figures().expiredRelists()));
		Fault noWatches = emulator.faults().add(Fault.matching(RequestMatch.any().verbs("watch")
				.resource("test.kubecontroller.io", "widgets")).status(503).build());
		try {
			// Twice: a watch request that passed the fault check just before the fault was added may register
			// after the first close; by the second, every request since has met the fault.
			for (int pass = 1; pass <= 2; pass++) {
				emulator.closeAllWatches();
				long cut = emulator.resourceVersion(); // no watch can have seen a later change
				await("a change the watches miss").atMost(DEADLINE).until(() -> emulator.resourceVersion() > cut);
			}
			emulator.compactHistory();
		} finally {
			emulator.faults().remove(noWatches);
		}
		await("every instance relists after 410 Gone").atMost(RELIST_DEADLINE).untilAsserted(() -> assertThat(live.stream()
				.filter(instance -> instance.figures().expiredRelists() <= before.get(instance.identity()))
				.map(OperatorInstance::identity).toList()).as("instances yet to relist").isEmpty());
	}

	private long rotatedWatches() {
		return emulator.audit().count(key -> key.verb().equals("watch") && key.user().equals(ROTATED_USER)
				&& key.code() == 200);
	}

	/** How many Widgets have a status that does not (yet) observe their generation. */
	private static long lagging(CustomObjectsApi widgets) throws Exception {
		Object list = widgets.listNamespacedCustomObject("test.kubecontroller.io", "v1", NAMESPACE, "widgets")
				.execute();
		Gson gson = widgets.getApiClient().getJSON().getGson();
		List<Widget> items = new ArrayList<>();
		gson.toJsonTree(list).getAsJsonObject().getAsJsonArray("items")
				.forEach(item -> items.add(gson.fromJson(item, Widget.class)));
		assertThat(items).hasSize(WIDGETS);
		return items.stream().filter(widget -> widget.getStatus() == null
				|| !Objects.equals(widget.getStatus().observedGeneration, widget.getMetadata().getGeneration()))
				.count();
	}
}
