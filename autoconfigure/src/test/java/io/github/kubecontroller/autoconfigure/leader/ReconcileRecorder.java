package io.github.kubecontroller.autoconfigure.leader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Every reconcile of every instance as an interval of {@link System#nanoTime()} (one clock for all instances, since
 * they share a JVM), so that an object reconciled twice at once, by two instances or by one, can be found.
 */
final class ReconcileRecorder {

	/** One reconcile: who ran it, of which object, from when to when (nanoTime). */
	record Pass(String instance, String object, long start, long end) {

		boolean overlaps(Pass other) {
			return start < other.end && other.start < end;
		}

		@Override
		public String toString() {
			return instance + " " + object + " [" + start + ", " + end + "] (" + (end - start) / 1_000_000 + " ms)";
		}
	}

	/** Two reconciles of one object that ran at the same time. */
	record Overlap(Pass first, Pass second) {

		boolean acrossInstances() {
			return !first.instance().equals(second.instance());
		}

		/** How long both ran at once, in milliseconds. */
		double millis() {
			return (Math.min(first.end(), second.end()) - Math.max(first.start(), second.start())) / 1e6;
		}

		@Override
		public String toString() {
			return String.format("%s overlaps %s by %.1f ms", first, second, millis());
		}
	}

	private final Queue<Pass> passes = new ConcurrentLinkedQueue<>();

	void record(String instance, String object, long start, long end) {
		passes.add(new Pass(instance, object, start, end));
	}

	int size() {
		return passes.size();
	}

	/** How many reconciles each instance ran, by instance name. */
	Map<String, Long> countsByInstance() {
		return passes.stream().collect(Collectors.groupingBy(Pass::instance, TreeMap::new, Collectors.counting()));
	}

	/** How many reconciles {@code instance} ran. */
	long count(String instance) {
		return passes.stream().filter(pass -> pass.instance().equals(instance)).count();
	}

	/** Every pair of reconciles of one object whose intervals intersect; each pair of intervals is compared. */
	List<Overlap> overlaps() {
		Map<String, List<Pass>> byObject = passes.stream().collect(Collectors.groupingBy(Pass::object));
		List<Overlap> overlaps = new ArrayList<>();
		for (List<Pass> ofObject : byObject.values()) {
			ofObject.sort(Comparator.comparingLong(Pass::start));
			for (int i = 0; i < ofObject.size(); i++) {
				for (int j = i + 1; j < ofObject.size(); j++) {
					if (ofObject.get(i).overlaps(ofObject.get(j))) {
						overlaps.add(new Overlap(ofObject.get(i), ofObject.get(j)));
					}
				}
			}
		}
		return overlaps;
	}
}
