package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CRDs and custom resources through kubectl: apply + wait, get by every name, patch (status), apply. */
class KubectlCustomResourceTest extends KubectlTestSupport {

	@Override
	protected String namespace() {
		return "kubectl-cr";
	}

	@BeforeAll
	void setUpCrd() throws Exception {
		createCrd("widgets", "widget", "Widget", "wd");
	}

	@Test
	@DisplayName("C1, C2, C3, C4, C5: apply of a CRD, then wait --for condition=established crd/<name> succeeds")
	void applyCrdThenWaitEstablished() throws Exception {
		Path file = this.kubectl.writeFile("gizmos-crd.yaml", crdYaml("gizmos", "gizmo", "Gizmo", "gz"));

		Kubectl.Result applied = this.kubectl.run("apply", "-f", file.toString()).assertSuccess();
		assertThat(applied.stdout().strip()).as(applied.describe())
			.isEqualTo("customresourcedefinition.apiextensions.k8s.io/gizmos.kubectl.example.com created");

		Kubectl.Result waited = this.kubectl
			.run("wait", "--for", "condition=established", "crd/gizmos.kubectl.example.com", "--timeout=20s")
			.assertSuccess();
		assertThat(waited.stdout().strip()).as(waited.describe())
			.isEqualTo("customresourcedefinition.apiextensions.k8s.io/gizmos.kubectl.example.com condition met");

		Map<String, Object> crd = readCrd("gizmos.kubectl.example.com");
		assertThat(path(crd, "metadata", "generation")).isEqualTo(1.0);
		assertThat(condition(crd, "Established")).containsEntry("status", "True")
			.containsEntry("reason", "InitialNamesAccepted");
		assertThat(condition(crd, "NamesAccepted")).containsEntry("status", "True").containsEntry("reason", "NoConflicts");
		assertThat(path(crd, "status", "acceptedNames", "kind")).isEqualTo("Gizmo");
		assertThat(path(crd, "status", "storedVersions")).isEqualTo(List.of("v1"));

		// The new kind is usable right away.
		Kubectl.Result empty = this.kubectl.run("get", "gizmos").assertSuccess();
		assertThat(empty.stderr().strip()).as(empty.describe()).isEqualTo("No resources found in kubectl-cr namespace.");
	}

	@Test
	@DisplayName("C5, B7, C10: get of a custom resource works by plural, singular, short name, kind and qualified names")
	void getCustomResourceByEveryName() throws Exception {
		createCustomObject("widgets", widget("named", 1));

		for (String name : List.of("widgets", "widget", "wd", "Widget", "widgets.kubectl.example.com",
				"widget.kubectl.example.com", "Widget.v1.kubectl.example.com")) {
			Kubectl.Result result = this.kubectl.run("get", name).assertSuccess();
			assertThat(result.stdoutLines()).as(result.describe()).isNotEmpty();
			assertThat(result.stdoutLines().get(0)).as(result.describe()).matches("NAME\\s+AGE");
			assertThat(result.stdoutLines()).as(result.describe())
				.anySatisfy((line) -> assertThat(line).matches("named\\s+\\S+"));
		}
		Kubectl.Result one = this.kubectl.run("get", "wd", "named", "-o", "jsonpath={.kind} {.spec.size}")
			.assertSuccess();
		assertThat(one.stdout()).as(one.describe()).isEqualTo("Widget 1");
	}

	@Test
	@DisplayName("I2: get of a missing custom resource prints NotFound with the group-qualified resource")
	void getMissingCustomResource() {
		Kubectl.Result result = this.kubectl.run("get", "widget", "nope").assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("Error from server (NotFound): widgets.kubectl.example.com \"nope\" not found");
	}

	@Test
	@DisplayName("C7, H5: patch --subresource=status changes status only: spec and generation stay")
	void patchStatusSubresource() throws Exception {
		Map<String, Object> created = createCustomObject("widgets", widget("status-patched", 1));
		assertThat(path(created, "metadata", "generation")).isEqualTo(1.0);

		Kubectl.Result result = this.kubectl
			.run("patch", "widget", "status-patched", "--subresource=status", "--type=merge", "-p",
					"{\"status\":{\"phase\":\"Ready\"},\"spec\":{\"size\":99}}")
			.assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe())
			.isEqualTo("widget.kubectl.example.com/status-patched patched");
		Map<String, Object> after = readCustomObject("widgets", "status-patched");
		assertThat(path(after, "status", "phase")).isEqualTo("Ready");
		assertThat(path(after, "spec", "size")).as("spec changes sent to /status are discarded").isEqualTo(1.0);
		assertThat(path(after, "metadata", "generation")).as("status writes never bump generation").isEqualTo(1.0);
		assertThat(path(after, "metadata", "resourceVersion"))
			.isNotEqualTo(path(created, "metadata", "resourceVersion"));
	}

	@Test
	@DisplayName("C7, H5, C8: merge patch of the main resource bumps generation for spec and ignores status")
	void patchMainResource() throws Exception {
		createCustomObject("widgets", widget("main-patched", 1));
		this.kubectl.run("patch", "widget", "main-patched", "--subresource=status", "--type=merge", "-p",
				"{\"status\":{\"phase\":\"Ready\"}}").assertSuccess();

		Kubectl.Result result = this.kubectl
			.run("patch", "widget", "main-patched", "--type=merge", "-p",
					"{\"spec\":{\"size\":2},\"status\":{\"phase\":\"Ignored\"}}")
			.assertSuccess();

		assertThat(result.stdout().strip()).as(result.describe())
			.isEqualTo("widget.kubectl.example.com/main-patched patched");
		Map<String, Object> after = readCustomObject("widgets", "main-patched");
		assertThat(path(after, "spec", "size")).isEqualTo(2.0);
		assertThat(path(after, "metadata", "generation")).isEqualTo(2.0);
		assertThat(path(after, "status", "phase")).as("status sent to the main resource is discarded")
			.isEqualTo("Ready");
	}

	@Test
	@DisplayName("C8, I10: patch of a custom resource with the default strategic type is rejected (415), naming the accepted types")
	void strategicPatchOfCustomResourceIsRejected() throws Exception {
		Map<String, Object> created = createCustomObject("widgets", widget("no-smp", 1));

		Kubectl.Result result = this.kubectl.run("patch", "widget", "no-smp", "-p", "{\"spec\":{\"size\":5}}")
			.assertFailure();

		assertThat(result.stderr().strip()).as(result.describe())
			.isEqualTo("error: application/strategic-merge-patch+json is not supported by kubectl.example.com/v1, "
					+ "Kind=Widget: the body of the request was in an unknown format - accepted media types include: "
					+ "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
		Map<String, Object> after = readCustomObject("widgets", "no-smp");
		assertThat(path(after, "spec", "size")).isEqualTo(1.0);
		assertThat(path(after, "metadata", "resourceVersion"))
			.isEqualTo(path(created, "metadata", "resourceVersion"));
	}

	@Test
	@DisplayName("J6, B10, B11, H5: apply -f of a custom resource creates it, configures a change, then is unchanged")
	void clientSideApplyOfCustomResource() throws Exception {
		Path first = this.kubectl.writeFile("applied.yaml", widgetYaml("applied", 1));
		Kubectl.Result created = this.kubectl.run("apply", "-f", first.toString()).assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe())
			.isEqualTo("widget.kubectl.example.com/applied created");
		assertThat(path(readCustomObject("widgets", "applied"), "spec", "size")).isEqualTo(1.0);

		Path second = this.kubectl.writeFile("applied.yaml", widgetYaml("applied", 2));
		Kubectl.Result configured = this.kubectl.run("apply", "-f", second.toString()).assertSuccess();
		assertThat(configured.stdout().strip()).as(configured.describe())
			.isEqualTo("widget.kubectl.example.com/applied configured");
		Map<String, Object> after = readCustomObject("widgets", "applied");
		assertThat(path(after, "spec", "size")).isEqualTo(2.0);
		assertThat(path(after, "metadata", "generation")).isEqualTo(2.0);

		Kubectl.Result unchanged = this.kubectl.run("apply", "-f", second.toString()).assertSuccess();
		assertThat(unchanged.stdout().strip()).as(unchanged.describe())
			.isEqualTo("widget.kubectl.example.com/applied unchanged");
		assertThat(path(readCustomObject("widgets", "applied"), "metadata", "resourceVersion"))
			.isEqualTo(path(after, "metadata", "resourceVersion"));
	}

	@Test
	@DisplayName("J2, J4, J5: apply --server-side of a custom resource creates and updates it")
	void serverSideApplyOfCustomResource() throws Exception {
		Path first = this.kubectl.writeFile("ssa-widget.yaml", widgetYaml("ssa-widget", 1));
		Kubectl.Result created = this.kubectl.run("apply", "--server-side", "-f", first.toString()).assertSuccess();
		assertThat(created.stdout().strip()).as(created.describe())
			.isEqualTo("widget.kubectl.example.com/ssa-widget serverside-applied");
		assertThat(path(readCustomObject("widgets", "ssa-widget"), "metadata", "generation")).isEqualTo(1.0);

		Path second = this.kubectl.writeFile("ssa-widget.yaml", widgetYaml("ssa-widget", 3));
		this.kubectl.run("apply", "--server-side", "-f", second.toString()).assertSuccess();
		Map<String, Object> after = readCustomObject("widgets", "ssa-widget");
		assertThat(path(after, "spec", "size")).isEqualTo(3.0);
		assertThat(path(after, "metadata", "generation")).isEqualTo(2.0);
	}

	private static Map<String, Object> widget(String name, int size) {
		return yaml(widgetYaml(name, size));
	}

	private static String widgetYaml(String name, int size) {
		return """
				apiVersion: kubectl.example.com/v1
				kind: Widget
				metadata:
				  name: %s
				spec:
				  size: %d
				""".formatted(name, size);
	}
}
