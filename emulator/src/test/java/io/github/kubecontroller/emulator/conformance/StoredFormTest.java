package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 1.H: the form a built-in object is stored in, which is what kube-apiserver's Go types make of the
 * body: members of embedded structs are known fields, empty lists and maps are left out ({@code omitempty}), empty
 * structs are kept.
 */
@DisplayName("1.H Writes: stored form of built-in objects")
class StoredFormTest extends ConformanceSupport {

	static final String PODS = "/api/v1/namespaces/default/pods";

	private static final String POD = """
			{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{},"finalizers":[]},
			 "spec":{"containers":[{"name":"c","image":"busybox","args":[],"env":[
			     {"name":"A","valueFrom":{"configMapKeyRef":{"name":"settings","key":"a"}}}],
			   "resources":{},"livenessProbe":{"httpGet":{"path":"/healthz","port":8080}}}],
			  "volumes":[{"name":"scratch","emptyDir":{}},{"name":"nothing","projected":{"sources":[]}}],
			  "tolerations":[],"nodeSelector":{},"securityContext":{}}}""";

	@Test
	@DisplayName("H8: members of embedded structs are known fields: emptyDir, a probe's httpGet, a key selector's name")
	void embeddedStructMembers() {
		Resp response = post(PODS + "?fieldValidation=Strict", POD);
		JsonNode pod = created(response);
		assertThat(response.header("Warning")).isEmpty();
		JsonNode spec = pod.path("spec");
		assertThat(spec.path("volumes").get(0)).hasToString("{\"name\":\"scratch\",\"emptyDir\":{}}");
		JsonNode container = spec.path("containers").get(0);
		assertThat(container.path("livenessProbe")).hasToString("{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080}}");
		assertThat(container.path("env").get(0).path("valueFrom"))
			.hasToString("{\"configMapKeyRef\":{\"name\":\"settings\",\"key\":\"a\"}}");
		assertThat(ok(get(PODS + "/p"))).isEqualTo(pod);

		Resp unknown = post(PODS + "?fieldValidation=Strict",
				POD.replace("\"p\"", "\"q\"").replace("\"emptyDir\":{}", "\"emptyDir\":{\"size\":1}"));
		assertStatus(unknown, 400, failure("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
				+ "unknown field \"spec.volumes[0].emptyDir.size\"", "BadRequest", null, 400));
	}

	@Test
	@DisplayName("H1: empty lists and maps are left out as Go's omitempty does; empty structs and lists without omitempty stay")
	void emptyValues() {
		JsonNode pod = created(post(PODS, POD));
		JsonNode metadata = pod.path("metadata");
		assertThat(metadata.has("labels")).isFalse();
		assertThat(metadata.has("finalizers")).isFalse();
		JsonNode spec = pod.path("spec");
		assertThat(spec.has("tolerations")).isFalse();
		assertThat(spec.has("nodeSelector")).isFalse();
		assertThat(spec.path("securityContext")).hasToString("{}");
		JsonNode container = spec.path("containers").get(0);
		assertThat(container.has("args")).isFalse();
		assertThat(container.path("resources")).hasToString("{}");
		assertThat(spec.path("volumes").get(1)).as("ProjectedVolumeSource.sources has no omitempty")
			.hasToString("{\"name\":\"nothing\",\"projected\":{\"sources\":[]}}");
		assertThat(metadata.path("managedFields").get(0).path("fieldsV1").path("f:spec").path("f:containers")
			.toString()).doesNotContain("f:args");
	}

	@Test
	@DisplayName("F11: a PUT that differs only by empty lists and maps is a no-op")
	void emptyValuesAreNoOp() {
		JsonNode pod = created(post(PODS, POD));
		ObjectNode again = pod.deepCopy();
		again.with("metadata").putArray("finalizers");
		again.with("metadata").putObject("annotations");
		again.with("spec").putArray("tolerations");
		((ObjectNode) again.path("spec").path("containers").get(0)).putArray("args");
		JsonNode updated = ok(put(PODS + "/p", again.toString()));
		assertThat(rv(updated)).isEqualTo(rv(pod));
		assertThat(updated).isEqualTo(pod);
	}

	@Test
	@DisplayName("H1: a Deployment's pod template drops client models' empty finalizers and ownerReferences")
	void templateMetadata() {
		String body = WritesTest.deployment("d", "nginx", "")
			.replace("\"metadata\":{\"labels\":{\"app\":\"d\"}}", "\"metadata\":{\"labels\":{\"app\":\"d\"},"
					+ "\"annotations\":{},\"finalizers\":[],\"ownerReferences\":[]}");
		JsonNode deployment = created(post(WritesTest.DEPLOYMENTS, body));
		assertThat(deployment.path("spec").path("template").path("metadata"))
			.hasToString("{\"labels\":{\"app\":\"d\"}}");
	}

	@Test
	@DisplayName("J4: server-side apply keeps emptyDir: {} in the object and in managedFields")
	void applyKeepsEmptyStruct() {
		JsonNode pod = created(patch(PODS + "/a?fieldManager=tester", APPLY_PATCH, """
				{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},
				 "spec":{"containers":[{"name":"c","image":"busybox"}],
				  "volumes":[{"name":"scratch","emptyDir":{}}]}}"""));
		assertThat(pod.path("spec").path("volumes").get(0)).hasToString("{\"name\":\"scratch\",\"emptyDir\":{}}");
		assertThat(pod.path("metadata").path("managedFields").get(0).path("fieldsV1").path("f:spec").path("f:volumes")
			.toString()).contains("f:emptyDir");
		assertThat(ok(get(PODS + "/a")).path("spec").path("volumes")).isEqualTo(pod.path("spec").path("volumes"));
	}

	@Test
	@DisplayName("H1: custom resources are stored as sent, empty values included; only their metadata is Go's ObjectMeta")
	void customResourceAsSent() {
		createWidgetCrd(false);
		JsonNode widget = created(post(WIDGETS, widget("w", "{\"list\":[],\"map\":{},\"empty\":{},\"text\":\"\"}")
			.replace("\"namespace\":\"default\"", "\"namespace\":\"default\",\"labels\":{},\"finalizers\":[]")));
		assertThat(widget.path("spec")).hasToString("{\"list\":[],\"map\":{},\"empty\":{},\"text\":\"\"}");
		assertThat(widget.path("metadata").has("labels")).isFalse();
		assertThat(widget.path("metadata").has("finalizers")).isFalse();
	}

	@Test
	@DisplayName("D: a protobuf Pod body keeps its volume's emptyDir: {} and writes the embedded volume source inline")
	void protobufBody() throws Exception {
		V1.Pod pod = V1.Pod.newBuilder()
			.setMetadata(Meta.ObjectMeta.newBuilder().setName("proto"))
			.setSpec(V1.PodSpec.newBuilder()
				.addContainers(V1.Container.newBuilder().setName("c").setImage("busybox"))
				.addVolumes(V1.Volume.newBuilder()
					.setName("scratch")
					.setVolumeSource(V1.VolumeSource.newBuilder()
						.setEmptyDir(V1.EmptyDirVolumeSource.getDefaultInstance()))))
			.build();
		Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
			.setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Pod"))
			.setRaw(pod.toByteString())
			.setContentType("application/vnd.kubernetes.protobuf")
			.build();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write("k8s\u0000".getBytes(StandardCharsets.ISO_8859_1));
		envelope.writeTo(body);
		JsonNode created = created(send("POST", PODS, "application/vnd.kubernetes.protobuf", body.toByteArray()));
		assertThat(created.path("spec").path("volumes").get(0)).hasToString("{\"name\":\"scratch\",\"emptyDir\":{}}");
	}
}
