package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.cache.Indexer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer's cache: objects by key ({@code namespace/name}, or {@code name} for cluster-scoped objects) with
 * indexes, readable through client-java's {@link Indexer} (so {@code new Lister<>(cache)} works). It follows the
 * API server only: the {@code Store} mutation methods throw, and the informer changes it through the
 * package-private methods.
 *
 * <p>{@link Indexes#NAMESPACE} and {@link Indexes#OWNER_UID} are always maintained; more indexes can be added at
 * any time and index what is already cached. A relist replaces the whole content at once: the new map and its
 * indexes are built aside and swapped in under the write lock, so a reader sees the old content or the new one,
 * never a mixture.
 *
 * @param <T> the Java type of the cached objects
 */
final class InformerCache<T extends KubernetesObject> implements Indexer<T> {

	private static final Logger log = LoggerFactory.getLogger(InformerCache.class);

	private final String name;
	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
	private final Lock read = lock.readLock();
	private final Lock write = lock.writeLock();

	// Guarded by the lock. The functions are kept twice: as users see them (on objects) and as the cache runs
	// them (on entries, whose built-in index values were read once when the entry was made).
	private final Map<String, Function<T, List<String>>> indexers = new LinkedHashMap<>();
	private final Map<String, IndexFunction<T>> indexFunctions = new LinkedHashMap<>();
	private EntryTable<T> items = new EntryTable<>();
	// Index name → indexed value → the entries with that value: one CacheEntry when there is one (the usual case
	// for an owner's children of one kind, or a namespace with one object), an EntryTable when there are more.
	private Map<String, Map<String, Object>> indices = new HashMap<>();
	private final Set<String> failingIndexes = new HashSet<>();
	// Written under the write lock, read without any lock by metrics.
	private volatile long approximateBytes;

	/** @param name the informer's name, for logs */
	InformerCache(String name) {
		this.name = name;
		indexers.put(Indexes.NAMESPACE, (object) -> List.of(CacheEntry.of(object).namespace()));
		indexFunctions.put(Indexes.NAMESPACE, (entry) -> List.of(entry.namespace()));
		indexers.put(Indexes.OWNER_UID, (object) -> CacheEntry.of(object).ownerUids());
		indexFunctions.put(Indexes.OWNER_UID, CacheEntry::ownerUids);
		for (String index : indexFunctions.keySet()) {
			indices.put(index, new HashMap<>());
		}
	}

	/** How the cache computes an index's values for one entry. */
	@FunctionalInterface
	private interface IndexFunction<T extends KubernetesObject> {

		List<String> values(CacheEntry<T> entry);
	}

	// ---------------------------------------------------------------- changes, by the informer only

	/** Stores an entry; returns the one it replaced, or null. */
	CacheEntry<T> put(CacheEntry<T> entry) {
		write.lock();
		try {
			CacheEntry<T> previous = items.put(entry);
			if (previous != null) {
				unindex(indices, indexFunctions, previous);
			}
			index(indices, indexFunctions, entry);
			approximateBytes += entry.approximateBytes() - ((previous != null) ? previous.approximateBytes() : 0);
			return previous;
		}
		finally {
			write.unlock();
		}
	}

	/** Removes the entry of an object; returns it, or null if there was none. */
	CacheEntry<T> remove(String namespace, String name) {
		write.lock();
		try {
			CacheEntry<T> previous = items.remove(namespace, name);
			if (previous != null) {
				unindex(indices, indexFunctions, previous);
				approximateBytes -= previous.approximateBytes();
			}
			return previous;
		}
		finally {
			write.unlock();
		}
	}

	/** The entry of an object ({@code namespace} empty for cluster-scoped objects), or null. */
	CacheEntry<T> entry(String namespace, String name) {
		read.lock();
		try {
			return items.get(namespace, name);
		}
		finally {
			read.unlock();
		}
	}

	/**
	 * Replaces the whole content with {@code replacement}, which the cache takes over. Its indexes are built before
	 * the write lock is taken, so readers are blocked only for the swap.
	 *
	 * @return the previous content, which nobody else references any more
	 */
	EntryTable<T> replaceAll(EntryTable<T> replacement) {
		Map<String, IndexFunction<T>> functions;
		read.lock();
		try {
			functions = new LinkedHashMap<>(indexFunctions);
		}
		finally {
			read.unlock();
		}
		Map<String, Map<String, Object>> built = new HashMap<>();
		for (String index : functions.keySet()) {
			built.put(index, new HashMap<>());
		}
		long bytes = 0;
		for (CacheEntry<T> entry : replacement) {
			index(built, functions, entry);
			bytes += entry.approximateBytes();
		}
		write.lock();
		try {
			// An index added while we were building is built now, under the lock, so that no reader ever sees
			// the new content without it.
			for (Map.Entry<String, IndexFunction<T>> function : indexFunctions.entrySet()) {
				if (!built.containsKey(function.getKey())) {
					built.put(function.getKey(), buildIndex(replacement, function.getKey(), function.getValue()));
				}
			}
			EntryTable<T> previous = items;
			items = replacement;
			indices = built;
			approximateBytes = bytes;
			return previous;
		}
		finally {
			write.unlock();
		}
	}

	// ---------------------------------------------------------------- Indexer (reads)

	@Override
	public List<T> list() {
		read.lock();
		try {
			return objects(items);
		}
		finally {
			read.unlock();
		}
	}

	@Override
	public List<String> listKeys() {
		read.lock();
		try {
			List<String> keys = new ArrayList<>(items.size());
			for (CacheEntry<T> entry : items) {
				keys.add(entry.key());
			}
			return keys;
		}
		finally {
			read.unlock();
		}
	}

	@Override
	public Object get(T object) {
		return getByKey(CacheEntry.of(object).key());
	}

	@Override
	public T getByKey(String key) {
		CacheEntry<T> entry = entry(CacheEntry.namespaceOf(key), CacheEntry.nameOf(key));
		return (entry != null) ? entry.object() : null;
	}

	/** Number of cached objects. */
	int size() {
		read.lock();
		try {
			return items.size();
		}
		finally {
			read.unlock();
		}
	}

	/** The sum of the cached entries' {@link CacheEntry#approximateBytes()}. */
	long approximateBytes() {
		return approximateBytes;
	}

	@Override
	public List<T> index(String indexName, T object) {
		read.lock();
		try {
			IndexFunction<T> function = function(indexName);
			Map<String, Object> index = indices.get(indexName);
			Set<CacheEntry<T>> entries = new LinkedHashSet<>();
			for (String value : values(indexName, function, CacheEntry.of(object))) {
				addAll(entries, index.get(value));
			}
			return objects(entries);
		}
		finally {
			read.unlock();
		}
	}

	@Override
	public List<String> indexKeys(String indexName, String indexedValue) {
		read.lock();
		try {
			function(indexName);
			List<CacheEntry<T>> entries = new ArrayList<>();
			addAll(entries, indices.get(indexName).get(indexedValue));
			List<String> keys = new ArrayList<>(entries.size());
			for (CacheEntry<T> entry : entries) {
				keys.add(entry.key());
			}
			return keys;
		}
		finally {
			read.unlock();
		}
	}

	@Override
	public List<T> byIndex(String indexName, String indexedValue) {
		read.lock();
		try {
			function(indexName);
			List<CacheEntry<T>> entries = new ArrayList<>();
			addAll(entries, indices.get(indexName).get(indexedValue));
			return objects(entries);
		}
		finally {
			read.unlock();
		}
	}

	@Override
	public Map<String, Function<T, List<String>>> getIndexers() {
		read.lock();
		try {
			return Map.copyOf(indexers);
		}
		finally {
			read.unlock();
		}
	}

	/**
	 * Adds indexes, which at once index every cached object.
	 *
	 * @throws IllegalArgumentException if an index of that name exists
	 */
	@Override
	public void addIndexers(Map<String, Function<T, List<String>>> newIndexers) {
		Objects.requireNonNull(newIndexers, "newIndexers");
		write.lock();
		try {
			for (String index : newIndexers.keySet()) {
				if (indexers.containsKey(index)) {
					throw new IllegalArgumentException("index " + index + " already exists");
				}
			}
			for (Map.Entry<String, Function<T, List<String>>> indexer : newIndexers.entrySet()) {
				Function<T, List<String>> function = Objects.requireNonNull(indexer.getValue(), indexer.getKey());
				IndexFunction<T> onEntries = (entry) -> function.apply(entry.object());
				indexers.put(indexer.getKey(), function);
				indexFunctions.put(indexer.getKey(), onEntries);
				indices.put(indexer.getKey(), buildIndex(items, indexer.getKey(), onEntries));
			}
		}
		finally {
			write.unlock();
		}
	}

	// ---------------------------------------------------------------- Store (mutations: not for callers)

	@Override
	public void add(T object) {
		throw readOnly();
	}

	@Override
	public void update(T object) {
		throw readOnly();
	}

	@Override
	public void delete(T object) {
		throw readOnly();
	}

	@Override
	public void replace(List<T> objects, String resourceVersion) {
		throw readOnly();
	}

	@Override
	public void resync() {
		throw readOnly();
	}

	private static UnsupportedOperationException readOnly() {
		return new UnsupportedOperationException("an informer's cache follows the API server and cannot be changed");
	}

	// ---------------------------------------------------------------- indexing

	private IndexFunction<T> function(String indexName) {
		IndexFunction<T> function = indexFunctions.get(indexName);
		if (function == null) {
			throw new IllegalArgumentException("index " + indexName + " does not exist");
		}
		return function;
	}

	private List<T> objects(Iterable<CacheEntry<T>> entries) {
		List<T> objects = new ArrayList<>();
		for (CacheEntry<T> entry : entries) {
			objects.add(entry.object());
		}
		return objects;
	}

	/** Adds the entries of an index bucket (null, one entry or a table of them). */
	@SuppressWarnings("unchecked")
	private static <T extends KubernetesObject> void addAll(Collection<CacheEntry<T>> target, Object bucket) {
		if (bucket instanceof CacheEntry<?> single) {
			target.add((CacheEntry<T>) single);
		}
		else if (bucket != null) {
			for (CacheEntry<T> entry : (EntryTable<T>) bucket) {
				target.add(entry);
			}
		}
	}

	private Map<String, Object> buildIndex(Iterable<CacheEntry<T>> entries, String indexName,
			IndexFunction<T> function) {
		Map<String, Object> index = new HashMap<>();
		for (CacheEntry<T> entry : entries) {
			for (String value : values(indexName, function, entry)) {
				add(index, value, entry);
			}
		}
		return index;
	}

	private void index(Map<String, Map<String, Object>> target, Map<String, IndexFunction<T>> functions,
			CacheEntry<T> entry) {
		for (Map.Entry<String, IndexFunction<T>> function : functions.entrySet()) {
			Map<String, Object> index = target.get(function.getKey());
			for (String value : values(function.getKey(), function.getValue(), entry)) {
				add(index, value, entry);
			}
		}
	}

	private void unindex(Map<String, Map<String, Object>> target, Map<String, IndexFunction<T>> functions,
			CacheEntry<T> entry) {
		for (Map.Entry<String, IndexFunction<T>> function : functions.entrySet()) {
			Map<String, Object> index = target.get(function.getKey());
			for (String value : values(function.getKey(), function.getValue(), entry)) {
				remove(index, value, entry);
			}
		}
	}

	/** Puts an entry into the bucket of {@code value}, in place of the same object's entry if it is there. */
	@SuppressWarnings("unchecked")
	private static <T extends KubernetesObject> void add(Map<String, Object> index, String value,
			CacheEntry<T> entry) {
		Object bucket = index.get(value);
		if (bucket == null) {
			index.put(value, entry);
		}
		else if (bucket instanceof CacheEntry<?> single) {
			if (single.is(entry.namespace(), entry.name())) {
				index.put(value, entry);
			}
			else {
				EntryTable<T> table = new EntryTable<>(2);
				table.put((CacheEntry<T>) single);
				table.put(entry);
				index.put(value, table);
			}
		}
		else {
			((EntryTable<T>) bucket).put(entry);
		}
	}

	/** Takes the object of {@code entry} out of the bucket of {@code value}. */
	@SuppressWarnings("unchecked")
	private static <T extends KubernetesObject> void remove(Map<String, Object> index, String value,
			CacheEntry<T> entry) {
		Object bucket = index.get(value);
		if (bucket instanceof CacheEntry<?> single) {
			if (single.is(entry.namespace(), entry.name())) {
				index.remove(value);
			}
		}
		else if (bucket != null) {
			EntryTable<T> table = (EntryTable<T>) bucket;
			if (table.remove(entry.namespace(), entry.name()) != null && table.size() == 1) {
				index.put(value, table.single());
			}
		}
	}

	/** An index's values for an entry; a user function that throws indexes nothing (logged once per index). */
	private List<String> values(String indexName, IndexFunction<T> function, CacheEntry<T> entry) {
		try {
			List<String> values = function.values(entry);
			return (values != null) ? values : List.of();
		}
		catch (RuntimeException ex) {
			boolean first;
			synchronized (failingIndexes) {
				first = failingIndexes.add(indexName);
			}
			if (first) {
				log.warn("Informer {}: index {} failed for {}; the object is left out of that index", name, indexName,
						entry.key(), ex);
			}
			else {
				log.debug("Informer {}: index {} failed for {}", name, indexName, entry.key(), ex);
			}
			return List.of();
		}
	}
}
