package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectTransformTest {

	private static final ObjectTransform BOTH = ObjectTransform.DROP_MANAGED_FIELDS
		.andThen(ObjectTransform.DROP_LAST_APPLIED_CONFIGURATION);

	@Test
	void dropsManagedFieldsAndTheLastAppliedConfigurationOfModels() {
		V1ConfigMap configMap = new V1ConfigMap().metadata(new V1ObjectMeta().name("a")
			.managedFields(List.of(new V1ManagedFieldsEntry().manager("kubectl")))
			.annotations(new HashMap<>(Map.of(ObjectTransform.LAST_APPLIED_CONFIGURATION, "{...}", "kept", "yes"))));

		V1ConfigMap transformed = (V1ConfigMap) BOTH.apply(configMap);

		assertThat(transformed.getMetadata().getManagedFields()).isNull();
		assertThat(transformed.getMetadata().getAnnotations()).containsOnlyKeys("kept");
	}

	@Test
	void dropsThemFromDynamicObjectsToo() {
		DynamicKubernetesObject object = new DynamicKubernetesObject(JsonParser.parseString("""
				{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "managedFields": [{}],
				 "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "kept": "yes"}}}
				""").getAsJsonObject());

		DynamicKubernetesObject transformed = (DynamicKubernetesObject) BOTH.apply(object);

		assertThat(transformed.getRaw().getAsJsonObject("metadata").has("managedFields")).isFalse();
		assertThat(transformed.getRaw().getAsJsonObject("metadata").getAsJsonObject("annotations").keySet())
			.containsExactly("kept");
	}

	@Test
	void leavesObjectsWithoutAnnotationsAlone() {
		V1ConfigMap configMap = new V1ConfigMap().metadata(new V1ObjectMeta().name("a"));

		assertThat(BOTH.apply(configMap)).isSameAs(configMap);
		assertThat(configMap.getMetadata().getName()).isEqualTo("a");
	}
}
