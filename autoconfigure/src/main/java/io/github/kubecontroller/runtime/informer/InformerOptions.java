package io.github.kubecontroller.runtime.informer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How the informers of an {@link InformerRegistry} list, watch and retry. Start from {@link #defaults()} and
 * change what you need with the {@code with...} methods.
 *
 * @param pageSize items per list page ({@code limit}), 500 by default as in client-go
 * @param transform applied to every object before it is cached; by default drops {@code managedFields}
 * @param initialBackoff the wait after the first failed list or watch, 800 ms by default
 * @param maxBackoff the longest wait between attempts, 30 s by default; each failure doubles the wait up to it,
 *        plus up to a quarter of random jitter so that informers do not retry in step
 * @param backoffResetAfter after this long without a failure the wait starts again from
 *        {@code initialBackoff}, 2 minutes by default
 * @param watchTimeout the shortest server-side watch timeout; each watch asks for a random
 *        {@code timeoutSeconds} between this and twice this (5 to 10 minutes by default), as client-go does, so
 *        that many watches do not all reconnect at once
 * @param streamingList whether to try streaming lists ({@code sendInitialEvents}) before paginated lists; an
 *        informer whose server rejects them falls back to paginated lists for good
 * @param threadFactory makes the informer threads; each task's {@code toString()} is the name the informer
 *        suggests, {@code kube-informer-<plural>[-<namespace>]} for the list/watch loop and the same with
 *        {@code -handlers} for event handlers. By default daemon platform threads with those names
 */
public record InformerOptions(int pageSize, ObjectTransform transform, Duration initialBackoff, Duration maxBackoff,
		Duration backoffResetAfter, Duration watchTimeout, boolean streamingList, ThreadFactory threadFactory) {

	private static final ThreadFactory DAEMON_THREADS = (task) -> {
		Thread thread = new Thread(task, task.toString());
		thread.setDaemon(true);
		return thread;
	};

	public InformerOptions {
		if (pageSize < 1) {
			throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
		}
		Objects.requireNonNull(transform, "transform");
		requirePositive(initialBackoff, "initialBackoff");
		requirePositive(maxBackoff, "maxBackoff");
		requirePositive(backoffResetAfter, "backoffResetAfter");
		requirePositive(watchTimeout, "watchTimeout");
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
		}
		if (watchTimeout.toSeconds() < 1) {
			throw new IllegalArgumentException("watchTimeout must be at least 1 s, was " + watchTimeout);
		}
		Objects.requireNonNull(threadFactory, "threadFactory");
	}

	/**
	 * Page size 500, managedFields dropped, backoff from 800 ms to 30 s reset after 2 minutes, watches of 5 to 10
	 * minutes, streaming lists tried.
	 */
	public static InformerOptions defaults() {
		return new InformerOptions(500, ObjectTransform.DROP_MANAGED_FIELDS, Duration.ofMillis(800),
				Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5), true, DAEMON_THREADS);
	}

	public InformerOptions withPageSize(int pageSize) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	public InformerOptions withTransform(ObjectTransform transform) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	/** The first and the longest wait between failed attempts. */
	public InformerOptions withBackoff(Duration initialBackoff, Duration maxBackoff) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	public InformerOptions withBackoffResetAfter(Duration backoffResetAfter) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	public InformerOptions withWatchTimeout(Duration watchTimeout) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	public InformerOptions withStreamingList(boolean streamingList) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	public InformerOptions withThreadFactory(ThreadFactory threadFactory) {
		return new InformerOptions(pageSize, transform, initialBackoff, maxBackoff, backoffResetAfter, watchTimeout,
				streamingList, threadFactory);
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isZero() || duration.isNegative()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
	}
}
