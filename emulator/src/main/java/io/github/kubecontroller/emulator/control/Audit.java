package io.github.kubecontroller.emulator.control;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Counts every request by verb, API group, resource, response code and user, and optionally keeps a bounded log of
 * the latest requests — so a test can assert "this reconcile made no write" and a benchmark can count API calls.
 * A request is recorded when its response status is sent (a watch: when it starts).
 */
public final class Audit {

	/**
	 * What requests are counted by.
	 * @param verb the verb
	 * @param apiGroup the API group
	 * @param resource the resource, with {@code /subresource} when there is one
	 * @param code the response status
	 * @param user the user
	 */
	public record Key(String verb, String apiGroup, String resource, int code, String user) {
	}

	private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();

	private final ArrayDeque<AuditEvent> log = new ArrayDeque<>();

	private volatile int logCapacity;

	/** Keeps the latest {@code capacity} requests (0, the default, keeps none). */
	public synchronized Audit keepRequests(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must not be negative");
		}
		this.logCapacity = capacity;
		while (this.log.size() > capacity) {
			this.log.removeFirst();
		}
		return this;
	}

	public void record(AuditEvent event) {
		RequestAttributes request = event.request();
		this.counters
			.computeIfAbsent(new Key(request.verb(), request.apiGroup(),
					request.resourceRequest() ? request.resourceWithSubresource() : request.path(), event.code(),
					event.user()), (key) -> new LongAdder())
			.increment();
		if (this.logCapacity > 0) {
			synchronized (this) {
				this.log.addLast(event);
				while (this.log.size() > this.logCapacity) {
					this.log.removeFirst();
				}
			}
		}
	}

	/** How many requests matched {@code filter}. */
	public long count(Predicate<Key> filter) {
		return this.counters.entrySet()
			.stream()
			.filter((entry) -> filter.test(entry.getKey()))
			.mapToLong((entry) -> entry.getValue().sum())
			.sum();
	}

	/** How many requests of {@code verb} on {@code resource} (any group, code, user). */
	public long count(String verb, String resource) {
		return count((key) -> key.verb().equals(verb) && key.resource().equals(resource));
	}

	/** How many create, update, patch, delete and deletecollection requests were made. */
	public long writes() {
		return count((key) -> List.of("create", "update", "patch", "delete", "deletecollection").contains(key.verb()));
	}

	/** A snapshot of every counter. */
	public Map<Key, Long> counters() {
		Map<Key, Long> snapshot = new java.util.HashMap<>();
		this.counters.forEach((key, value) -> snapshot.put(key, value.sum()));
		return snapshot;
	}

	/** The kept requests, oldest first. */
	public synchronized List<AuditEvent> requests() {
		return List.copyOf(this.log);
	}

	/** Forgets every count and kept request. */
	public synchronized void reset() {
		this.counters.clear();
		this.log.clear();
	}
}
