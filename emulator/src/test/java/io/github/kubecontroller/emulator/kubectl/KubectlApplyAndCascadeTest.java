package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * More kubectl: server-side apply by two field managers, client-side apply of a Deployment whose container list
 * changes, and {@code delete --cascade=foreground} with dependents the garbage collector has to delete first.
 */
class KubectlApplyAndCascadeTest extends KubectlTestSupport {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String HOLD = "kubectl.example.com/hold";

	@Override
	protected String namespace() {
		return "kubectl-apply-cascade";
	}

	// ------------------------------------------------------------------ (a) SSA with two field managers

	@Test
	@DisplayName("I5, J5, H7: apply --server-side by --field-manager=alice then bob with another value conflicts "
			+ "(exit 1, naming alice and .data.k); --force-conflicts moves .data.k to bob in managedFields")
	void serverSideApplyTwoFieldManagers() throws Exception {
		Path alice = this.kubectl.writeFile("owners-alice.yaml",
				KubectlApplyTest.configMapYaml("owners", Map.of("k", "alice", "a", "1")));
		Kubectl.Result created = this.kubectl
			.run("apply", "--server-side", "--field-manager=alice", "-f", alice.toString())
			.assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe()).isEqualTo("configmap/owners serverside-applied");
		JsonNode afterAlice = getJson("configmap", "owners");
		assertThat(ownedDataKeys(afterAlice, "alice")).containsExactlyInAnyOrder("a", "k");
		assertThat(entry(afterAlice, "alice").path("operation").asText()).isEqualTo("Apply");
		String rvBefore = afterAlice.path("metadata").path("resourceVersion").asText();

		Path bob = this.kubectl.writeFile("owners-bob.yaml",
				KubectlApplyTest.configMapYaml("owners", Map.of("k", "bob")));
		Kubectl.Result conflict = this.kubectl
			.run("apply", "--server-side", "--field-manager=bob", "-f", bob.toString());
		assertThat(conflict.exitCode()).as(conflict.describe()).isEqualTo(1);
		assertThat(conflict.stderr()).as(conflict.describe())
			.contains("Apply failed with 1 conflict: conflict with \"alice\": .data.k");
		JsonNode afterConflict = getJson("configmap", "owners");
		assertThat(afterConflict.path("data").path("k").asText()).isEqualTo("alice");
		assertThat(afterConflict.path("metadata").path("resourceVersion").asText()).as("the conflict wrote nothing")
			.isEqualTo(rvBefore);
		assertThat(managers(afterConflict)).doesNotContain("bob");

		Kubectl.Result forced = this.kubectl
			.run("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob.toString())
			.assertSuccess();
		assertThat(forced.stdout().strip()).as(forced.describe()).isEqualTo("configmap/owners serverside-applied");
		JsonNode afterForce = getJson("configmap", "owners");
		assertThat(afterForce.path("data").path("k").asText()).isEqualTo("bob");
		assertThat(afterForce.path("data").path("a").asText()).isEqualTo("1");
		assertThat(ownedDataKeys(afterForce, "bob")).as("bob took .data.k").containsExactly("k");
		assertThat(entry(afterForce, "bob").path("operation").asText()).isEqualTo("Apply");
		assertThat(ownedDataKeys(afterForce, "alice")).as("alice lost .data.k, kept .data.a").containsExactly("a");

		// alice applying her old file again now conflicts with bob.
		Kubectl.Result back = this.kubectl
			.run("apply", "--server-side", "--field-manager=alice", "-f", alice.toString());
		assertThat(back.exitCode()).as(back.describe()).isEqualTo(1);
		assertThat(back.stderr()).as(back.describe())
			.contains("Apply failed with 1 conflict: conflict with \"bob\": .data.k");
	}

	// ------------------------------------------------------------------ (b) CSA of a Deployment

	@Test
	@DisplayName("J6, J7, H6: kubectl apply (client-side, strategic merge) of a Deployment: add a second container "
			+ "and change the first's image, then remove the first; the containers are exactly as applied")
	void clientSideApplyDeploymentContainers() throws Exception {
		Path v1 = this.kubectl.writeFile("web-v1.yaml", deploymentYaml("web", List.of(
				container("app", "nginx:1.25", null))));
		Kubectl.Result created = this.kubectl.run("apply", "-f", v1.toString()).assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe()).isEqualTo("deployment.apps/web created");
		assertThat(containers("web")).containsExactly(tuple("app", "nginx:1.25", List.of()));
		assertThat(readDeployment("web").getMetadata().getGeneration()).isEqualTo(1L);

		Path v2 = this.kubectl.writeFile("web-v2.yaml", deploymentYaml("web", List.of(
				container("app", "nginx:1.27", null),
				container("sidecar", "busybox:1.36", List.of("sleep", "3600")))));
		Kubectl.Result added = this.kubectl.run("apply", "-f", v2.toString()).assertSuccess();
		assertThat(added.stdout().strip()).as(added.describe()).isEqualTo("deployment.apps/web configured");
		assertThat(containers("web")).containsExactly(tuple("app", "nginx:1.27", List.of()),
				tuple("sidecar", "busybox:1.36", List.of("sleep", "3600")));
		assertThat(readDeployment("web").getMetadata().getGeneration()).isEqualTo(2L);

		Path v3 = this.kubectl.writeFile("web-v3.yaml", deploymentYaml("web", List.of(
				container("sidecar", "busybox:1.36", List.of("sleep", "3600")))));
		Kubectl.Result removed = this.kubectl.run("apply", "-f", v3.toString()).assertSuccess();
		assertThat(removed.stdout().strip()).as(removed.describe()).isEqualTo("deployment.apps/web configured");
		assertThat(containers("web")).containsExactly(tuple("sidecar", "busybox:1.36", List.of("sleep", "3600")));
		V1Deployment live = readDeployment("web");
		assertThat(live.getMetadata().getGeneration()).isEqualTo(3L);
		assertThat(live.getSpec().getSelector().getMatchLabels()).containsExactly(Map.entry("app", "web"));
		assertThat(live.getSpec().getTemplate().getMetadata().getLabels()).containsExactly(Map.entry("app", "web"));

		Kubectl.Result unchanged = this.kubectl.run("apply", "-f", v3.toString()).assertSuccess();
		assertThat(unchanged.stdout().strip()).as(unchanged.describe()).isEqualTo("deployment.apps/web unchanged");
		assertThat(readDeployment("web").getMetadata().getResourceVersion())
			.isEqualTo(live.getMetadata().getResourceVersion());
	}

	// ------------------------------------------------------------------ (c) foreground cascade

	@Test
	@DisplayName("K6, K7, K8, K2, K4: delete deployment --cascade=foreground waits while blocking dependents exist; "
			+ "the garbage collector deletes the dependents first, then the owner; kubectl exits 0 and all are gone")
	void deleteCascadeForeground() throws Exception {
		Path owner = this.kubectl.writeFile("owner.yaml",
				deploymentYaml("owner", List.of(container("app", "nginx:1.27", null))));
		this.kubectl.run("apply", "-f", owner.toString()).assertSuccess();
		String uid = this.kubectl.run("get", "deployment", "owner", "-o", "jsonpath={.metadata.uid}")
			.assertSuccess()
			.stdout()
			.strip();
		assertThat(uid).isNotEmpty();

		// Two blocking dependents: one the GC can delete at once, one held by a finalizer until the test lets go.
		Path dependents = this.kubectl.writeFile("dependents.yaml",
				dependentYaml("dep-plain", uid, null) + "---\n" + dependentYaml("dep-held", uid, HOLD));
		this.kubectl.run("create", "-f", dependents.toString()).assertSuccess();
		assertThat(readConfigMap("dep-plain").getMetadata().getOwnerReferences()).singleElement()
			.satisfies((ref) -> {
				assertThat(ref.getUid()).isEqualTo(uid);
				assertThat(ref.getBlockOwnerDeletion()).isTrue();
			});

		try (Kubectl.Background delete = this.kubectl.start("delete", "deployment", "owner",
				"--cascade=foreground")) {
			// K6: the owner stays, marked for deletion with the foregroundDeletion finalizer, while a blocking
			// dependent exists; K7: the GC deletes the dependents (dep-plain goes, dep-held is marked).
			try {
				awaitTrue("owner marked for foreground deletion, dep-plain deleted, dep-held marked", () -> {
					V1Deployment marked = readDeployment("owner");
					return marked.getMetadata().getDeletionTimestamp() != null
							&& marked.getMetadata().getFinalizers() != null
							&& marked.getMetadata().getFinalizers().contains("foregroundDeletion")
							&& isGone("dep-plain")
							&& readConfigMap("dep-held").getMetadata().getDeletionTimestamp() != null;
				});
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				throw new AssertionError("foreground deletion did not reach the expected state; now:\n"
						+ describe("deployment", "owner") + describe("configmap", "dep-plain")
						+ describe("configmap", "dep-held") + delete.describe(), ex);
			}
			V1Deployment waiting = readDeployment("owner");
			assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
			assertThat(delete.isAlive()).as("kubectl waits for the owner to go\n" + delete.describe()).isTrue();

			// Let the held dependent go: then the GC removes foregroundDeletion and the owner goes.
			this.kubectl.run("patch", "configmap", "dep-held", "--type=json", "-p",
					"[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]")
				.assertSuccess();

			int exitCode = delete.awaitExit();
			assertThat(exitCode).as(delete.describe()).isZero();
			assertThat(String.join("\n", delete.lines())).as(delete.describe())
				.contains("deployment.apps \"owner\" deleted");
		}
		assertConfigMapGone("dep-plain");
		assertConfigMapGone("dep-held");
		assertThat(deploymentGone("owner")).as("the owner is gone").isTrue();
	}

	// ------------------------------------------------------------------ helpers

	/** What kubectl shows of an object (or its error), for failure messages. */
	private String describe(String kind, String name) {
		Kubectl.Result result = this.kubectl.run("get", kind, name, "-o", "yaml");
		return "--- " + kind + "/" + name + " ---\n" + ((result.exitCode() == 0) ? result.stdout() : result.stderr());
	}

	private JsonNode getJson(String kind, String name) throws Exception {
		String json = this.kubectl.run("get", kind, name, "-o", "json", "--show-managed-fields").assertSuccess().stdout();
		return JSON.readTree(json);
	}

	private static List<String> managers(JsonNode object) {
		List<String> managers = new ArrayList<>();
		object.path("metadata").path("managedFields").forEach((e) -> managers.add(e.path("manager").asText()));
		return managers;
	}

	private static JsonNode entry(JsonNode object, String manager) {
		List<JsonNode> entries = new ArrayList<>();
		object.path("metadata").path("managedFields").forEach((e) -> {
			if (manager.equals(e.path("manager").asText())) {
				entries.add(e);
			}
		});
		assertThat(entries).as("managedFields entries of %s in %s", manager, object.path("metadata")).hasSize(1);
		return entries.get(0);
	}

	/** The data keys {@code manager} owns (f:data → f:key). */
	private static List<String> ownedDataKeys(JsonNode object, String manager) {
		List<String> keys = new ArrayList<>();
		entry(object, manager).path("fieldsV1").path("f:data").fieldNames().forEachRemaining((field) -> {
			if (field.startsWith("f:")) {
				keys.add(field.substring(2));
			}
		});
		return keys;
	}

	private V1Deployment readDeployment(String name) throws ApiException {
		return new AppsV1Api(this.client).readNamespacedDeployment(name, namespace()).execute();
	}

	private boolean deploymentGone(String name) {
		try {
			readDeployment(name);
			return false;
		}
		catch (ApiException ex) {
			return ex.getCode() == 404;
		}
	}

	private boolean isGone(String configMap) {
		try {
			V1ConfigMap cm = readConfigMap(configMap);
			return cm == null;
		}
		catch (ApiException ex) {
			return ex.getCode() == 404;
		}
	}

	/** (name, image, command) of each container, in order, read through kubectl. */
	private List<org.assertj.core.groups.Tuple> containers(String deployment) throws Exception {
		JsonNode live = JSON.readTree(this.kubectl.run("get", "deployment", deployment, "-o", "json").assertSuccess()
			.stdout());
		List<org.assertj.core.groups.Tuple> containers = new ArrayList<>();
		for (JsonNode c : live.path("spec").path("template").path("spec").path("containers")) {
			List<String> command = new ArrayList<>();
			c.path("command").forEach((part) -> command.add(part.asText()));
			containers.add(tuple(c.path("name").asText(), c.path("image").asText(), command));
		}
		return containers;
	}

	private static String container(String name, String image, List<String> command) {
		StringBuilder yaml = new StringBuilder()
			.append("      - name: ").append(name).append('\n')
			.append("        image: ").append(image).append('\n');
		if (command != null) {
			yaml.append("        command:\n");
			command.forEach((part) -> yaml.append("        - \"").append(part).append("\"\n"));
		}
		return yaml.toString();
	}

	private static String deploymentYaml(String name, List<String> containers) {
		return """
				apiVersion: apps/v1
				kind: Deployment
				metadata:
				  name: %1$s
				spec:
				  replicas: 1
				  selector:
				    matchLabels:
				      app: %1$s
				  template:
				    metadata:
				      labels:
				        app: %1$s
				    spec:
				      containers:
				""".formatted(name) + String.join("", containers);
	}

	private static String dependentYaml(String name, String ownerUid, String finalizer) {
		return """
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: %s
				  ownerReferences:
				  - apiVersion: apps/v1
				    kind: Deployment
				    name: owner
				    uid: %s
				    controller: true
				    blockOwnerDeletion: true
				%sdata:
				  k: v
				""".formatted(name, ownerUid, (finalizer == null) ? "" : "  finalizers:\n  - " + finalizer + "\n");
	}
}
