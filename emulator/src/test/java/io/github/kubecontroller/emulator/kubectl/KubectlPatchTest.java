package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl patch} of a ConfigMap with each patch type. */
class KubectlPatchTest extends KubectlTestSupport {

	@Override
	protected String namespace() {
		return "kubectl-patch";
	}

	@Test
	@DisplayName("J1, H2: patch --type=merge merges into data and writes a new resourceVersion")
	void mergePatch() throws Exception {
		V1ConfigMap before = createConfigMap("merge", Map.of("k", "v"));

		Kubectl.Result result = this.kubectl
			.run("patch", "cm", "merge", "-p", "{\"data\":{\"a\":\"b\"}}", "--type=merge")
			.assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe()).isEqualTo("configmap/merge patched");
		V1ConfigMap after = readConfigMap("merge");
		assertThat(after.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v", "a", "b"));
		assertThat(Long.parseLong(after.getMetadata().getResourceVersion()))
			.isGreaterThan(Long.parseLong(before.getMetadata().getResourceVersion()));
	}

	@Test
	@DisplayName("J1, F11: a merge patch that changes nothing prints (no change) and keeps the resourceVersion")
	void noOpPatch() throws Exception {
		V1ConfigMap before = createConfigMap("noop", Map.of("k", "v"));

		Kubectl.Result result = this.kubectl
			.run("patch", "cm", "noop", "-p", "{\"data\":{\"k\":\"v\"}}", "--type=merge")
			.assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe()).isEqualTo("configmap/noop patched (no change)");
		assertThat(readConfigMap("noop").getMetadata().getResourceVersion())
			.isEqualTo(before.getMetadata().getResourceVersion());
	}

	@Test
	@DisplayName("J1: patch --type=json applies RFC 6902 operations in order")
	void jsonPatch() throws Exception {
		createConfigMap("json", Map.of("k", "v", "gone", "x"));

		Kubectl.Result result = this.kubectl.run("patch", "cm", "json", "--type=json", "-p", """
				[{"op":"add","path":"/data/j","value":"1"},
				 {"op":"remove","path":"/data/gone"},
				 {"op":"replace","path":"/data/k","value":"v2"},
				 {"op":"add","path":"/metadata/labels","value":{"patched":"yes"}}]""").assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe()).isEqualTo("configmap/json patched");
		V1ConfigMap after = readConfigMap("json");
		assertThat(after.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v2", "j", "1"));
		assertThat(after.getMetadata().getLabels()).containsEntry("patched", "yes");
	}

	@Test
	@DisplayName("J1, I11: patch --type=json with a failing test operation is rejected with 422 and changes nothing")
	void jsonPatchFailingTest() throws Exception {
		V1ConfigMap before = createConfigMap("json-test", Map.of("k", "v"));

		Kubectl.Result result = this.kubectl
			.run("patch", "cm", "json-test", "--type=json", "-p",
					"[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"},{\"op\":\"add\",\"path\":\"/data/z\",\"value\":\"1\"}]")
			.assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("The request is invalid: the server rejected our request due to an error in our request");
		V1ConfigMap after = readConfigMap("json-test");
		assertThat(after.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v"));
		assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
	}

	@Test
	@DisplayName("J1, J7: patch with the default (strategic) type merges data and deletes keys set to null")
	void strategicMergePatch() throws Exception {
		createConfigMap("strategic", Map.of("k", "v", "drop", "me"));

		Kubectl.Result result = this.kubectl
			.run("patch", "cm", "strategic", "-p", "{\"data\":{\"s\":\"2\",\"drop\":null},\"metadata\":{\"labels\":{\"l\":\"1\"}}}")
			.assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe()).isEqualTo("configmap/strategic patched");
		V1ConfigMap after = readConfigMap("strategic");
		assertThat(after.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v", "s", "2"));
		assertThat(after.getMetadata().getLabels()).containsEntry("l", "1");
	}

	@Test
	@DisplayName("J1, I1: patch of a missing ConfigMap prints NotFound")
	void patchMissing() {
		Kubectl.Result result = this.kubectl
			.run("patch", "cm", "missing", "-p", "{\"data\":{\"a\":\"b\"}}", "--type=merge")
			.assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("Error from server (NotFound): configmaps \"missing\" not found");
	}
}
