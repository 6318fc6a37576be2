package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl delete}, with and without a finalizer holding the object. */
class KubectlDeleteTest extends KubectlTestSupport {

	private static final String FINALIZER = "kubectl.example.com/hold";

	@Override
	protected String namespace() {
		return "kubectl-delete";
	}

	@Test
	@DisplayName("K1, K8: delete of a ConfigMap without finalizers removes it at once and exits 0")
	void deleteWithoutFinalizer() throws Exception {
		createConfigMap("plain", Map.of("k", "v"));

		Kubectl.Result result = this.kubectl.run("delete", "cm", "plain").assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe()).isEqualTo("configmap \"plain\" deleted");
		assertConfigMapGone("plain");
	}

	@Test
	@DisplayName("K2, K4, K8, F7: delete waits while a finalizer holds the object and exits 0 once the test removes it")
	void deleteWaitsForFinalizer() throws Exception {
		this.core
			.createNamespacedConfigMap(namespace(),
					new V1ConfigMap().metadata(new V1ObjectMeta().name("held").finalizers(List.of(FINALIZER)))
						.data(Map.of("k", "v")))
			.execute();

		int watchesBefore = this.emulator.openWatches();
		try (Kubectl.Background delete = this.kubectl.start("delete", "cm", "held")) {
			// K2: the object stays, marked for deletion, finalizer kept.
			awaitTrue("held to get a deletionTimestamp",
					() -> readConfigMap("held").getMetadata().getDeletionTimestamp() != null);
			V1ConfigMap marked = readConfigMap("held");
			assertThat(marked.getMetadata().getFinalizers()).containsExactly(FINALIZER);
			assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isZero();

			// K8: kubectl GETs the object, finds it still there, and watches it until DELETED.
			awaitTrue("kubectl delete to watch the object", () -> this.emulator.openWatches() > watchesBefore);
			assertThat(delete.isAlive()).as("kubectl delete waits for the finalizer\n" + delete.describe()).isTrue();

			Kubectl.Result patch = this.kubectl
				.run("patch", "cm", "held", "--type=json", "-p",
						"[{\"op\":\"test\",\"path\":\"/metadata/finalizers/0\",\"value\":\"" + FINALIZER
								+ "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]")
				.assertSuccess();
			assertThat(patch.stdout().strip()).as(patch.describe()).isEqualTo("configmap/held patched");

			// K4: removing the last finalizer deletes the object; kubectl sees DELETED and exits 0.
			int exitCode = delete.awaitExit();
			assertThat(exitCode).as(delete.describe()).isZero();
			assertThat(String.join("\n", delete.lines())).as(delete.describe()).contains("configmap \"held\" deleted");
			assertThat(delete.stderr()).as(delete.describe()).isEmpty();
		}
		assertConfigMapGone("held");
	}

	@Test
	@DisplayName("I1: delete of a missing ConfigMap prints NotFound and exits non-zero")
	void deleteMissing() {
		Kubectl.Result result = this.kubectl.run("delete", "cm", "never-existed").assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("Error from server (NotFound): configmaps \"never-existed\" not found");
	}
}
