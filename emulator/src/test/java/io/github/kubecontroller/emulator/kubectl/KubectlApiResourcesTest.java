package io.github.kubecontroller.emulator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kubectl version} and {@code kubectl api-resources}: what discovery tells kubectl. */
class KubectlApiResourcesTest extends KubectlTestSupport {

	@Override
	protected String namespace() {
		return "kubectl-api-resources";
	}

	@Test
	@DisplayName("B1: version reports a 1.32 server, so the dispatcher runs kubectl 1.32")
	void versionIs132() {
		Kubectl.Result result = this.kubectl.run("version", "-o", "json").assertSuccess();

		Map<String, Object> version = yaml(result.stdout());
		assertThat(path(version, "serverVersion", "major")).as(result.describe()).isEqualTo("1");
		assertThat(path(version, "serverVersion", "minor")).as(result.describe()).isEqualTo("32");
		assertThat((String) path(version, "serverVersion", "gitVersion")).as(result.describe()).startsWith("v1.32.");
		assertThat((String) path(version, "clientVersion", "gitVersion")).as(result.describe()).startsWith("v1.32.");
	}

	@Test
	@DisplayName("B5, B6, B7, C1: api-resources lists configmaps, deployments, leases, customresourcedefinitions and events in both groups")
	void apiResourcesListsBuiltIns() {
		Kubectl.Result result = this.kubectl.run("api-resources").assertSuccess();

		List<Map<String, String>> rows = table(result);
		assertThat(rows).as(result.describe())
			.contains(row("configmaps", "cm", "v1", "true", "ConfigMap"))
			.contains(row("deployments", "deploy", "apps/v1", "true", "Deployment"))
			.contains(row("leases", "", "coordination.k8s.io/v1", "true", "Lease"))
			.contains(row("customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false",
					"CustomResourceDefinition"))
			.contains(row("events", "ev", "v1", "true", "Event"))
			.contains(row("events", "ev", "events.k8s.io/v1", "true", "Event"))
			.contains(row("namespaces", "ns", "v1", "false", "Namespace"));
		assertThat(result.stderr()).as(result.describe()).isEmpty();
	}

	@Test
	@DisplayName("B7, B8, C5, C6: api-resources lists a CRD's kind once the CRD is created")
	void apiResourcesListsCrdKind() throws Exception {
		Kubectl.Result before = this.kubectl.run("api-resources").assertSuccess();
		assertThat(table(before)).as(before.describe()).noneMatch((row) -> "Doohickey".equals(row.get("KIND")));

		createCrd("doohickeys", "doohickey", "Doohickey", "dh");

		Kubectl.Result after = this.kubectl.run("api-resources").assertSuccess();
		assertThat(table(after)).as(after.describe())
			.contains(row("doohickeys", "dh", "kubectl.example.com/v1", "true", "Doohickey"));

		Kubectl.Result grouped = this.kubectl.run("api-resources", "--api-group=kubectl.example.com", "-o", "name")
			.assertSuccess();
		assertThat(grouped.stdoutLines()).as(grouped.describe()).containsExactly("doohickeys.kubectl.example.com");
	}

	private static Map<String, String> row(String name, String shortNames, String apiVersion, String namespaced,
			String kind) {
		Map<String, String> row = new LinkedHashMap<>();
		row.put("NAME", name);
		row.put("SHORTNAMES", shortNames);
		row.put("APIVERSION", apiVersion);
		row.put("NAMESPACED", namespaced);
		row.put("KIND", kind);
		return row;
	}

	/** Parses kubectl's column output, using the header's column starts (cells may be empty). */
	private static List<Map<String, String>> table(Kubectl.Result result) {
		List<String> lines = result.stdoutLines();
		assertThat(lines).as(result.describe()).isNotEmpty();
		String header = lines.get(0);
		List<String> names = new ArrayList<>();
		List<Integer> starts = new ArrayList<>();
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\S+").matcher(header);
		while (matcher.find()) {
			names.add(matcher.group());
			starts.add(matcher.start());
		}
		assertThat(names).as(result.describe()).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
		List<Map<String, String>> rows = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			Map<String, String> row = new LinkedHashMap<>();
			for (int i = 0; i < names.size(); i++) {
				int start = Math.min(starts.get(i), line.length());
				int end = (i + 1 < names.size()) ? Math.min(starts.get(i + 1), line.length()) : line.length();
				row.put(names.get(i), line.substring(start, end).strip());
			}
			rows.add(row);
		}
		return rows;
	}
}
