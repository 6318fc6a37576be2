package io.github.kubecontroller.runtime.diagnostics;

import io.github.kubecontroller.runtime.controller.ControllerObserver;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ReconcileReason;
import io.github.kubecontroller.runtime.queue.ObjectKey;
import com.google.gson.JsonElement;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds objects a controller reconciles more than {@code threshold} times within a {@code window} because writes to
 * the object keep triggering it: its own writes (a status with a timestamp, an annotation that changes on every
 * pass), or its own and another writer's in turn, both setting the same field to their own value. Logs one WARN per
 * object and window naming the fields that keep changing (never their values) and the usual fix.
 *
 * <p>A reconcile is taken for one its own write caused only when every change of the object seen since the
 * previous reconcile began was this controller's own, and a loop on own writes only when such reconciles follow
 * one another: each one wrote again and so caused the next. An object that someone else keeps changing, and whose
 * status the controller writes after each change, is reconciled as often, but each reconcile follows the other
 * writer's change: not a loop of this controller.
 *
 * <p>Reconciles that repeat for other reasons, such as retries of a failing object or a requeue the reconciler asks
 * for, are not suspects: they are paced by backoff or by the reconciler itself.
 */
public final class HotLoopDetector implements ControllerObserver {

	/** Default number of reconciles of one object within the window above which it is a suspect. */
	public static final int DEFAULT_THRESHOLD = 10;

	/** Default window. */
	public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

	/** Objects remembered per controller; the ones reconciled longest ago are forgotten first. */
	static final int MAX_OBJECTS = 1000;

	/** Most frequently changing fields named in a warning. */
	private static final int MAX_FIELDS = 5;

	private static final Logger log = LoggerFactory.getLogger(HotLoopDetector.class);

	private final int threshold;
	private final Duration window;
	private final Clock clock;
	private final Consumer<String> warnings;
	private final Map<String, PerController> controllers = new ConcurrentHashMap<>();
	private final AtomicLong occurrences = new AtomicLong();
	private final Map<String, AtomicLong> occurrencesByController = new ConcurrentHashMap<>();

	/** Suspects objects reconciled more than {@link #DEFAULT_THRESHOLD} times within {@link #DEFAULT_WINDOW}. */
	public HotLoopDetector() {
		this(DEFAULT_THRESHOLD, DEFAULT_WINDOW, Clock.systemUTC());
	}

	/** Suspects objects reconciled more than {@code threshold} times within {@code window}. */
	public HotLoopDetector(int threshold, Duration window, Clock clock) {
		this(threshold, window, clock, log::warn);
	}

	HotLoopDetector(int threshold, Duration window, Clock clock, Consumer<String> warnings) {
		if (threshold < 1) {
			throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive, was " + window);
		}
		this.threshold = threshold;
		this.window = window;
		this.clock = Objects.requireNonNull(clock, "clock");
		this.warnings = warnings;
	}

	@Override
	public void reconcileStarted(ControllerSpec<?> spec, ObjectKey key, ReconcileReason reason) {
		Instant now = clock.instant();
		Warning warning = perController(spec).reconciled(key, reason, now);
		if (warning != null) {
			if (!warning.refinement()) {
				occurrences.incrementAndGet();
				occurrencesByController.computeIfAbsent(spec.name(), name -> new AtomicLong()).incrementAndGet();
			}
			warnings.accept(warning.text());
		}
	}

	@Override
	public void primaryChanged(ControllerSpec<?> spec, KubernetesObject oldObject, KubernetesObject newObject,
			boolean ownWrite) {
		if (newObject.getMetadata() == null || newObject.getMetadata().getName() == null) {
			return;
		}
		ObjectKey key = new ObjectKey(newObject.getMetadata().getNamespace(), newObject.getMetadata().getName());
		perController(spec).changed(key, oldObject, newObject, ownWrite, clock.instant());
	}

	/** A deleted object is no longer a suspect. */
	@Override
	public void primaryDeleted(ControllerSpec<?> spec, ObjectKey key) {
		PerController perController = controllers.get(spec.name());
		if (perController != null) {
			perController.forget(key);
		}
	}

	/** How many hot-loop warnings were logged since start, of every controller. */
	public long occurrences() {
		return occurrences.get();
	}

	/** How many hot-loop warnings one controller logged since start. */
	public long occurrences(String controller) {
		AtomicLong count = occurrencesByController.get(controller);
		return count == null ? 0 : count.get();
	}

	/** The objects of every controller suspected now, in a loop seen within the last window. */
	public List<HotLoopSuspect> suspects() {
		Instant now = clock.instant();
		List<HotLoopSuspect> result = new ArrayList<>();
		controllers.values().forEach(controller -> result.addAll(controller.suspects(now)));
		result.sort(Comparator.comparing(HotLoopSuspect::controller).thenComparing(HotLoopSuspect::since));
		return result;
	}

	/** The objects of one controller suspected now. */
	public List<HotLoopSuspect> suspects(String controller) {
		PerController state = controllers.get(controller);
		if (state == null) {
			return List.of();
		}
		List<HotLoopSuspect> result = new ArrayList<>(state.suspects(clock.instant()));
		result.sort(Comparator.comparing(HotLoopSuspect::since));
		return result;
	}

	private PerController perController(ControllerSpec<?> spec) {
		return controllers.computeIfAbsent(spec.name(), name -> new PerController(name, kindOf(spec)));
	}

	private static @Nullable String versionOf(KubernetesObject object) {
		return (object.getMetadata() != null) ? object.getMetadata().getResourceVersion() : null;
	}

	private static String kindOf(ControllerSpec<?> spec) {
		if (spec.primary().kind() != null) {
			return spec.primary().kind();
		}
		// Models are named after their kind with a version prefix: V1ConfigMap, V1beta1CronJob.
		return spec.primary().javaType().getSimpleName().replaceFirst("^V\\d+((alpha|beta)\\d+)?(?=[A-Z])", "");
	}

	/**
	 * One change of an object as the informer delivered it: whose, and the paths it changed with a hash of each new
	 * value (when computed).
	 */
	private record Change(Instant at, boolean own, Map<String, Integer> fields) {
	}

	/** What a reconcile followed. */
	private enum Trigger {
		/** Only changes this controller wrote itself. */
		OWN_WRITE,
		/** At least one change by someone else. */
		OTHER_WRITE,
		/** No change: the first reconcile, a retry, a requeue, a resync or a related object's event. */
		NO_CHANGE
	}

	/** One reconcile and what it followed. */
	private record Reconcile(Instant at, Trigger trigger) {
	}

	/** The recent reconciles and changes of one object, and whether it is suspected now. */
	private static final class History {

		final Deque<Reconcile> reconciles = new ArrayDeque<>();
		final Deque<Change> changes = new ArrayDeque<>();
		// Changes seen since the last reconcile began.
		boolean ownChangeSince;
		boolean otherChangeSince;
		// The tree of the newest state diffed, kept while the object is busy: the next change starts from it.
		@Nullable String lastVersion;
		@Nullable JsonElement lastTree;
		@Nullable HotLoopSuspect suspect;
		@Nullable Instant warnedAt;
		HotLoopSuspect.@Nullable Cause warnedCause;
	}

	/** One controller's objects. Its methods are synchronized: workers and the informer thread call them. */
	private final class PerController {

		private final String name;
		private volatile String kind;
		private final Map<ObjectKey, History> objects = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<ObjectKey, History> eldest) {
				return size() > MAX_OBJECTS;
			}
		};

		PerController(String name, String kind) {
			this.name = name;
			this.kind = kind;
		}

		synchronized void forget(ObjectKey key) {
			objects.remove(key);
		}

		/** Counts a reconcile; returns the warning to log when the object just became (again) worth one. */
		synchronized @Nullable Warning reconciled(ObjectKey key, ReconcileReason reason, Instant now) {
			History history = objects.computeIfAbsent(key, k -> new History());
			Trigger trigger = Trigger.NO_CHANGE;
			if (reason == ReconcileReason.OBJECT_CHANGED && history.otherChangeSince) {
				trigger = Trigger.OTHER_WRITE;
			}
			else if (reason == ReconcileReason.OBJECT_CHANGED && history.ownChangeSince) {
				trigger = Trigger.OWN_WRITE;
			}
			history.ownChangeSince = false;
			history.otherChangeSince = false;
			history.reconciles.addLast(new Reconcile(now, trigger));
			// Counting beyond a few times the threshold tells nothing more; the bound keeps a busy object small.
			while (history.reconciles.size() > 4 * threshold) {
				history.reconciles.removeFirst();
			}
			forgetOld(history, now);
			if (history.reconciles.size() <= threshold) {
				return null;
			}
			Diagnosis diagnosis = diagnose(history.changes, history.reconciles);
			if (diagnosis == null) {
				return null;
			}
			HotLoopSuspect previous = history.suspect;
			Instant since = previous != null && previous.lastSeen().plus(window).isAfter(now) ? previous.since() : now;
			HotLoopSuspect suspect = new HotLoopSuspect(name, kind + " " + key, key, diagnosis.cause(),
					history.reconciles.size(), window, diagnosis.fields(), since, now);
			history.suspect = suspect;
			// One warning per object and window, unless a fight shows only after the loop was first taken for one on
			// its own writes: fields are compared only once an object is busy, so the other writer's changes may
			// be seen a few reconciles late, and the fight is the more useful diagnosis.
			boolean refined = history.warnedCause == HotLoopSuspect.Cause.OWN_WRITES
					&& diagnosis.cause() == HotLoopSuspect.Cause.PING_PONG;
			if (history.warnedAt != null && history.warnedAt.plus(window).isAfter(now) && !refined) {
				return null;
			}
			boolean refinement = refined && history.warnedAt != null && history.warnedAt.plus(window).isAfter(now);
			history.warnedAt = now;
			history.warnedCause = diagnosis.cause();
			return new Warning(warning(suspect), refinement);
		}

		synchronized void changed(ObjectKey key, KubernetesObject oldObject, KubernetesObject newObject,
				boolean own, Instant now) {
			if (newObject.getKind() != null) {
				kind = newObject.getKind();
			}
			History history = objects.get(key);
			if (history == null) {
				return; // never reconciled: cannot be looping
			}
			forgetOld(history, now);
			if (own) {
				history.ownChangeSince = true;
			}
			else {
				history.otherChangeSince = true;
			}
			// Diffing costs a JSON tree of both states, so only objects already reconciled often get one: a loop
			// shows its fields well before it crosses the threshold. The newer tree is kept for the next change,
			// whose old state it is, so that each state is turned into a tree once. Without an own write in the
			// window neither diagnosis can follow, so objects only others write are never diffed.
			boolean busy = 2 * history.reconciles.size() >= threshold
					&& (own || history.changes.stream().anyMatch(Change::own));
			Map<String, Integer> fields = Map.of();
			if (busy) {
				String oldVersion = versionOf(oldObject);
				JsonElement before = (history.lastTree != null && oldVersion != null
						&& oldVersion.equals(history.lastVersion)) ? history.lastTree : ChangedFields.tree(oldObject);
				JsonElement after = ChangedFields.tree(newObject);
				fields = ChangedFields.between(before, after);
				history.lastVersion = versionOf(newObject);
				history.lastTree = after;
			}
			else {
				history.lastVersion = null;
				history.lastTree = null;
			}
			history.changes.addLast(new Change(now, own, fields));
			while (history.changes.size() > 4 * threshold) {
				history.changes.removeFirst();
			}
		}

		synchronized List<HotLoopSuspect> suspects(Instant now) {
			List<HotLoopSuspect> result = new ArrayList<>();
			for (History history : objects.values()) {
				HotLoopSuspect suspect = history.suspect;
				if (suspect != null && suspect.lastSeen().plus(window).isAfter(now)) {
					result.add(suspect);
				}
			}
			return result;
		}

		private void forgetOld(History history, Instant now) {
			Instant horizon = now.minus(window);
			while (!history.reconciles.isEmpty() && !history.reconciles.peekFirst().at().isAfter(horizon)) {
				history.reconciles.removeFirst();
			}
			while (!history.changes.isEmpty() && !history.changes.peekFirst().at().isAfter(horizon)) {
				history.changes.removeFirst();
			}
		}

		private String warning(HotLoopSuspect suspect) {
			String fields = suspect.fields().isEmpty() ? "(fields unknown)" : String.join(", ", suspect.fields());
			String counted = "Controller '" + name + "' reconciled " + suspect.objectRef() + " "
					+ suspect.reconciles() + " times within " + window.toSeconds() + " s";
			if (suspect.cause() == HotLoopSuspect.Cause.PING_PONG) {
				return counted + ": it and another writer keep setting " + fields + " (values masked) to their own"
						+ " values, and every change triggers the next reconcile. Give each field one owner: write with"
						+ " server-side apply (ReconcileContext.apply) only the fields this controller owns, and let"
						+ " the other writer keep its own.";
			}
			return counted + ", each time after its own write changed " + fields + " (values masked). A reconcile"
					+ " that writes something new on every pass never settles: keep status deterministic (no"
					+ " timestamps), compare before writing, or filter events by generation"
					+ " (EventFilter.generationChanged()) so that writes to status and metadata do not trigger.";
		}
	}

	/** A warning to log; a refinement re-diagnoses a loop already counted in this window. */
	private record Warning(String text, boolean refinement) {
	}

	/** Why an object loops and the fields that show it. */
	private record Diagnosis(HotLoopSuspect.Cause cause, List<String> fields) {
	}

	/**
	 * A fight: a field changed at least twice by the controller's writes and twice by someone else's within the
	 * window, and back to a value it had before. A loop on own writes: reconciles that followed only the
	 * controller's own writes, right after a reconcile that did too (so it wrote again), at least half the
	 * threshold of them within the window.
	 *
	 * <p>An own write's watch event can arrive before the write's answer has been recorded, and is then taken for
	 * someone else's. That is why a fight also needs a value to come back: a timestamp written on every pass never
	 * does, a tug of war between two values always does.
	 */
	private @Nullable Diagnosis diagnose(Deque<Change> changes, Deque<Reconcile> reconciles) {
		Map<String, Integer> ownCounts = new TreeMap<>();
		Map<String, Integer> otherCounts = new TreeMap<>();
		Map<String, Set<Integer>> values = new TreeMap<>();
		Set<String> recurring = new TreeSet<>();
		for (Change change : changes) {
			Map<String, Integer> counts = change.own() ? ownCounts : otherCounts;
			change.fields().forEach((field, value) -> {
				counts.merge(field, 1, Integer::sum);
				if (!values.computeIfAbsent(field, f -> new HashSet<>()).add(value)) {
					recurring.add(field);
				}
			});
		}
		List<String> fought = recurring.stream()
				.filter(field -> ownCounts.getOrDefault(field, 0) >= 2 && otherCounts.getOrDefault(field, 0) >= 2)
				.sorted(Comparator.comparing((String field) -> -(ownCounts.get(field) + otherCounts.get(field)))
						.thenComparing(Comparator.naturalOrder()))
				.limit(MAX_FIELDS)
				.toList();
		if (!fought.isEmpty()) {
			return new Diagnosis(HotLoopSuspect.Cause.PING_PONG, fought);
		}
		int selfSustained = 0;
		Trigger previous = null;
		for (Reconcile reconcile : reconciles) {
			if (reconcile.trigger() == Trigger.OWN_WRITE && previous == Trigger.OWN_WRITE) {
				selfSustained++;
			}
			previous = reconcile.trigger();
		}
		if (2 * selfSustained >= threshold) {
			Map<String, Integer> counts = new TreeMap<>(ownCounts);
			otherCounts.forEach((field, count) -> counts.merge(field, count, Integer::sum));
			List<String> fields = ownCounts.keySet().stream()
					.sorted(Comparator.comparing((String field) -> -counts.get(field))
							.thenComparing(Comparator.naturalOrder()))
					.limit(MAX_FIELDS)
					.toList();
			return new Diagnosis(HotLoopSuspect.Cause.OWN_WRITES, fields);
		}
		return null;
	}
}
