package io.github.kubecontroller.emulator.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One injected fault: for the requests it matches, answer an error status (a Status object, or kube-apiserver's
 * plain-text 429 of API Priority and Fairness), add latency, and/or start a watch with a line that is not JSON — a
 * number of times, with a probability, or for a duration. Build one with {@link #matching(RequestMatch)} and install
 * it with {@link Faults#add(Fault)}.
 *
 * <pre>{@code
 * emulator.faults().add(Fault.matching(RequestMatch.any().writes())
 *     .tooManyRequests(Duration.ofSeconds(1))
 *     .probability(0.2)
 *     .build());
 * }</pre>
 */
public final class Fault {

	private final RequestMatch match;

	private final int status;

	private final boolean plainTooManyRequests;

	private final Duration retryAfter;

	private final Duration latency;

	private final boolean malformedWatchEvent;

	private final double probability;

	private final Duration duration;

	private final AtomicInteger remaining;

	private final AtomicLong triggered = new AtomicLong();

	private volatile Instant until;

	private Fault(Builder builder) {
		this.match = builder.match;
		this.status = builder.status;
		this.plainTooManyRequests = builder.plainTooManyRequests;
		this.retryAfter = builder.retryAfter;
		this.latency = builder.latency;
		this.malformedWatchEvent = builder.malformedWatchEvent;
		this.probability = builder.probability;
		this.duration = builder.duration;
		this.remaining = new AtomicInteger(builder.times);
	}

	public static Builder matching(RequestMatch match) {
		return new Builder(Objects.requireNonNull(match, "match"));
	}

	/** How many requests this fault has hit so far. */
	public long triggered() {
		return this.triggered.get();
	}

	public RequestMatch match() {
		return this.match;
	}

	/** The status answered, 0 when the fault only adds latency. */
	public int status() {
		return this.status;
	}

	/** Whether the answer is the plain-text 429 of API Priority and Fairness (rule M1) rather than a Status. */
	public boolean plainTooManyRequests() {
		return this.plainTooManyRequests;
	}

	/** The Retry-After to send, or {@code null}. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	public Duration latency() {
		return this.latency;
	}

	/** Whether matching watches begin with one line that is not JSON (see {@link Builder#malformedWatchEvent()}). */
	public boolean malformedWatchEvent() {
		return this.malformedWatchEvent;
	}

	void activate(Clock clock) {
		this.until = (this.duration != null) ? clock.instant().plus(this.duration) : null;
	}

	/** Whether this fault hits {@code request} now; counts the hit. */
	boolean fires(RequestAttributes request, Clock clock) {
		if (!this.match.test(request)) {
			return false;
		}
		if (this.malformedWatchEvent && !request.verb().equals("watch")) {
			return false;
		}
		Instant end = this.until;
		if (end != null && clock.instant().isAfter(end)) {
			return false;
		}
		if (this.probability < 1.0 && ThreadLocalRandom.current().nextDouble() >= this.probability) {
			return false;
		}
		if (this.remaining.get() >= 0 && this.remaining.getAndUpdate((n) -> (n > 0) ? n - 1 : n) <= 0) {
			return false;
		}
		this.triggered.incrementAndGet();
		return true;
	}

	/** Builds a {@link Fault}. By default a fault fires on every matching request, forever. */
	public static final class Builder {

		private final RequestMatch match;

		private int status;

		private boolean plainTooManyRequests;

		private Duration retryAfter;

		private Duration latency = Duration.ZERO;

		private boolean malformedWatchEvent;

		private int times = -1;

		private double probability = 1.0;

		private Duration duration;

		private Builder(RequestMatch match) {
			this.match = match;
		}

		/**
		 * Answer with {@code status} and a Status body whose reason fits it (TooManyRequests, InternalError,
		 * ServiceUnavailable, Timeout, ...).
		 */
		public Builder status(int status) {
			if (status < 400 || status > 599) {
				throw new IllegalArgumentException("status must be an error status (400-599), was " + status);
			}
			this.status = status;
			return this;
		}

		/** A 429 with a Status body and {@code Retry-After} (rule M3). */
		public Builder tooManyRequestsStatus(Duration retryAfter) {
			return status(429).retryAfter(retryAfter);
		}

		/** The plain-text 429 of API Priority and Fairness, with {@code Retry-After} (rule M1). */
		public Builder tooManyRequests(Duration retryAfter) {
			this.plainTooManyRequests = true;
			return status(429).retryAfter(retryAfter);
		}

		/** Send {@code Retry-After} (whole seconds, at least 1). */
		public Builder retryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
			return this;
		}

		/** Delay matching requests by {@code latency} before they are served (or answered with the fault). */
		public Builder latency(Duration latency) {
			if (latency.isNegative()) {
				throw new IllegalArgumentException("latency must not be negative");
			}
			this.latency = latency;
			return this;
		}

		/**
		 * Matching watches write one line that is not JSON right after their response headers, then stream their
		 * events as usual — what a client meets when a proxy or a broken encoder corrupts one event. The fault then
		 * applies to watch requests only. To hit a watch that is open already, end it with
		 * {@code closeAllWatches()}: the client's next watch gets the line.
		 */
		public Builder malformedWatchEvent() {
			this.malformedWatchEvent = true;
			return this;
		}

		/** Fire only on the next {@code times} matching requests. */
		public Builder times(int times) {
			if (times < 1) {
				throw new IllegalArgumentException("times must be at least 1, was " + times);
			}
			this.times = times;
			return this;
		}

		/** Fire on each matching request with this probability (0 to 1). */
		public Builder probability(double probability) {
			if (probability < 0 || probability > 1) {
				throw new IllegalArgumentException("probability must be between 0 and 1, was " + probability);
			}
			this.probability = probability;
			return this;
		}

		/** Fire only during {@code duration} from when the fault is added. */
		public Builder during(Duration duration) {
			this.duration = duration;
			return this;
		}

		public Fault build() {
			if (this.status == 0 && this.latency.isZero() && !this.malformedWatchEvent) {
				throw new IllegalStateException("a fault needs a status, a latency or a malformed watch event");
			}
			return new Fault(this);
		}
	}
}
