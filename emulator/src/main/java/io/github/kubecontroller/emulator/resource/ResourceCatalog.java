package io.github.kubecontroller.emulator.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every resource the emulator serves right now: the built-ins and the versions of established custom resource
 * definitions. Discovery, routing and OpenAPI read it; the CRD lifecycle writes it.
 */
public final class ResourceCatalog {

	private final Object lock = new Object();

	/** group → version → plural → type; insertion order is discovery order. */
	private final Map<String, Map<String, Map<String, ResourceType>>> groups = new LinkedHashMap<>();

	private final AtomicLong revision = new AtomicLong();

	public ResourceCatalog() {
		BuiltInTypes.all().forEach(this::add);
	}

	/** Adds or replaces one resource version. */
	public void add(ResourceType type) {
		synchronized (this.lock) {
			this.groups.computeIfAbsent(type.group(), (g) -> new LinkedHashMap<>())
				.computeIfAbsent(type.version(), (v) -> new LinkedHashMap<>())
				.put(type.plural(), type);
			this.revision.incrementAndGet();
		}
	}

	/** Replaces every version of one custom resource (identified by its storage) with the given ones. */
	public void replaceCustom(String storage, List<ResourceType> types) {
		synchronized (this.lock) {
			removeStorage(storage);
			types.forEach(this::add);
			this.revision.incrementAndGet();
		}
	}

	public void removeCustom(String storage) {
		synchronized (this.lock) {
			removeStorage(storage);
			this.revision.incrementAndGet();
		}
	}

	private void removeStorage(String storage) {
		this.groups.values()
			.forEach((versions) -> versions.values()
				.forEach((resources) -> resources.values()
					.removeIf((type) -> type.isCustom() && type.storage().equals(storage))));
		this.groups.values().forEach((versions) -> versions.values().removeIf(Map::isEmpty));
		this.groups.values().removeIf(Map::isEmpty);
	}

	public Optional<ResourceType> find(String group, String version, String plural) {
		synchronized (this.lock) {
			return Optional.ofNullable(this.groups.getOrDefault(group, Map.of())
				.getOrDefault(version, Map.of())
				.get(plural));
		}
	}

	public boolean hasGroupVersion(String group, String version) {
		synchronized (this.lock) {
			return this.groups.getOrDefault(group, Map.of()).containsKey(version);
		}
	}

	/** The type serving {@code kind} in {@code group/version}, if any. */
	public Optional<ResourceType> findKind(String group, String version, String kind) {
		synchronized (this.lock) {
			return this.groups.getOrDefault(group, Map.of())
				.getOrDefault(version, Map.of())
				.values()
				.stream()
				.filter((type) -> type.kind().equals(kind))
				.findFirst();
		}
	}

	/** A snapshot: group → versions (preferred first) → resources. */
	public Map<String, Map<String, List<ResourceType>>> snapshot() {
		synchronized (this.lock) {
			Map<String, Map<String, List<ResourceType>>> copy = new LinkedHashMap<>();
			this.groups.forEach((group, versions) -> {
				Map<String, List<ResourceType>> versionCopy = new LinkedHashMap<>();
				versions.entrySet()
					.stream()
					.sorted((a, b) -> VersionPriority.compare(a.getKey(), b.getKey()))
					.forEach((e) -> versionCopy.put(e.getKey(), new ArrayList<>(e.getValue().values())));
				copy.put(group, versionCopy);
			});
			return copy;
		}
	}

	/** Changes whenever the set of served resources changes; discovery documents are cached per revision. */
	public long revision() {
		return this.revision.get();
	}
}
