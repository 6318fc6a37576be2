package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl get}: list, watch, jsonpath watch and the error outputs. */
class KubectlGetTest extends KubectlTestSupport {

	@Override
	protected String namespace() {
		return "kubectl-get";
	}

	@Test
	@DisplayName("B1, B6, E1, D4: get configmaps lists every ConfigMap of the namespace and no other")
	void getConfigMaps() throws Exception {
		createNamespace("get-list");
		createNamespace("get-list-other");
		createConfigMap("get-list", "x", Map.of("k", "v"));
		createConfigMap("get-list", "y", Map.of("k", "v"));
		createConfigMap("get-list-other", "z-elsewhere", Map.of("k", "v"));

		Kubectl.Result result = this.kubectl.inNamespace("get-list").run("get", "configmaps").assertSuccess();

		List<String> lines = result.stdoutLines();
		assertThat(lines).as(result.describe()).isNotEmpty();
		assertThat(lines.get(0)).as(result.describe()).matches("NAME\\s+.*AGE");
		assertThat(lines).as(result.describe())
			.anySatisfy((line) -> assertThat(line).startsWith("x "))
			.anySatisfy((line) -> assertThat(line).startsWith("y "))
			.noneSatisfy((line) -> assertThat(line).startsWith("z-elsewhere"));
		assertThat(result.stderr()).as(result.describe()).isEmpty();
	}

	@Test
	@DisplayName("D2: get configmaps prints the server-side Table columns of ConfigMaps (NAME DATA AGE)")
	void getConfigMapsPrintsTableColumns() throws Exception {
		createNamespace("get-table");
		createConfigMap("get-table", "two-keys", Map.of("a", "1", "b", "2"));

		Kubectl.Result result = this.kubectl.inNamespace("get-table").run("get", "configmaps").assertSuccess();

		// kube-apiserver answers the Table Accept kubectl sends with the ConfigMap printer columns Name, Data, Age.
		assertThat(result.stdoutLines()).as(result.describe()).isNotEmpty();
		assertThat(result.stdoutLines().get(0)).as(result.describe()).matches("NAME\\s+DATA\\s+AGE");
		assertThat(result.stdoutLines()).as(result.describe())
			.anySatisfy((line) -> assertThat(line).matches("two-keys\\s+2\\s+\\S+"));
	}

	@Test
	@DisplayName("F4, F1: get -w lists, then prints a new line for each change made after the list")
	void getWatchPrintsChanges() throws Exception {
		String namespace = "get-watch";
		createNamespace(namespace);
		createConfigMap(namespace, "watch-a", Map.of("k", "v"));
		createConfigMap(namespace, "watch-b", Map.of("k", "v"));

		try (Kubectl.Background watch = this.kubectl.inNamespace(namespace).start("get", "configmaps", "-w")) {
			List<String> initial = watch.awaitLines("the initial list (header, watch-a, watch-b)",
					(lines) -> startingWith(lines, "watch-a ") == 1 && startingWith(lines, "watch-b ") == 1);
			assertThat(initial.get(0)).as(watch.describe()).matches("NAME\\s+.*AGE");

			// The list is printed, so the watch resumes from the list's resourceVersion: a change now must show.
			V1ConfigMap a = this.core.readNamespacedConfigMap("watch-a", namespace).execute();
			a.getData().put("k", "v2");
			this.core.replaceNamespacedConfigMap("watch-a", namespace, a).execute();
			watch.awaitLines("a second line for watch-a after its update",
					(lines) -> startingWith(lines, "watch-a ") == 2);

			createConfigMap(namespace, "watch-c", Map.of("k", "v"));
			List<String> lines = watch.awaitLines("a line for the new watch-c", (now) -> startingWith(now, "watch-c ") == 1);

			assertThat(lines).as(watch.describe()).hasSize(5);
			assertThat(lines.get(3)).as(watch.describe()).startsWith("watch-a ");
			assertThat(lines.get(4)).as(watch.describe()).startsWith("watch-c ");
			assertThat(watch.isAlive()).as("kubectl get -w keeps watching\n" + watch.describe()).isTrue();
			assertThat(watch.stderr()).as(watch.describe()).isEmpty();

			watch.stop();
			assertThat(watch.isAlive()).as("the watch process is stopped").isFalse();
		}
	}

	@Test
	@DisplayName("F3, A4: get cm -o jsonpath -w prints the current resourceVersion, then exactly the one of the first real change")
	void getJsonPathWatchPrintsFirstRealChange() throws Exception {
		String namespace = "get-jsonpath-watch";
		createNamespace(namespace);
		String createdVersion = createConfigMap(namespace, "x", Map.of("k", "v")).getMetadata().getResourceVersion();

		int watchesBefore = this.emulator.openWatches();
		try (Kubectl.Background watch = this.kubectl.inNamespace(namespace)
			.start("get", "cm", "x", "-o", "jsonpath={.metadata.resourceVersion}{\"\\n\"}", "-w")) {
			watch.awaitLines("the current resourceVersion", (lines) -> lines.size() >= 1);
			// kubectl prints the GET result, then watches from resourceVersion=0 and drops the first (synthetic
			// ADDED) event. Change the object only once that watch is open.
			awaitTrue("kubectl's watch to be open", () -> this.emulator.openWatches() > watchesBefore);

			V1ConfigMap x = this.core.readNamespacedConfigMap("x", namespace).execute();
			x.getData().put("k", "changed");
			String changedVersion = this.core.replaceNamespacedConfigMap("x", namespace, x)
				.execute()
				.getMetadata()
				.getResourceVersion();
			assertThat(changedVersion).isNotEqualTo(createdVersion);

			List<String> lines = watch.awaitLines("a second line (the changed resourceVersion)",
					(now) -> now.size() >= 2);
			assertThat(lines).as(watch.describe()).containsExactly(createdVersion, changedVersion);
			assertThat(watch.stderr()).as(watch.describe()).isEmpty();
		}
	}

	@Test
	@DisplayName("I1: get of a missing object prints Error from server (NotFound): configmaps \"nope\" not found")
	void getMissingObject() {
		Kubectl.Result result = this.kubectl.run("get", "configmap", "nope").assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("Error from server (NotFound): configmaps \"nope\" not found");
		assertThat(result.stdout()).as(result.describe()).isEmpty();
	}

	@Test
	@DisplayName("B7: get of an unknown resource type prints kubectl's \"the server doesn't have a resource type\" error")
	void getUnknownResourceType() {
		Kubectl.Result result = this.kubectl.run("get", "frobnicators").assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("error: the server doesn't have a resource type \"frobnicators\"");
		assertThat(result.stdout()).as(result.describe()).isEmpty();
	}

	@Test
	@DisplayName("A7: get --raw of an unknown API group path prints NotFound: the server could not find the requested resource")
	void getRawUnknownPath() {
		Kubectl.Result result = this.kubectl.run("get", "--raw", "/apis/nope.example.com/v1/things").assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("Error from server (NotFound): the server could not find the requested resource");
	}

	private static long startingWith(List<String> lines, String prefix) {
		return lines.stream().filter((line) -> line.startsWith(prefix)).count();
	}
}
