package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl describe} of a ConfigMap and of a custom resource, with their events. */
class KubectlDescribeTest extends KubectlTestSupport {

	@Override
	protected String namespace() {
		return "kubectl-describe";
	}

	@BeforeAll
	void setUpCrd() throws Exception {
		createCrd("sprockets", "sprocket", "Sprocket", "spk");
	}

	@Test
	@DisplayName("L3, D1: describe cm exits 0, shows its Data and only its own events (involvedObject.* field selectors)")
	void describeConfigMap() throws Exception {
		V1ConfigMap described = createConfigMap("described", Map.of("k", "v"));
		V1ConfigMap neighbour = createConfigMap("neighbour", Map.of("k", "v"));
		createEvent("described.1", reference(described), "Tested", "hello from the test");
		createEvent("neighbour.1", reference(neighbour), "Other", "an event of another object");

		Kubectl.Result result = this.kubectl.run("describe", "cm", "described").assertSuccess();

		String out = result.stdout();
		assertThat(out).as(result.describe())
			.containsPattern("(?m)^Name:\\s+described$")
			.containsPattern("(?m)^Namespace:\\s+kubectl-describe$")
			.contains("Data\n====\nk:\n----\nv\n")
			.contains("BinaryData\n====\n")
			.containsPattern("(?m)^\\s+Normal\\s+Tested\\s+\\S+\\s+kubectl-test\\s+hello from the test$")
			.doesNotContain("an event of another object");
		assertThat(result.stderr()).as(result.describe()).isEmpty();
	}

	@Test
	@DisplayName("L3, D1: describe cm of an object without events prints Events: <none>")
	void describeConfigMapWithoutEvents() throws Exception {
		createConfigMap("quiet", Map.of("only", "value"));

		Kubectl.Result result = this.kubectl.run("describe", "configmap", "quiet").assertSuccess();

		assertThat(result.stdout()).as(result.describe())
			.containsPattern("(?m)^Name:\\s+quiet$")
			.contains("Data\n====\nonly:\n----\nvalue\n")
			.containsPattern("(?m)^Events:\\s+<none>$");
	}

	@Test
	@DisplayName("L3, C7, D1: describe of a custom resource shows its spec, status and events")
	void describeCustomResource() throws Exception {
		Map<String, Object> created = createCustomObject("sprockets", yaml("""
				apiVersion: kubectl.example.com/v1
				kind: Sprocket
				metadata:
				  name: s1
				spec:
				  size: 3
				  color: blue
				"""));
		created.put("status", Map.of("phase", "Spinning"));
		this.custom.replaceNamespacedCustomObjectStatus(CRD_GROUP, "v1", namespace(), "sprockets", "s1", created)
			.execute();
		createEvent("s1.1", new V1ObjectReference().apiVersion("kubectl.example.com/v1")
			.kind("Sprocket")
			.name("s1")
			.namespace(namespace())
			.uid((String) path(created, "metadata", "uid")), "Spun", "the sprocket spun");

		Kubectl.Result result = this.kubectl.run("describe", "sprocket", "s1").assertSuccess();

		assertThat(result.stdout()).as(result.describe())
			.containsPattern("(?m)^Name:\\s+s1$")
			.containsPattern("(?m)^Namespace:\\s+kubectl-describe$")
			.containsPattern("(?m)^API Version:\\s+kubectl.example.com/v1$")
			.containsPattern("(?m)^Kind:\\s+Sprocket$")
			.containsPattern("(?m)^Spec:\\n\\s+Color:\\s+blue\\n\\s+Size:\\s+3$")
			.containsPattern("(?m)^Status:\\n\\s+Phase:\\s+Spinning$")
			.containsPattern("(?m)^\\s+Normal\\s+Spun\\s+\\S+\\s+kubectl-test\\s+the sprocket spun$");
	}

	private static V1ObjectReference reference(V1ConfigMap configMap) {
		return new V1ObjectReference().apiVersion("v1")
			.kind("ConfigMap")
			.name(configMap.getMetadata().getName())
			.namespace(configMap.getMetadata().getNamespace())
			.uid(configMap.getMetadata().getUid());
	}

	private void createEvent(String name, V1ObjectReference involved, String reason, String message)
			throws Exception {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		this.core
			.createNamespacedEvent(namespace(),
					new CoreV1Event().metadata(new V1ObjectMeta().name(name))
						.involvedObject(involved)
						.reason(reason)
						.message(message)
						.type("Normal")
						.source(new V1EventSource().component("kubectl-test"))
						.firstTimestamp(now)
						.lastTimestamp(now)
						.count(1))
			.execute();
	}
}
