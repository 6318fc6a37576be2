package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("1.J Server-side apply")
class ServerSideApplyTest extends ConformanceSupport {

	private static final String DEPLOYMENT = WritesTest.DEPLOYMENTS + "/web";

	private Resp apply(String path, String manager, String body) {
		return patch(path + "?fieldManager=" + manager, APPLY_PATCH, body);
	}

	private static String deploymentWith(String... containers) {
		return """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
				 "spec":{"selector":{"matchLabels":{"app":"web"}},
				   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[%s]}}}}"""
			.formatted(String.join(",", containers));
	}

	private static String container(String name, String image) {
		return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"}";
	}

	private static List<String> containerNames(JsonNode deployment) {
		List<String> names = new ArrayList<>();
		deployment.path("spec").path("template").path("spec").path("containers")
			.forEach((c) -> names.add(c.path("name").asText()));
		return names;
	}

	@Test
	@DisplayName("J5: containers are a list keyed by name: two managers each own their container")
	void containersMergeByName() {
		assertThat(apply(DEPLOYMENT, "alice", deploymentWith(container("app", "nginx"))).code()).isEqualTo(201);
		JsonNode both = ok(apply(DEPLOYMENT, "bob", deploymentWith(container("sidecar", "busybox"))));
		assertThat(containerNames(both)).containsExactly("app", "sidecar");

		JsonNode changed = ok(apply(DEPLOYMENT, "alice", deploymentWith(container("app", "nginx:2"))));
		assertThat(changed.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");
		assertThat(containerNames(changed)).containsExactly("app", "sidecar");

		// bob stops applying his container: it goes, alice's stays.
		String withoutContainers = """
				{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"by":"bob"}}}""";
		JsonNode after = ok(apply(DEPLOYMENT, "bob", withoutContainers));
		assertThat(containerNames(after)).containsExactly("app");
	}

	@Test
	@DisplayName("J5: finalizers are a set: each applier owns its own entries")
	void finalizersAreASet() {
		String x = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"finalizers\":[\"%s\"]}}";
		assertThat(apply(CM + "/x", "alice", x.formatted("example.com/a")).code()).isEqualTo(201);
		JsonNode both = ok(apply(CM + "/x", "bob", x.formatted("example.com/b")));
		assertThat(both.path("metadata").path("finalizers")).extracting(JsonNode::asText)
			.containsExactlyInAnyOrder("example.com/a", "example.com/b");
		JsonNode alone = ok(apply(CM + "/x", "bob", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"));
		assertThat(alone.path("metadata").path("finalizers")).extracting(JsonNode::asText)
			.containsExactly("example.com/a");
	}

	@Test
	@DisplayName("I5: several conflicts are listed per manager, sorted, with ' using <version>' for Update managers")
	void severalConflicts() {
		created(post(CM + "?fieldManager=editor", configMap("x")));
		apply(CM + "/x", "alice", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},\"data\":{\"a\":\"1\"}}");
		Resp conflict = apply(CM + "/x", "bob",
				"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},\"data\":{\"a\":\"2\",\"k\":\"other\"}}");
		assertThat(conflict.code()).isEqualTo(409);
		JsonNode status = conflict.json();
		assertThat(status.path("reason").asText()).isEqualTo("Conflict");
		assertThat(status.path("message").asText()).isEqualTo("Apply failed with 2 conflicts: conflicts with "
				+ "\"alice\":\n- .data.a\nconflicts with \"editor\" using v1:\n- .data.k");
		assertThat(status.path("details").path("causes")).hasSize(2);
		assertThat(status.path("details").path("causes").get(0).path("reason").asText())
			.isEqualTo("FieldManagerConflict");
	}

	@Test
	@DisplayName("J5, C7: apply to /status sets status only and records a status-subresource manager")
	void applyToStatusSubresource() {
		createWidgetCrd(true);
		created(post(WIDGETS, widget("w1", "{\"size\":1}")));
		Resp applied = apply(WIDGETS + "/w1/status", "status-writer", """
				{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},
				 "spec":{"size":99},"status":{"phase":"Ready"}}""");
		JsonNode widget = ok(applied);
		assertThat(widget.path("status").path("phase").asText()).isEqualTo("Ready");
		assertThat(widget.path("spec").path("size").asInt()).isEqualTo(1);
		assertThat(widget.path("metadata").path("generation").asInt()).isEqualTo(1);
		JsonNode entry = null;
		for (JsonNode candidate : widget.path("metadata").path("managedFields")) {
			if (candidate.path("manager").asText().equals("status-writer")) {
				entry = candidate;
			}
		}
		assertThat(entry).isNotNull();
		assertThat(entry.path("operation").asText()).isEqualTo("Apply");
		assertThat(entry.path("subresource").asText()).isEqualTo("status");
		assertThat(entry.path("fieldsV1").has("f:spec")).isFalse();
		assertThat(entry.path("fieldsV1").path("f:status").has("f:phase")).isTrue();
	}
}
