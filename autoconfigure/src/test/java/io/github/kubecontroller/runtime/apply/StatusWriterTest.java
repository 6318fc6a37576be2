package io.github.kubecontroller.runtime.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Condition;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

	private static final String NS = "status";

	private static final OffsetDateTime SINCE = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static ServerSideApply apply;

	private static StatusWriter writer;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
		Website.installDefinition(client);
		apply = new ServerSideApply(client, "demo-controller");
		writer = new StatusWriter(apply);
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	private static Website create(String name) throws ApiException {
		Website site = new Website(name, NS);
		site.spec = new Website.Spec();
		site.spec.host = name + ".example.com";
		return apply.apply(Website.TYPE, site, Website.class);
	}

	private static Website.Status ready(String message) {
		Website.Status status = new Website.Status();
		status.phase = "Ready";
		status.observedGeneration = 1L;
		status.conditions.add(new V1Condition().type("Ready")
			.status("True")
			.reason("Serving")
			.message(message)
			.lastTransitionTime(SINCE));
		return status;
	}

	private static long statusPatches() {
		return emulator.audit().count("patch", "websites/status");
	}

	@Test
	void writesAChangedStatusWithExactlyOnePatchAndAnEqualOneWithNone() throws ApiException {
		Website cached = create("blog");
		assertThat(cached.status).isNull();
		long before = statusPatches();

		Website written = writer.writeStatus(Website.TYPE, cached, ready("serving"), Website.class);

		assertThat(statusPatches()).isEqualTo(before + 1);
		assertThat(written.status.phase).isEqualTo("Ready");
		assertThat(written.status.conditions).singleElement()
			.satisfies((condition) -> assertThat(condition.getLastTransitionTime()).isEqualTo(SINCE));
		assertThat(written.spec.host).isEqualTo("blog.example.com");
		JsonObject stored = StoredObjects.get(client, Website.TYPE.objectPath(NS, "blog"));
		assertThat(StoredObjects.managers(stored)).contains("demo-controller/Apply/status");

		// The same status again, as a fresh object with its own empty lists and maps: no call.
		Website again = writer.writeStatus(Website.TYPE, written, ready("serving"), Website.class);
		assertThat(again).isSameAs(written);
		assertThat(statusPatches()).isEqualTo(before + 1);

		// A different status: one call.
		Website changed = writer.writeStatus(Website.TYPE, written, ready("still serving"), Website.class);
		assertThat(statusPatches()).isEqualTo(before + 2);
		assertThat(changed.status.conditions.get(0).getMessage()).isEqualTo("still serving");
	}

	@Test
	void objectKeyOrderDoesNotCount() throws ApiException {
		Website written = writer.writeStatus(Website.TYPE, create("shop"), ready("serving"), Website.class);
		long before = statusPatches();
		JsonObject reversed = reverseKeys(apply.pruned(written.status)).getAsJsonObject();
		assertThat(reversed.keySet()).containsExactly("conditions", "phase", "observedGeneration");

		assertThat(writer.writeStatus(Website.TYPE, written, reversed, Website.class)).isSameAs(written);
		assertThat(statusPatches()).isEqualTo(before);
	}

	@Test
	void worksOnDynamicObjectsAndMaps() throws ApiException {
		create("wiki");
		DynamicKubernetesObject cached = new DynamicKubernetesObject(
				StoredObjects.get(client, Website.TYPE.objectPath(NS, "wiki")));
		long before = statusPatches();

		DynamicKubernetesObject written = writer.writeStatus(Website.TYPE, cached,
				Map.of("phase", "Ready", "replicas", 2), DynamicKubernetesObject.class);
		DynamicKubernetesObject again = writer.writeStatus(Website.TYPE, written,
				Map.of("replicas", 2, "phase", "Ready"), DynamicKubernetesObject.class);

		assertThat(written.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("Ready");
		assertThat(again).isSameAs(written);
		assertThat(statusPatches()).isEqualTo(before + 1);
	}

	@Test
	void anEmptiedListIsRemovedRatherThanSentEmpty() throws ApiException {
		Website written = writer.writeStatus(Website.TYPE, create("docs"), ready("serving"), Website.class);
		Website.Status emptied = ready("serving");
		emptied.conditions = new ArrayList<>();
		long before = statusPatches();

		Website result = writer.writeStatus(Website.TYPE, written, emptied, Website.class);

		assertThat(statusPatches()).isEqualTo(before + 1);
		assertThat(result.status.conditions).isEmpty();
		JsonObject stored = StoredObjects.get(client, Website.TYPE.objectPath(NS, "docs")).getAsJsonObject("status");
		assertThat(stored.has("conditions")).isFalse();
		assertThat(stored.get("phase").getAsString()).isEqualTo("Ready");
		// And now the emptied status counts as written.
		assertThat(writer.writeStatus(Website.TYPE, result, emptied, Website.class)).isSameAs(result);
		assertThat(statusPatches()).isEqualTo(before + 1);
	}

	@Test
	void aNullStatusOnAnObjectWithoutStatusIsNoChange() throws ApiException {
		Website cached = create("empty");
		long before = statusPatches();

		assertThat(writer.writeStatus(Website.TYPE, cached, null, Website.class)).isSameAs(cached);
		assertThat(writer.writeStatus(Website.TYPE, cached, new Website.Status(), Website.class)).isSameAs(cached);
		assertThat(statusPatches()).isEqualTo(before);
	}

	private static JsonElement reverseKeys(JsonElement element) {
		if (!element.isJsonObject()) {
			return element;
		}
		List<String> keys = new ArrayList<>(element.getAsJsonObject().keySet());
		java.util.Collections.reverse(keys);
		JsonObject reversed = new JsonObject();
		keys.forEach((key) -> reversed.add(key, reverseKeys(element.getAsJsonObject().get(key))));
		return reversed;
	}
}
