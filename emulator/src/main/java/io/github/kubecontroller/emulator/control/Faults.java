package io.github.kubecontroller.emulator.control;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults installed in an emulator. Requests are checked against them after authentication: every matching
 * latency is added, the first matching fault with a status answers the request, and any matching
 * {@linkplain Fault.Builder#malformedWatchEvent() malformed watch event} fault corrupts the start of a watch.
 */
public final class Faults {

	private final List<Fault> faults = new CopyOnWriteArrayList<>();

	private final Clock clock;

	public Faults(Clock clock) {
		this.clock = clock;
	}

	/** Installs a fault; returns it so it can be removed or inspected. */
	public Fault add(Fault fault) {
		fault.activate(this.clock);
		this.faults.add(fault);
		return fault;
	}

	public void remove(Fault fault) {
		this.faults.remove(fault);
	}

	/** Removes every fault. */
	public void clear() {
		this.faults.clear();
	}

	/**
	 * What the faults do to a request.
	 * @param latency the total delay to add
	 * @param answer the fault that answers the request, or {@code null} to serve it
	 * @param malformedWatchEvent whether the watch begins with a line that is not JSON
	 */
	public record Decision(Duration latency, Fault answer, boolean malformedWatchEvent) {
	}

	/** Decides for one request (counting the hits). */
	public Decision decide(RequestAttributes request) {
		Duration latency = Duration.ZERO;
		Fault answer = null;
		boolean malformedWatchEvent = false;
		for (Fault fault : this.faults) {
			if (fault.fires(request, this.clock)) {
				latency = latency.plus(fault.latency());
				if (answer == null && fault.status() != 0) {
					answer = fault;
				}
				malformedWatchEvent |= fault.malformedWatchEvent();
			}
		}
		return new Decision(latency, answer, malformedWatchEvent);
	}
}
