package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InformerCacheTest {

	private final InformerCache<V1ConfigMap> cache = new InformerCache<>("test");

	private static V1ConfigMap configMap(String namespace, String name, String resourceVersion, String... owners) {
		V1ObjectMeta metadata = new V1ObjectMeta().namespace(namespace).name(name).resourceVersion(resourceVersion);
		for (String owner : owners) {
			metadata.addOwnerReferencesItem(new V1OwnerReference().uid(owner).kind("Owner").name(owner)
				.apiVersion("v1"));
		}
		return new V1ConfigMap().metadata(metadata).putDataItem("color", name.startsWith("red") ? "red" : "blue");
	}

	private void put(V1ConfigMap object) {
		cache.put(CacheEntry.of(object));
	}

	private static List<String> names(List<V1ConfigMap> objects) {
		return objects.stream().map((o) -> o.getMetadata().getName()).sorted().toList();
	}

	@Test
	void keysAreNamespaceSlashNameAndListersWork() {
		put(configMap("a", "one", "1"));
		put(configMap("b", "two", "2"));

		assertThat(cache.listKeys()).containsExactlyInAnyOrder("a/one", "b/two");
		assertThat(cache.getByKey("a/one").getMetadata().getName()).isEqualTo("one");
		assertThat(cache.get(configMap("b", "two", "9"))).isSameAs(cache.getByKey("b/two"));
		Lister<V1ConfigMap> lister = new Lister<>(cache);
		assertThat(names(lister.list())).containsExactly("one", "two");
		assertThat(names(lister.namespace("a").list())).containsExactly("one");
		assertThat(lister.namespace("b").get("two")).isNotNull();
		assertThat(lister.namespace("a").get("two")).isNull();
	}

	@Test
	void clusterScopedObjectsAreKeyedByName() {
		InformerCache<V1Namespace> namespaces = new InformerCache<>("namespaces");
		namespaces.put(CacheEntry.of(new V1Namespace().metadata(new V1ObjectMeta().name("shop"))));

		assertThat(namespaces.listKeys()).containsExactly("shop");
		assertThat(new Lister<>(namespaces).get("shop")).isNotNull();
		assertThat(namespaces.byIndex(Indexes.NAMESPACE, "")).hasSize(1);
	}

	@Test
	void builtInIndexesFollowChanges() {
		put(configMap("a", "child-1", "1", "owner-1"));
		put(configMap("a", "child-2", "2", "owner-1", "owner-2"));
		put(configMap("b", "other", "3"));

		assertThat(names(cache.byIndex(Indexes.OWNER_UID, "owner-1"))).containsExactly("child-1", "child-2");
		assertThat(names(cache.byIndex(Indexes.OWNER_UID, "owner-2"))).containsExactly("child-2");
		assertThat(cache.indexKeys(Indexes.NAMESPACE, "a")).containsExactlyInAnyOrder("a/child-1", "a/child-2");

		put(configMap("a", "child-2", "4", "owner-2"));
		cache.remove("a", "child-1");

		assertThat(cache.byIndex(Indexes.OWNER_UID, "owner-1")).isEmpty();
		assertThat(names(cache.byIndex(Indexes.OWNER_UID, "owner-2"))).containsExactly("child-2");
		assertThat(names(cache.index(Indexes.NAMESPACE, configMap("a", "x", "0")))).containsExactly("child-2");
		assertThat(cache.getIndexers()).containsKeys(Indexes.NAMESPACE, Indexes.OWNER_UID);
	}

	@Test
	void addedIndexesCoverWhatIsAlreadyCached() {
		put(configMap("a", "red-1", "1"));
		put(configMap("a", "blue-1", "2"));

		cache.addIndexers(Map.of("color", (cm) -> List.of(cm.getData().get("color"))));
		put(configMap("b", "red-2", "3"));

		assertThat(names(cache.byIndex("color", "red"))).containsExactly("red-1", "red-2");
		assertThat(names(cache.byIndex("color", "blue"))).containsExactly("blue-1");
		assertThatThrownBy(() -> cache.addIndexers(Map.of("color", (cm) -> List.of())))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> cache.byIndex("size", "x")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aFailingIndexFunctionLeavesTheObjectOutOfThatIndexOnly() {
		cache.addIndexers(Map.of("fragile", (cm) -> {
			throw new IllegalStateException("broken");
		}));

		put(configMap("a", "one", "1"));

		assertThat(cache.listKeys()).containsExactly("a/one");
		assertThat(cache.indexKeys(Indexes.NAMESPACE, "a")).containsExactly("a/one");
		assertThat(cache.indexKeys("fragile", "x")).isEmpty();
	}

	@Test
	void replaceAllSwapsTheWholeContentAndItsIndexes() {
		put(configMap("a", "old", "1", "owner"));
		EntryTable<V1ConfigMap> replacement = new EntryTable<>();
		for (V1ConfigMap cm : List.of(configMap("a", "new", "2", "owner"), configMap("c", "other", "3"))) {
			replacement.put(CacheEntry.of(cm));
		}

		EntryTable<V1ConfigMap> previous = cache.replaceAll(replacement);

		assertThat(previous).extracting(CacheEntry::key).containsExactly("a/old");
		assertThat(cache.listKeys()).containsExactlyInAnyOrder("a/new", "c/other");
		assertThat(names(cache.byIndex(Indexes.OWNER_UID, "owner"))).containsExactly("new");
		assertThat(cache.indexKeys(Indexes.NAMESPACE, "c")).containsExactly("c/other");
		assertThat(cache.size()).isEqualTo(2);
	}

	@Test
	void callersCannotChangeTheCache() {
		V1ConfigMap cm = configMap("a", "one", "1");
		assertThatThrownBy(() -> cache.add(cm)).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> cache.update(cm)).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> cache.delete(cm)).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> cache.replace(List.of(cm), "1")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(cache::resync).isInstanceOf(UnsupportedOperationException.class);
		Function<V1ConfigMap, List<String>> none = (o) -> List.of();
		assertThatThrownBy(() -> cache.getIndexers().put("x", none)).isInstanceOf(UnsupportedOperationException.class);
	}
}
