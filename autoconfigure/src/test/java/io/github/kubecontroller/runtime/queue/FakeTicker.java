package io.github.kubecontroller.runtime.queue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that only moves when told to; starts just below Long.MAX_VALUE so that every test crosses the wrap. */
final class FakeTicker implements Ticker {

	private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());

	@Override
	public long nanoTime() {
		return now.get();
	}

	void advance(Duration d) {
		now.addAndGet(d.toNanos());
	}
}
