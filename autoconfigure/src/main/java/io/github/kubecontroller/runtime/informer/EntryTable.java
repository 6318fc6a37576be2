package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Cache entries by namespace and name, in one array (open addressing, linear probing): no node and no key string
 * per entry, which a {@code HashMap<String, CacheEntry>} costs (about 90 bytes per object). Used for a cache's
 * content and for the index buckets that hold more than one entry. Not thread-safe: the cache guards it.
 */
final class EntryTable<T extends KubernetesObject> implements Iterable<CacheEntry<T>> {

	private CacheEntry<T>[] slots;
	private int size;

	EntryTable() {
		this(8);
	}

	/** @param expected how many entries the table should hold without growing */
	@SuppressWarnings("unchecked")
	EntryTable(int expected) {
		int capacity = 4;
		while (capacity * 2 < expected * 3) {
			capacity <<= 1;
		}
		slots = new CacheEntry[capacity];
	}

	int size() {
		return size;
	}

	boolean isEmpty() {
		return size == 0;
	}

	/** The entry of that object, or null. */
	CacheEntry<T> get(String namespace, String name) {
		int mask = slots.length - 1;
		for (int i = home(namespace, name, mask);; i = (i + 1) & mask) {
			CacheEntry<T> entry = slots[i];
			if (entry == null || entry.is(namespace, name)) {
				return entry;
			}
		}
	}

	/** Stores an entry in place of the one of the same object; returns that one, or null. */
	CacheEntry<T> put(CacheEntry<T> entry) {
		int mask = slots.length - 1;
		for (int i = home(entry.namespace(), entry.name(), mask);; i = (i + 1) & mask) {
			CacheEntry<T> present = slots[i];
			if (present == null) {
				slots[i] = entry;
				if (++size * 3 > slots.length * 2) {
					grow();
				}
				return null;
			}
			if (present.is(entry.namespace(), entry.name())) {
				slots[i] = entry;
				return present;
			}
		}
	}

	/** Removes the entry of that object; returns it, or null. */
	CacheEntry<T> remove(String namespace, String name) {
		int mask = slots.length - 1;
		int i = home(namespace, name, mask);
		while (true) {
			CacheEntry<T> entry = slots[i];
			if (entry == null) {
				return null;
			}
			if (entry.is(namespace, name)) {
				slots[i] = null;
				size--;
				closeGap(i, mask);
				return entry;
			}
			i = (i + 1) & mask;
		}
	}

	/** The one entry of a table of size 1. */
	CacheEntry<T> single() {
		for (CacheEntry<T> entry : slots) {
			if (entry != null) {
				return entry;
			}
		}
		throw new NoSuchElementException();
	}

	@Override
	public Iterator<CacheEntry<T>> iterator() {
		return new Iterator<>() {

			private int next = advance(0);

			private int advance(int from) {
				int i = from;
				while (i < slots.length && slots[i] == null) {
					i++;
				}
				return i;
			}

			@Override
			public boolean hasNext() {
				return next < slots.length;
			}

			@Override
			public CacheEntry<T> next() {
				if (next >= slots.length) {
					throw new NoSuchElementException();
				}
				CacheEntry<T> entry = slots[next];
				next = advance(next + 1);
				return entry;
			}
		};
	}

	// After a removal, entries further along the probe sequence move back into the gap, so that every entry stays
	// reachable from its home slot without tombstones.
	private void closeGap(int gap, int mask) {
		int free = gap;
		for (int i = (gap + 1) & mask;; i = (i + 1) & mask) {
			CacheEntry<T> entry = slots[i];
			if (entry == null) {
				return;
			}
			int home = home(entry.namespace(), entry.name(), mask);
			// The entry may move to the free slot unless its home lies cyclically in (free, i].
			boolean homeBetween = (free <= i) ? (free < home && home <= i) : (free < home || home <= i);
			if (!homeBetween) {
				slots[free] = entry;
				slots[i] = null;
				free = i;
			}
		}
	}

	@SuppressWarnings("unchecked")
	private void grow() {
		CacheEntry<T>[] previous = slots;
		slots = new CacheEntry[previous.length * 2];
		int mask = slots.length - 1;
		for (CacheEntry<T> entry : previous) {
			if (entry != null) {
				int i = home(entry.namespace(), entry.name(), mask);
				while (slots[i] != null) {
					i = (i + 1) & mask;
				}
				slots[i] = entry;
			}
		}
	}

	private static int home(String namespace, String name, int mask) {
		int hash = namespace.hashCode() * 31 + name.hashCode();
		return (hash ^ (hash >>> 16)) & mask;
	}
}
