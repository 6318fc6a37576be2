package io.github.kubecontroller.runtime.controller;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a reconcile asks the controller to do next: nothing until the object changes again ({@link #done()}), or
 * run again after a delay ({@link #requeueAfter(Duration)}). Failures are reported by throwing.
 *
 * @param requeueAfter the delay before the next reconcile of this object, or null for none
 */
public record Result(@Nullable Duration requeueAfter) {

	private static final Result DONE = new Result(null);

	public Result {
		if (requeueAfter != null && requeueAfter.isNegative()) {
			throw new IllegalArgumentException("requeueAfter must not be negative: " + requeueAfter);
		}
	}

	/** The object is where it should be; reconcile it again when it changes. */
	public static Result done() {
		return DONE;
	}

	/** Reconcile this object again after {@code delay}, without counting it as a failure. */
	public static Result requeueAfter(Duration delay) {
		return new Result(Objects.requireNonNull(delay, "delay"));
	}

	/** Whether a requeue was asked for. */
	public boolean requeue() {
		return requeueAfter != null;
	}
}
