package io.github.kubecontroller.runtime.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CustomResourceSubresources;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicySpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrunedJsonTest {

	private final PrunedJson json = new PrunedJson(JSON.getGson());

	private static JsonElement parse(String text) {
		return JsonParser.parseString(text);
	}

	@Test
	void modelDefaultsAreWhatThePruningIsFor() {
		V1ConfigMap configMap = new V1ConfigMap().metadata(new V1ObjectMeta().name("x").namespace("ns"));

		// The hazard: a plain serialisation of a fresh model.
		String plain = JSON.getGson().toJson(configMap);
		assertThat(plain).contains("\"finalizers\":[]", "\"ownerReferences\":[]", "\"labels\":{}",
				"\"annotations\":{}");

		assertThat(this.json.tree(configMap)).isEqualTo(parse("{\"metadata\":{\"name\":\"x\",\"namespace\":\"ns\"}}"));
	}

	@Test
	void emptyStructsKeepTheirMeaning() {
		V1PodSpec pod = new V1PodSpec().addContainersItem(new V1Container().name("app").image("nginx"))
			.addVolumesItem(new V1Volume().name("scratch").emptyDir(new V1EmptyDirVolumeSource()));
		V1NetworkPolicy allowAllEgress = new V1NetworkPolicy().metadata(new V1ObjectMeta().name("p"))
			.spec(new V1NetworkPolicySpec().podSelector(new V1LabelSelector())
				.addPolicyTypesItem("Egress")
				.addEgressItem(new V1NetworkPolicyEgressRule()));

		assertThat(this.json.tree(pod)).isEqualTo(parse("""
				{"containers":[{"image":"nginx","name":"app"}],"volumes":[{"emptyDir":{},"name":"scratch"}]}"""));
		assertThat(this.json.tree(allowAllEgress)).isEqualTo(parse("""
				{"metadata":{"name":"p"},"spec":{"egress":[{}],"podSelector":{},"policyTypes":["Egress"]}}"""));
	}

	@Test
	void valuesOfObjectFieldsAreLeftAsWritten() {
		// The CRD way to enable the status subresource is an empty object in an Object-typed field.
		V1CustomResourceSubresources subresources = new V1CustomResourceSubresources().status(new LinkedHashMap<>());

		assertThat(this.json.tree(subresources)).isEqualTo(parse("{\"status\":{}}"));
	}

	@Test
	void untypedTreesLoseNullsAndEmptyArraysOnly() {
		JsonObject tree = parse("""
				{"a":null,"b":[],"c":{},"d":{"e":[null,[]],"f":[1,null,{"g":null}]},"h":"","i":0,"j":false}""")
			.getAsJsonObject();
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("a", null);
		map.put("b", new ArrayList<>());
		map.put("c", new LinkedHashMap<>());
		map.put("h", "");

		assertThat(this.json.tree(tree))
			.isEqualTo(parse("{\"c\":{},\"d\":{\"f\":[1,{}]},\"h\":\"\",\"i\":0,\"j\":false}"));
		assertThat(tree.has("a")).as("the input is not changed").isTrue();
		assertThat(this.json.tree(map)).isEqualTo(parse("{\"c\":{},\"h\":\"\"}"));
		assertThat(this.json.tree(new DynamicKubernetesObject(tree))).isEqualTo(this.json.tree(tree));
	}

	@Test
	void nestedEmptyCollectionsOfCustomClassesAreDropped() {
		Website website = new Website("w", "ns");
		website.status = new Website.Status();
		website.status.phase = "Ready";
		website.status.details = Map.of();

		assertThat(this.json.tree(website)).isEqualTo(parse("""
				{"apiVersion":"demo.kubecontroller.io/v1","kind":"Website",
				 "metadata":{"name":"w","namespace":"ns"},"status":{"phase":"Ready"}}"""));
		assertThat(this.json.tree(List.of())).isEqualTo(parse("[]"));
		assertThat(this.json.tree(null).isJsonNull()).isTrue();
	}
}
