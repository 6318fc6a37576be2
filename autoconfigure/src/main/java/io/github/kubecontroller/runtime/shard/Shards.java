package io.github.kubecontroller.runtime.shard;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import java.nio.charset.StandardCharsets;

/**
 * Which shard an object belongs to: the 32-bit FNV-1a hash of the UTF-8 bytes of its key ({@code namespace/name},
 * or {@code name} for a cluster-scoped object), as an unsigned number, modulo the shard count. The hash is defined
 * here rather than taken from {@link String#hashCode()} so that it is the same on every JVM version and can be
 * computed in any language: instances of different builds agree on who works on what.
 *
 * @param count how many shards there are; equal on every instance
 */
public record Shards(int count) {

	private static final int FNV_OFFSET_BASIS = 0x811c9dc5;

	private static final int FNV_PRIME = 0x01000193;

	public Shards {
		if (count < 1) {
			throw new IllegalArgumentException("the shard count must be at least 1, was " + count);
		}
	}

	/** The shard of the object with this key, from 0 to {@code count - 1}. */
	public int of(ObjectKey key) {
		return of(key.toString());
	}

	/** The shard of the object whose key is written {@code namespace/name} (or {@code name}). */
	public int of(String key) {
		return Integer.remainderUnsigned(fnv1a(key), count);
	}

	/** The 32-bit FNV-1a hash of the UTF-8 bytes of {@code text}. */
	public static int fnv1a(String text) {
		int hash = FNV_OFFSET_BASIS;
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			hash ^= (b & 0xff);
			hash *= FNV_PRIME;
		}
		return hash;
	}
}
