package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic resync of one controller, on one thread and with no state per object. The resync period is cut
 * into slices, each object belongs to one slice by a hash of its key, and every period/slices the sweep walks the
 * primary cache and hands the keys of the current slice to {@code resync}. So every cached object comes up once per
 * period, and the reconciles of a resync are spread evenly over the period instead of all coming at once.
 * <p>
 * Why not one delayed queue entry per object, as client-go's controllers do after each reconcile: such an entry
 * lives as long as the object is cached, and for small objects it costs a large share of what caching them costs.
 */
final class ResyncSweep {

	private static final Logger log = LoggerFactory.getLogger(ResyncSweep.class);

	/** Into how many slices a long period is cut. */
	static final int MAX_SLICES = 64;

	/** The shortest time between two sweeps: a short period is cut into fewer slices. */
	static final Duration MIN_SLICE = Duration.ofMillis(100);

	/** How long {@link #stop()} waits for the thread to end. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final String controller;
	private final int slices;
	private final long sliceNanos;
	private final Supplier<? extends Iterable<ObjectKey>> cachedKeys;
	private final Consumer<ObjectKey> resync;
	private final BooleanSupplier active;
	private final Thread thread;
	private boolean stopped; // guarded by this

	/**
	 * @param period the resync period; must be positive
	 * @param cachedKeys the keys of the primary objects cached now
	 * @param resync queues one key for its resync
	 * @param active whether to sweep now; a sweep that is not active does nothing and its slice waits a period
	 */
	ResyncSweep(String controller, Duration period, ThreadFactory threads,
			Supplier<? extends Iterable<ObjectKey>> cachedKeys, Consumer<ObjectKey> resync, BooleanSupplier active) {
		if (period.isZero() || period.isNegative()) {
			throw new IllegalArgumentException("resync period must be positive: " + period);
		}
		this.controller = controller;
		this.slices = slicesFor(period);
		this.sliceNanos = period.toNanos() / slices;
		this.cachedKeys = cachedKeys;
		this.resync = resync;
		this.active = active;
		this.thread = threads.newThread(this::run);
	}

	/** Into how many slices {@code period} is cut: {@link #MAX_SLICES}, fewer if a slice would be under 100 ms. */
	static int slicesFor(Duration period) {
		long fit = period.toNanos() / MIN_SLICE.toNanos();
		return (int) Math.max(1, Math.min(MAX_SLICES, fit));
	}

	/** The slice {@code key} belongs to, the same for as long as the application runs. */
	static int sliceOf(ObjectKey key, int slices) {
		// String.hashCode is specified, a record's hashCode is not. The mixing (MurmurHash3's finalizer) spreads
		// names that differ only in their last characters, such as numbered replicas, over all slices.
		int hash = 31 * key.namespace().hashCode() + key.name().hashCode();
		hash ^= hash >>> 16;
		hash *= 0x85ebca6b;
		hash ^= hash >>> 13;
		hash *= 0xc2b2ae35;
		hash ^= hash >>> 16;
		return Math.floorMod(hash, slices);
	}

	int slices() {
		return slices;
	}

	void start() {
		thread.start();
	}

	/** Ends the sweep and waits a few seconds at most for its thread to end; a sweep under way ends first. */
	void stop() throws InterruptedException {
		synchronized (this) {
			stopped = true;
			notifyAll();
		}
		if (thread.isAlive() && thread != Thread.currentThread()) {
			thread.join(STOP_TIMEOUT.toMillis());
		}
	}

	private void run() {
		long due = System.nanoTime();
		int slice = 0;
		while (true) {
			due += sliceNanos;
			if (!sleepUntil(due)) {
				return;
			}
			// A sweep that took longer than a slice (a huge cache, a slow gate) must not be followed by a burst of
			// catching up: the next one waits a full slice again.
			long now = System.nanoTime();
			if (now - due > sliceNanos) {
				due = now;
			}
			if (active.getAsBoolean()) {
				sweep(slice);
			}
			slice = (slice + 1) % slices;
		}
	}

	private void sweep(int slice) {
		int queued = 0;
		try {
			for (ObjectKey key : cachedKeys.get()) {
				if (sliceOf(key, slices) == slice) {
					resync.accept(key);
					queued++;
				}
			}
		} catch (RuntimeException e) {
			// The thread must outlive a failure, or the controller would never resync again.
			log.error("Controller '{}': resync of slice {} of {} failed", controller, slice, slices, e);
			return;
		}
		if (queued > 0) {
			log.debug("Controller '{}': resync of slice {} of {}: {} objects", controller, slice, slices, queued);
		}
	}

	/** Waits until {@code due} (a nanoTime); false when stopped meanwhile. */
	private synchronized boolean sleepUntil(long due) {
		long left;
		while (!stopped && (left = due - System.nanoTime()) > 0) {
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			} catch (InterruptedException e) {
				return false; // stop() ends the sweep through the flag; an interrupt ends it too
			}
		}
		return !stopped;
	}

	@Override
	public String toString() {
		return "ResyncSweep[" + controller + ", " + slices + " slices of " + sliceNanos / 1_000_000 + " ms]";
	}
}
