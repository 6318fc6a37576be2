package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What keeps a cached object small: canonical strings, the compact form and the entry table. The objects decode
 * equal to what a plain decode gives; only the memory they share changes.
 */
class CacheMemoryTest {

	private static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);

	private static final String JSON = """
			{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"shop","uid":"u-%s",
			 "resourceVersion":"%s","creationTimestamp":"2026-11-24T10:00:00Z","labels":{"app":"web","tier":"%s"},
			 "annotations":{"note":"a \\"quoted\\" value"},"finalizers":["example.com/cleanup"],
			 "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"owner-1"}],
			 "managedFields":[{"manager":"kubectl","operation":"Apply","fieldsV1":{"f:data":{}}}]},
			 "data":{"greeting":"hello %s","empty":""}}
			""";

	@Test
	void decodedObjectsShareTheStringsThatRepeat() {
		ObjectDecoder<V1ConfigMap> decoder = decoder(V1ConfigMap.class, ObjectTransform.DROP_MANAGED_FIELDS, false);

		V1ConfigMap first = decoder.decode(tree(decoder, "one", "1")).object();
		V1ConfigMap second = decoder.decode(tree(decoder, "two", "2")).object();

		assertThat(second).isEqualTo(plain("two", "2", true));
		assertThat(second.getApiVersion()).isSameAs(first.getApiVersion());
		assertThat(second.getKind()).isSameAs(first.getKind());
		assertThat(second.getMetadata().getNamespace()).isSameAs(first.getMetadata().getNamespace());
		assertThat(second.getMetadata().getLabels().get("tier")).isSameAs(first.getMetadata().getLabels().get("tier"));
		assertThat(keyOf(second.getMetadata().getLabels(), "app")).isSameAs(keyOf(first.getMetadata().getLabels(), "app"));
		assertThat(keyOf(second.getData(), "greeting")).isSameAs(keyOf(first.getData(), "greeting"));
		assertThat(second.getMetadata().getFinalizers().get(0)).isSameAs(first.getMetadata().getFinalizers().get(0));
		assertThat(second.getMetadata().getOwnerReferences().get(0).getKind())
			.isSameAs(first.getMetadata().getOwnerReferences().get(0).getKind());
		// What differs from object to object is not shared.
		assertThat(second.getData().get("greeting")).isEqualTo("hello two");
	}

	@Test
	void aCompactObjectDecodesEqualToThePlainOneWithoutKeepingWhatTheEntryHolds() {
		ObjectDecoder<V1ConfigMap> decoder = decoder(V1ConfigMap.class, ObjectTransform.NONE, true);

		ObjectDecoder.Decoded<V1ConfigMap> decoded = decoder.decode(tree(decoder, "one", "7"));

		V1ConfigMap expected = plain("one", "7", false);
		assertThat(decoded.object()).isEqualTo(expected);
		assertThat(decoded.entry().object()).isEqualTo(expected).isNotSameAs(decoded.entry().object());
		String stored = compactText(decoded.entry());
		assertThat(stored).startsWith("{\"metadata\":{").doesNotContain("\"one\"").doesNotContain("\"shop\"")
			.doesNotContain("ConfigMap").doesNotContain("\"apiVersion\":\"v1\"").doesNotContain("resourceVersion");
	}

	@Test
	void aCompactObjectWithTheDefaultTransformKeepsItsJsonAsItCame() {
		ObjectDecoder<V1ConfigMap> decoder = decoder(V1ConfigMap.class, ObjectTransform.DROP_MANAGED_FIELDS, true);

		ObjectDecoder.Decoded<V1ConfigMap> decoded = decoder.decode(tree(decoder, "one", "7"));

		V1ConfigMap expected = plain("one", "7", false);
		expected.getMetadata().setManagedFields(List.of());
		assertThat(decoded.entry().object()).isEqualTo(expected);
		// No empty lists or maps written back from a model, and no managedFields.
		assertThat(compactText(decoded.entry())).doesNotContain("managedFields").doesNotContain("[]")
			.doesNotContain("{}");
	}

	@Test
	void aCompactObjectWithAUserTransformDecodesAsTheTransformLeftIt() {
		ObjectTransform dropData = (object) -> ((V1ConfigMap) object).data(null);
		ObjectDecoder<V1ConfigMap> decoder = decoder(V1ConfigMap.class, dropData, true);

		V1ConfigMap cached = decoder.decode(tree(decoder, "one", "7")).entry().object();

		assertThat(cached.getMetadata().getName()).isEqualTo("one");
		assertThat(cached.getMetadata().getNamespace()).isEqualTo("shop");
		assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
		assertThat(cached.getKind()).isEqualTo("ConfigMap");
		assertThat(cached.getData()).isEmpty();
	}

	@Test
	void compactDynamicObjectsAndObjectsWithNothingButANameDecodeWhole() {
		ObjectDecoder<DynamicKubernetesObject> decoder = decoder(DynamicKubernetesObject.class,
				ObjectTransform.NONE, true);
		JsonObject full = tree(decoder, "one", "3");
		JsonObject copy = full.deepCopy();
		assertThat(decoder.decode(full).entry().object().getRaw()).isEqualTo(copy);

		JsonObject bare = JsonParser.parseString("{\"metadata\":{\"name\":\"bare\"}}").getAsJsonObject();
		JsonObject bareExpected = JsonParser.parseString(
				"{\"metadata\":{\"name\":\"bare\"},\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}").getAsJsonObject();
		assertThat(decoder.decode(bare).entry().object().getRaw()).isEqualTo(bareExpected);
	}

	@Test
	void canonicalStringsStayBoundedWhateverTheyAreFed() {
		CanonicalStrings strings = new CanonicalStrings(100);
		String hot = strings.canonical(new String("hot"));
		for (int i = 0; i < 10_000; i++) {
			strings.canonical("unique-" + i);
			if (i % 50 == 0) {
				// A string that keeps coming back stays canonical across generations.
				assertThat(strings.canonical(new String("hot"))).isSameAs(hot);
			}
			assertThat(strings.size()).isLessThanOrEqualTo(200);
		}
		String longValue = "x".repeat(CanonicalStrings.MAX_LENGTH + 1);
		assertThat(strings.canonical(longValue)).isSameAs(longValue);
		assertThat(strings.canonical(new String(longValue))).isNotSameAs(longValue);
	}

	@Test
	void theEntryTableFindsEveryEntryAfterRemovals() {
		EntryTable<V1ConfigMap> table = new EntryTable<>();
		Set<String> present = new HashSet<>();
		for (int i = 0; i < 2_000; i++) {
			table.put(CacheEntry.of(configMap("ns-" + (i % 7), "cm-" + i)));
			present.add("ns-" + (i % 7) + "/cm-" + i);
		}
		for (int i = 0; i < 2_000; i += 3) {
			assertThat(table.remove("ns-" + (i % 7), "cm-" + i)).isNotNull();
			present.remove("ns-" + (i % 7) + "/cm-" + i);
		}
		assertThat(table.remove("ns-0", "absent")).isNull();
		CacheEntry<V1ConfigMap> replaced = CacheEntry.of(configMap("ns-1", "cm-1"));
		assertThat(table.put(replaced)).isNotNull().isNotSameAs(replaced);

		assertThat(table.size()).isEqualTo(present.size());
		Set<String> listed = new HashSet<>();
		table.forEach((entry) -> listed.add(entry.key()));
		assertThat(listed).isEqualTo(present);
		for (String key : present) {
			assertThat(table.get(CacheEntry.namespaceOf(key), CacheEntry.nameOf(key))).isNotNull();
		}
		assertThat(table.get("ns-1", "cm-1")).isSameAs(replaced);
	}

	private static <T extends io.kubernetes.client.common.KubernetesObject> ObjectDecoder<T> decoder(Class<T> type,
			ObjectTransform transform, boolean compact) {
		return new ObjectDecoder<>(type, CONFIG_MAPS, transform, "test", compact);
	}

	private static JsonObject tree(ObjectDecoder<?> decoder, String name, String version) {
		return JsonTree.parse(json(name, version), decoder.strings()).getAsJsonObject();
	}

	private static String json(String name, String version) {
		return JSON.formatted(name, name, version, "tier-" + (name.length() % 2), name).replace("\n", "");
	}

	/** The object as client-java decodes it, managedFields dropped or not. */
	private static V1ConfigMap plain(String name, String version, boolean dropManagedFields) {
		V1ConfigMap object = io.kubernetes.client.openapi.JSON.getGson().fromJson(json(name, version),
				V1ConfigMap.class);
		if (dropManagedFields) {
			object.getMetadata().setManagedFields(null);
		}
		return object;
	}

	private static String compactText(CacheEntry<?> entry) {
		assertThat(entry.isCompact()).isTrue();
		byte[] form = compactBytes(entry);
		return new String(form, 1, form.length - 1, StandardCharsets.UTF_8);
	}

	private static byte[] compactBytes(CacheEntry<?> entry) {
		try {
			java.lang.reflect.Field payload = CacheEntry.class.getDeclaredField("payload");
			payload.setAccessible(true);
			return (byte[]) payload.get(entry);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static <K, V> K keyOf(Map<K, V> map, K key) {
		return map.keySet().stream().filter(key::equals).findFirst().orElseThrow();
	}

	private static V1ConfigMap configMap(String namespace, String name) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace).name(name).resourceVersion("1"));
	}
}
