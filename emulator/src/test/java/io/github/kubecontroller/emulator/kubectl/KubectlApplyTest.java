package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl apply}: client-side and server-side. */
class KubectlApplyTest extends KubectlTestSupport {

	private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

	@Override
	protected String namespace() {
		return "kubectl-apply";
	}

	@Test
	@DisplayName("J6, B9, B10, J7, F11: apply -f creates, then configures a changed file, then leaves an unchanged file alone")
	void clientSideApply() throws Exception {
		Path first = this.kubectl.writeFile("csa.yaml", configMapYaml("csa", Map.of("k1", "one", "k2", "two")));

		Kubectl.Result created = this.kubectl.run("apply", "-f", first.toString()).assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe()).isEqualTo("configmap/csa created");
		V1ConfigMap live = readConfigMap("csa");
		assertThat(live.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k1", "one", "k2", "two"));
		assertThat(live.getMetadata().getAnnotations()).containsKey(LAST_APPLIED);
		assertThat(live.getMetadata().getAnnotations().get(LAST_APPLIED)).contains("\"k1\":\"one\"", "\"k2\":\"two\"");

		// k1 changes, k2 is dropped from the file (so kubectl sends k2: null), k3 is new.
		Path second = this.kubectl.writeFile("csa.yaml", configMapYaml("csa", Map.of("k1", "uno", "k3", "three")));
		Kubectl.Result configured = this.kubectl.run("apply", "-f", second.toString()).assertSuccess();
		assertThat(configured.stdout().strip()).as(configured.describe()).isEqualTo("configmap/csa configured");
		V1ConfigMap updated = readConfigMap("csa");
		assertThat(updated.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k1", "uno", "k3", "three"));
		assertThat(updated.getMetadata().getAnnotations().get(LAST_APPLIED)).contains("\"k1\":\"uno\"")
			.doesNotContain("k2");
		assertThat(updated.getMetadata().getResourceVersion())
			.isNotEqualTo(live.getMetadata().getResourceVersion());

		Kubectl.Result unchanged = this.kubectl.run("apply", "-f", second.toString()).assertSuccess();
		assertThat(unchanged.stdout().strip()).as(unchanged.describe()).isEqualTo("configmap/csa unchanged");
		assertThat(readConfigMap("csa").getMetadata().getResourceVersion()).as("an unchanged apply writes nothing")
			.isEqualTo(updated.getMetadata().getResourceVersion());
	}

	@Test
	@DisplayName("J2, J4, F11: apply --server-side creates an object, updates a changed field, and re-applying changes nothing")
	void serverSideApplyCreatesAndUpdates() throws Exception {
		Path first = this.kubectl.writeFile("ssa.yaml", configMapYaml("ssa", Map.of("a", "1", "b", "2")));

		Kubectl.Result created = this.kubectl.run("apply", "--server-side", "-f", first.toString()).assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe()).isEqualTo("configmap/ssa serverside-applied");
		V1ConfigMap live = readConfigMap("ssa");
		assertThat(live.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
		Map<String, String> annotations = live.getMetadata().getAnnotations();
		assertThat(annotations == null ? Map.of() : annotations).as("server-side apply keeps no last-applied annotation")
			.doesNotContainKey(LAST_APPLIED);

		Path second = this.kubectl.writeFile("ssa.yaml", configMapYaml("ssa", Map.of("a", "10", "b", "2")));
		Kubectl.Result updated = this.kubectl.run("apply", "--server-side", "-f", second.toString()).assertSuccess();
		assertThat(updated.stdout().strip()).as(updated.describe()).isEqualTo("configmap/ssa serverside-applied");
		V1ConfigMap after = readConfigMap("ssa");
		assertThat(after.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "10", "b", "2"));
		assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(live.getMetadata().getResourceVersion());
		assertThat(after.getMetadata().getUid()).isEqualTo(live.getMetadata().getUid());

		this.kubectl.run("apply", "--server-side", "-f", second.toString()).assertSuccess();
		assertThat(readConfigMap("ssa").getMetadata().getResourceVersion()).as("re-applying the same file is a no-op")
			.isEqualTo(after.getMetadata().getResourceVersion());
	}

	@Test
	@DisplayName("J5: apply --server-side removes a field its manager owned and no longer applies")
	void serverSideApplyRemovesDroppedField() throws Exception {
		Path first = this.kubectl.writeFile("ssa-drop.yaml", configMapYaml("ssa-drop", Map.of("a", "1", "b", "2")));
		this.kubectl.run("apply", "--server-side", "-f", first.toString()).assertSuccess();

		Path second = this.kubectl.writeFile("ssa-drop.yaml", configMapYaml("ssa-drop", Map.of("a", "1")));
		Kubectl.Result result = this.kubectl.run("apply", "--server-side", "-f", second.toString()).assertSuccess();

		assertThat(readConfigMap("ssa-drop").getData()).as(result.describe())
			.containsExactlyInAnyOrderEntriesOf(Map.of("a", "1"));
	}

	@Test
	@DisplayName("I5, J5: apply --server-side of a field another manager changed fails with a conflict, --force-conflicts takes it over")
	void serverSideApplyConflict() throws Exception {
		Path file = this.kubectl.writeFile("ssa-conflict.yaml", configMapYaml("ssa-conflict", Map.of("a", "1")));
		this.kubectl.run("apply", "--server-side", "-f", file.toString()).assertSuccess();
		this.kubectl.run("patch", "configmap", "ssa-conflict", "--type=merge", "-p", "{\"data\":{\"a\":\"9\"}}")
			.assertSuccess();

		Kubectl.Result conflict = this.kubectl.run("apply", "--server-side", "-f", file.toString()).assertFailure();
		assertThat(conflict.stderr()).as(conflict.describe())
			.contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.a");
		assertThat(readConfigMap("ssa-conflict").getData()).containsEntry("a", "9");

		Kubectl.Result forced = this.kubectl
			.run("apply", "--server-side", "--force-conflicts", "-f", file.toString())
			.assertSuccess();
		assertThat(forced.stdout().strip()).as(forced.describe())
			.isEqualTo("configmap/ssa-conflict serverside-applied");
		assertThat(readConfigMap("ssa-conflict").getData()).containsEntry("a", "1");
	}

	@Test
	@DisplayName("H7, J5: apply records managedFields: kubectl-client-side-apply (Update) and kubectl (Apply)")
	void applyRecordsManagedFields() throws Exception {
		Path csa = this.kubectl.writeFile("mf-csa.yaml", configMapYaml("mf-csa", Map.of("k", "v")));
		this.kubectl.run("apply", "-f", csa.toString()).assertSuccess();
		Path ssa = this.kubectl.writeFile("mf-ssa.yaml", configMapYaml("mf-ssa", Map.of("a", "1")));
		this.kubectl.run("apply", "--server-side", "-f", ssa.toString()).assertSuccess();

		// Read through kubectl: client-java drops managedFields unless -Dkubernetes.client.includeManagedFields=true.
		JsonNode csaFields = managedFields("mf-csa");
		assertThat(csaFields).as("managedFields of mf-csa").isNotEmpty().anySatisfy((entry) -> {
			assertThat(entry.path("manager").asText()).isEqualTo("kubectl-client-side-apply");
			assertThat(entry.path("operation").asText()).isEqualTo("Update");
			assertThat(entry.path("apiVersion").asText()).isEqualTo("v1");
			assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
			assertThat(entry.path("fieldsV1").path("f:data").has("f:k")).isTrue();
		});
		JsonNode ssaFields = managedFields("mf-ssa");
		assertThat(ssaFields).as("managedFields of mf-ssa").isNotEmpty().anySatisfy((entry) -> {
			assertThat(entry.path("manager").asText()).isEqualTo("kubectl");
			assertThat(entry.path("operation").asText()).isEqualTo("Apply");
			assertThat(entry.path("apiVersion").asText()).isEqualTo("v1");
			assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
			assertThat(entry.path("fieldsV1").path("f:data").has("f:a")).isTrue();
		});
	}

	static String configMapYaml(String name, Map<String, String> data) {
		StringBuilder yaml = new StringBuilder("""
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: %s
				data:
				""".formatted(name));
		new LinkedHashMap<>(data).forEach((key, value) -> yaml.append("  ").append(key).append(": \"").append(value)
			.append("\"\n"));
		return yaml.toString();
	}

	private JsonNode managedFields(String name) throws Exception {
		String json = this.kubectl.run("get", "configmap", name, "-o", "json", "--show-managed-fields").assertSuccess().stdout();
		return new ObjectMapper().readTree(json).path("metadata").path("managedFields");
	}
}
