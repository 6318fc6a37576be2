package io.github.kubecontroller.runtime.apply;

import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.V1Condition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceSubresources;
import io.kubernetes.client.openapi.models.V1CustomResourceValidation;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A custom resource class written the way client-java's models are (collections initialised empty), with a
 * status subresource.
 */
public class Website implements KubernetesObject {

	public static final ResourceType TYPE = new ResourceType("demo.kubecontroller.io", "v1", "Website", "websites",
			true);

	String apiVersion = TYPE.apiVersion();

	String kind = TYPE.kind();

	V1ObjectMeta metadata;

	Spec spec;

	Status status;

	public Website() {
	}

	public Website(String name, String namespace) {
		this.metadata = new V1ObjectMeta().name(name).namespace(namespace);
	}

	@Override
	public V1ObjectMeta getMetadata() {
		return this.metadata;
	}

	@Override
	public String getApiVersion() {
		return this.apiVersion;
	}

	@Override
	public String getKind() {
		return this.kind;
	}

	public static class Spec {

		String host;

		Integer replicas;

		List<String> aliases = new ArrayList<>();
	}

	public static class Status {

		Long observedGeneration;

		String phase;

		List<V1Condition> conditions = new ArrayList<>();

		Map<String, String> details = new HashMap<>();
	}

	/** Installs the CustomResourceDefinition of websites, with a status subresource. */
	public static void installDefinition(ApiClient client) throws ApiException {
		V1CustomResourceDefinitionVersion version = new V1CustomResourceDefinitionVersion().name(TYPE.version())
			.served(true)
			.storage(true)
			.schema(new V1CustomResourceValidation()
				.openAPIV3Schema(new V1JSONSchemaProps().type("object").xKubernetesPreserveUnknownFields(true)))
			.subresources(new V1CustomResourceSubresources().status(new LinkedHashMap<>()));
		V1CustomResourceDefinition definition = new V1CustomResourceDefinition()
			.metadata(new V1ObjectMeta().name(TYPE.plural() + "." + TYPE.group()))
			.spec(new V1CustomResourceDefinitionSpec().group(TYPE.group())
				.scope("Namespaced")
				.names(new V1CustomResourceDefinitionNames().plural(TYPE.plural())
					.singular("website")
					.kind(TYPE.kind())
					.listKind("WebsiteList"))
				.addVersionsItem(version));
		new ApiextensionsV1Api(client).createCustomResourceDefinition(definition).execute();
	}
}
