package io.github.kubecontroller.runtime.informer;

import java.util.HashMap;
import java.util.Map;

/**
 * One informer's canonical instances of the strings that repeat across its objects: field names and map keys,
 * namespaces, label keys and values, apiVersions and kinds. Every decoded object otherwise holds its own copy of
 * each, about 40 bytes apiece.
 *
 * <p>Bounded: strings are remembered in two generations of at most {@code capacity} each. When the young one is
 * full it becomes the old one and the previous old one is dropped; a string found in the old generation moves
 * back to the young one. So strings that keep coming back stay canonical, while a stream of distinct values (a
 * unique annotation value on every object, say) never holds more than {@code 2 × capacity} strings: objects
 * decoded after a string was dropped get a copy of their own, as without this class. Long strings are returned as
 * they are: they seldom repeat.
 *
 * <p>Not thread-safe: an informer decodes on its list/watch thread only.
 */
final class CanonicalStrings {

	/** Strings remembered per generation by default. */
	static final int DEFAULT_CAPACITY = 4096;

	/** Strings longer than this are never made canonical. */
	static final int MAX_LENGTH = 128;

	private final int capacity;
	private Map<String, String> young = new HashMap<>();
	private Map<String, String> old = Map.of();

	CanonicalStrings() {
		this(DEFAULT_CAPACITY);
	}

	CanonicalStrings(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		this.capacity = capacity;
	}

	/** The canonical instance equal to {@code value}; {@code value} itself when it is the first one (or null). */
	String canonical(String value) {
		if (value == null || value.length() > MAX_LENGTH) {
			return value;
		}
		String known = young.get(value);
		if (known != null) {
			return known;
		}
		known = old.get(value);
		String canonical = (known != null) ? known : value;
		if (young.size() >= capacity) {
			old = young;
			young = new HashMap<>();
		}
		young.put(canonical, canonical);
		return canonical;
	}

	/** How many strings are remembered now, for tests. */
	int size() {
		return young.size() + old.size();
	}
}
