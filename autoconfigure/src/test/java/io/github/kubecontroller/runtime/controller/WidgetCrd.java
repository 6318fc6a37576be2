package io.github.kubecontroller.runtime.controller;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceSubresources;
import io.kubernetes.client.openapi.models.V1CustomResourceValidation;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.List;
import java.util.Map;

/** Installs the {@link Widget} CustomResourceDefinition through the API, as a user would. */
public final class WidgetCrd {

	private WidgetCrd() {
	}

	public static void install(ApiClient client) throws ApiException {
		V1JSONSchemaProps open = new V1JSONSchemaProps().type("object").xKubernetesPreserveUnknownFields(true);
		V1CustomResourceDefinition crd = new V1CustomResourceDefinition()
				.apiVersion("apiextensions.k8s.io/v1").kind("CustomResourceDefinition")
				.metadata(new V1ObjectMeta().name("widgets.test.kubecontroller.io"))
				.spec(new V1CustomResourceDefinitionSpec()
						.group("test.kubecontroller.io")
						.scope("Namespaced")
						.names(new V1CustomResourceDefinitionNames().kind("Widget").plural("widgets")
								.singular("widget").listKind("WidgetList"))
						.versions(List.of(new V1CustomResourceDefinitionVersion()
								.name("v1").served(true).storage(true)
								.subresources(new V1CustomResourceSubresources().status(Map.of()))
								.schema(new V1CustomResourceValidation().openAPIV3Schema(new V1JSONSchemaProps()
										.type("object")
										.properties(Map.of("spec", open, "status", open)))))));
		new ApiextensionsV1Api(client).createCustomResourceDefinition(crd).execute();
	}
}
