package io.github.kubecontroller.runtime.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import org.junit.jupiter.api.Test;

/** A pass reads the controller's own write until the cache holds it or something newer. */
class OwnWritesTest {

	private static final ObjectKey KEY = ObjectKey.of("default", "alpha");

	private final OwnWrites<Widget> ownWrites = new OwnWrites<>();

	@Test
	void theOwnWriteIsReadWhileTheCacheIsOlder() {
		Widget cached = version("7");
		Widget written = version("9");
		ownWrites.wrote(KEY, written);

		assertThat(ownWrites.freshest(KEY, cached)).isSameAs(written);
		assertThat(ownWrites.freshest(KEY, cached)).as("until the cache catches up").isSameAs(written);
	}

	@Test
	void theCacheIsReadOnceItHasTheWriteOrANewerVersion() {
		ownWrites.wrote(KEY, version("9"));
		Widget caughtUp = version("9");
		assertThat(ownWrites.freshest(KEY, caughtUp)).isSameAs(caughtUp);

		ownWrites.wrote(KEY, version("11"));
		ownWrites.observed(KEY, version("12"));
		Widget stale = version("10");
		assertThat(ownWrites.freshest(KEY, stale)).as("the write was forgotten when a newer one was seen")
				.isSameAs(stale);
	}

	@Test
	void anOlderWriteDoesNotReplaceANewerOne() {
		Widget newer = version("12");
		ownWrites.wrote(KEY, newer);
		ownWrites.wrote(KEY, version("11"));

		assertThat(ownWrites.freshest(KEY, version("10"))).isSameAs(newer);
	}

	@Test
	void resourceVersionsThatAreNoNumbersLeaveTheCacheInCharge() {
		ownWrites.wrote(KEY, version("b"));
		Widget cached = version("a");

		assertThat(ownWrites.freshest(KEY, cached)).isSameAs(cached);
	}

	@Test
	void aDeletionForgetsTheWrite() {
		ownWrites.wrote(KEY, version("9"));
		ownWrites.forget(KEY);
		Widget cached = version("7");

		assertThat(ownWrites.freshest(KEY, cached)).isSameAs(cached);
	}

	private static Widget version(String resourceVersion) {
		Widget widget = Widget.named(KEY.namespace(), KEY.name(), "content");
		widget.getMetadata().setResourceVersion(resourceVersion);
		return widget;
	}
}
