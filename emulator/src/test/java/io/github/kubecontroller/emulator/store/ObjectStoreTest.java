package io.github.kubecontroller.emulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.ObjectStore.ListQuery;
import io.github.kubecontroller.emulator.store.Subscription.Delivery;

class ObjectStoreTest {

	private static final String BUCKET = "configmaps";

	private final MutableClock clock = new MutableClock();

	private final ObjectStore store = new ObjectStore(this.clock, Duration.ofMinutes(5), 1000);

	@Test
	@DisplayName("H2: every write takes the next value of one counter shared by all buckets")
	void oneRevisionCounterForEveryBucket() {
		put(BUCKET, "default", "a", Map.of());
		put("secrets", "default", "b", Map.of());
		put(BUCKET, "default", "a", Map.of("x", "y"));
		assertThat(this.store.revision()).isEqualTo(3);
		assertThat(this.store.get(BUCKET, "default/a").resourceVersion()).isEqualTo(3);
		assertThat(this.store.get("secrets", "default/b").resourceVersion()).isEqualTo(2);
	}

	@Test
	@DisplayName("E7: pages after the first are served at the first page's revision while objects change")
	void pagesAreServedAtTheFirstPagesRevision() throws Exception {
		for (int i = 0; i < 10; i++) {
			put(BUCKET, "default", "cm-" + i, Map.of());
		}
		ListPage first = this.store.list(BUCKET, new ListQuery("default", (o) -> true, 0, null, 4, true));
		assertThat(names(first)).containsExactly("cm-0", "cm-1", "cm-2", "cm-3");
		assertThat(first.remainingItemCount()).isEqualTo(6);

		delete(BUCKET, "default", "cm-5");
		put(BUCKET, "default", "cm-45", Map.of());
		put(BUCKET, "default", "cm-6", Map.of("changed", "yes"));

		ListPage second = this.store.list(BUCKET,
				new ListQuery("default", (o) -> true, first.revision(), first.continueAfterKey(), 4, true));
		assertThat(second.revision()).isEqualTo(first.revision());
		assertThat(names(second)).containsExactly("cm-4", "cm-5", "cm-6", "cm-7");
		assertThat(second.items().get(2).labels()).isEmpty();
		ListPage third = this.store.list(BUCKET,
				new ListQuery("default", (o) -> true, first.revision(), second.continueAfterKey(), 4, true));
		assertThat(names(third)).containsExactly("cm-8", "cm-9");
		assertThat(third.continueAfterKey()).isNull();
	}

	@Test
	@DisplayName("E5, E9: after a compaction, reads at an older revision are expired")
	void compactionExpiresOlderRevisions() throws Exception {
		put(BUCKET, "default", "a", Map.of());
		long old = this.store.revision();
		put(BUCKET, "default", "b", Map.of());
		this.store.compact();
		assertThatExceptionOfType(ResourceVersionExpiredException.class)
			.isThrownBy(() -> this.store.list(BUCKET, new ListQuery(null, (o) -> true, old, null, 1, false)));
		assertThatExceptionOfType(ResourceVersionExpiredException.class)
			.isThrownBy(() -> this.store.watch(BUCKET, null, old, false, (o) -> true, 10))
			.withMessage("too old resource version: 1 (2)");
		assertThat(this.store.list(BUCKET, new ListQuery(null, (o) -> true, 0, null, 0, false)).items()).hasSize(2);
	}

	@Test
	@DisplayName("F10: history older than the window is dropped, so watches from before it expire")
	void historyOlderThanTheWindowIsDropped() throws Exception {
		put(BUCKET, "default", "a", Map.of());
		put(BUCKET, "default", "b", Map.of());
		this.clock.advance(Duration.ofMinutes(6));
		put(BUCKET, "default", "c", Map.of());
		assertThat(this.store.compactedRevision()).isEqualTo(2);
		assertThatExceptionOfType(ResourceVersionExpiredException.class)
			.isThrownBy(() -> this.store.watch(BUCKET, null, 1, false, (o) -> true, 10))
			.withMessage("too old resource version: 1 (2)");
		try (Subscription fromTwo = this.store.watch(BUCKET, null, 2, false, (o) -> true, 10)) {
			assertThat(fromTwo.next(1, TimeUnit.SECONDS).object().name()).isEqualTo("c");
		}
	}

	@Test
	@DisplayName("F10: history is bounded by a number of events")
	void historyIsBoundedByCount() {
		ObjectStore small = new ObjectStore(this.clock, Duration.ofMinutes(5), 3);
		for (int i = 0; i < 5; i++) {
			put(small, BUCKET, "default", "cm-" + i, Map.of());
		}
		assertThat(small.compactedRevision()).isEqualTo(2);
	}

	@Test
	@DisplayName("F7: an object that starts matching arrives as ADDED, one that stops matching as DELETED")
	void selectorTransitions() throws Exception {
		put(BUCKET, "default", "a", Map.of());
		Predicate<StoredObject> selected = (o) -> "yes".equals(o.labels().get("selected"));
		try (Subscription watch = this.store.watch(BUCKET, null, this.store.revision(), false, selected, 10)) {
			put(BUCKET, "default", "a", Map.of("selected", "yes"));
			put(BUCKET, "default", "a", Map.of("selected", "yes", "other", "1"));
			put(BUCKET, "default", "a", Map.of());
			List<Delivery> seen = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				seen.add(watch.next(1, TimeUnit.SECONDS));
			}
			assertThat(seen).extracting(Delivery::type)
				.containsExactly(Delivery.Type.ADDED, Delivery.Type.MODIFIED, Delivery.Type.DELETED);
			Delivery removed = seen.get(2);
			assertThat(removed.object().labels()).containsEntry("selected", "yes");
			assertThat(removed.revision()).isEqualTo(this.store.revision());
		}
	}

	@Test
	@DisplayName("F1: a watcher that falls more than its capacity behind is ended")
	void slowWatcherIsEnded() throws Exception {
		Subscription watch = this.store.watch(BUCKET, null, this.store.revision(), false, (o) -> true, 2);
		for (int i = 0; i < 3; i++) {
			put(BUCKET, "default", "cm-" + i, Map.of());
		}
		assertThat(watch.overflowed()).isTrue();
		assertThat(watch.isClosed()).isTrue();
		assertThat(watch.next(10, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.store.openWatches()).isZero();
	}

	private void put(String bucket, String namespace, String name, Map<String, String> labels) {
		put(this.store, bucket, namespace, name, labels);
	}

	private static void put(ObjectStore store, String bucket, String namespace, String name,
			Map<String, String> labels) {
		store.write((tx) -> tx.put(bucket, object(namespace, name, tx.nextRevision(), labels)));
	}

	private void delete(String bucket, String namespace, String name) {
		this.store.write((tx) -> tx.delete(bucket, object(namespace, name, tx.nextRevision(), Map.of())));
	}

	private static StoredObject object(String namespace, String name, long revision, Map<String, String> labels) {
		String json = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\"}}";
		return new StoredObject(namespace, name, "uid-" + name, revision, json.getBytes(StandardCharsets.UTF_8), 35,
				labels, Map.of(), false);
	}

	private static List<String> names(ListPage page) {
		return page.items().stream().map(StoredObject::name).toList();
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}
	}
}
