package io.github.kubecontroller.runtime.finalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonParser;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Audit;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.resource.ResourceType;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FinalizersTest {

	private static final String NS = "finalizers";

	private static final String OURS = "demo.kubecontroller.io/cleanup";

	private static final String THEIRS = "other.example.com/hold";

	private static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);

	private static KubeApiEmulator emulator;

	private static ApiClient client;

	private static CoreV1Api core;

	private static Finalizers finalizers;

	@BeforeAll
	static void startEmulator() throws ApiException {
		emulator = KubeApiEmulator.builder().build().start();
		client = emulator.apiClient();
		core = new CoreV1Api(client);
		core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
		finalizers = new Finalizers(client);
	}

	@AfterAll
	static void stopEmulator() {
		emulator.stop();
	}

	@BeforeEach
	void clearFaults() {
		emulator.faults().clear();
	}

	private static V1ConfigMap create(String name, String... finalizerNames) throws ApiException {
		V1ObjectMeta metadata = new V1ObjectMeta().name(name).namespace(NS).finalizers(List.of(finalizerNames));
		return core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(metadata).data(Map.of("k", "v")))
			.execute();
	}

	private static V1ConfigMap read(String name) throws ApiException {
		return core.readNamespacedConfigMap(name, NS).execute();
	}

	/** Another writer changes the object, with a JSON patch of its own. */
	private static void patchByOthers(String name, String operations) throws ApiException {
		PatchUtils.patch(V1ConfigMap.class,
				() -> core.patchNamespacedConfigMap(name, NS, new V1Patch(operations))
					.fieldManager("other")
					.buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_PATCH, client);
	}

	private static long count(String verb, int code) {
		return emulator.audit()
			.count((Audit.Key key) -> key.verb().equals(verb) && key.resource().equals("configmaps")
					&& key.code() == code);
	}

	@Test
	void addKeepsAListCreatedBetweenTheReadAndThePatch() throws ApiException {
		V1ConfigMap cached = create("first-list");
		patchByOthers("first-list", """
				[{"op":"add","path":"/metadata/finalizers","value":["%s"]}]""".formatted(THEIRS));
		long failedTests = count("patch", 422);
		long reads = count("get", 200);

		V1ConfigMap result = finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class);

		assertThat(result.getMetadata().getFinalizers()).containsExactly(THEIRS, OURS);
		assertThat(read("first-list").getMetadata().getFinalizers()).containsExactly(THEIRS, OURS);
		assertThat(count("patch", 422)).as("the resourceVersion test failed once").isEqualTo(failedTests + 1);
		assertThat(count("get", 200)).as("then the object was read again").isEqualTo(reads + 1 + 1);
	}

	@Test
	void addKeepsAFinalizerAppendedBetweenTheReadAndThePatch() throws ApiException {
		V1ConfigMap cached = create("appended", "a.example.com/x");
		patchByOthers("appended", """
				[{"op":"add","path":"/metadata/finalizers/-","value":"%s"}]""".formatted(THEIRS));

		V1ConfigMap result = finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class);

		assertThat(result.getMetadata().getFinalizers()).containsExactly("a.example.com/x", THEIRS, OURS);
	}

	@Test
	void addWithoutInterferenceIsOnePatchAndAddingAgainIsNoCall() throws ApiException {
		V1ConfigMap cached = create("quiet");
		long writes = emulator.audit().writes();

		V1ConfigMap added = finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class);
		V1ConfigMap again = finalizers.add(CONFIG_MAPS, added, OURS, V1ConfigMap.class);

		assertThat(added.getMetadata().getFinalizers()).containsExactly(OURS);
		assertThat(again).isSameAs(added);
		assertThat(emulator.audit().writes()).isEqualTo(writes + 1);
		assertThat(Finalizers.has(added, OURS)).isTrue();
		assertThat(Finalizers.has(cached, OURS)).isFalse();
	}

	@Test
	void removeKeepsTheOthersWhenTheListShiftedMeanwhile() throws ApiException {
		V1ConfigMap cached = create("shifted", "a.example.com/x", OURS, THEIRS);
		// Someone removes the first entry: ours moves from index 1 to 0, and index 1 now holds theirs.
		patchByOthers("shifted", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]");
		long failedTests = count("patch", 422);

		V1ConfigMap result = finalizers.remove(CONFIG_MAPS, cached, OURS, V1ConfigMap.class);

		assertThat(result.getMetadata().getFinalizers()).containsExactly(THEIRS);
		assertThat(read("shifted").getMetadata().getFinalizers()).containsExactly(THEIRS);
		assertThat(count("patch", 422)).isEqualTo(failedTests + 1);
	}

	@Test
	void removingWhatIsNotThereIsNoCall() throws ApiException {
		V1ConfigMap cached = create("without", THEIRS);
		long writes = emulator.audit().writes();

		assertThat(finalizers.remove(CONFIG_MAPS, cached, OURS, V1ConfigMap.class)).isSameAs(cached);
		assertThat(emulator.audit().writes()).isEqualTo(writes);
	}

	@Test
	void deletionCompletesOnceTheLastFinalizerIsRemoved() throws ApiException {
		create("doomed", OURS);
		core.deleteNamespacedConfigMap("doomed", NS).execute();
		V1ConfigMap deleting = read("doomed");
		assertThat(Finalizers.isDeleting(deleting)).isTrue();

		V1ConfigMap result = finalizers.remove(CONFIG_MAPS, deleting, OURS, V1ConfigMap.class);

		assertThat(result).isNotNull();
		assertThat(result.getMetadata().getFinalizers()).isNullOrEmpty();
		ApiException gone = catchThrowableOfType(ApiException.class, () -> read("doomed"));
		assertThat(gone.getCode()).isEqualTo(404);
	}

	@Test
	void removingFromAnObjectThatIsGoneSucceeds() throws ApiException {
		V1ConfigMap cached = create("vanished", OURS);
		patchByOthers("vanished", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
		core.deleteNamespacedConfigMap("vanished", NS).execute();

		assertThat(finalizers.remove(CONFIG_MAPS, cached, OURS, V1ConfigMap.class)).isNull();
		assertThat(count("patch", 404)).isGreaterThanOrEqualTo(1);
	}

	@Test
	void noNewFinalizerOnAnObjectBeingDeleted() throws ApiException {
		V1ConfigMap stale = create("terminating", THEIRS);
		core.deleteNamespacedConfigMap("terminating", NS).execute();
		V1ConfigMap deleting = read("terminating");
		long writes = emulator.audit().writes();

		// Known from the copy: no call.
		assertThatIllegalStateException()
			.isThrownBy(() -> finalizers.add(CONFIG_MAPS, deleting, OURS, V1ConfigMap.class))
			.withMessageContaining("being deleted");
		assertThat(emulator.audit().writes()).isEqualTo(writes);
		// Not yet visible in a stale copy: the server refuses, the object is read again, same answer.
		assertThatIllegalStateException()
			.isThrownBy(() -> finalizers.add(CONFIG_MAPS, stale, OURS, V1ConfigMap.class));
		assertThat(read("terminating").getMetadata().getFinalizers()).containsExactly(THEIRS);
	}

	@Test
	void givesUpAfterBoundedAttemptsWhenTheTestKeepsFailing() throws ApiException {
		V1ConfigMap cached = create("contended");
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("patch").resource("", "configmaps").name("contended"))
				.status(422)
				.build());
		long failed = count("patch", 422);

		ApiException error = catchThrowableOfType(ApiException.class,
				() -> finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class));

		assertThat(error.getCode()).isEqualTo(422);
		assertThat(count("patch", 422)).isEqualTo(failed + Finalizers.MAX_ATTEMPTS);
	}

	@Test
	void otherErrorsAreNotRetriedAndKeepTheirDetails() throws ApiException {
		V1ConfigMap cached = create("throttled");
		emulator.faults()
			.add(Fault.matching(RequestMatch.any().verbs("patch").resource("", "configmaps").name("throttled"))
				.tooManyRequestsStatus(java.time.Duration.ofSeconds(3))
				.times(1)
				.build());
		long throttled = count("patch", 429);

		ApiException error = catchThrowableOfType(ApiException.class,
				() -> finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class));

		assertThat(error.getCode()).isEqualTo(429);
		assertThat(error.getResponseHeaders()).containsEntry("retry-after", List.of("3"));
		assertThat(error.getResponseBody()).contains("TooManyRequests");
		assertThat(count("patch", 429)).isEqualTo(throttled + 1);
		assertThat(finalizers.add(CONFIG_MAPS, cached, OURS, V1ConfigMap.class).getMetadata().getFinalizers())
			.containsExactly(OURS);
	}

	@Test
	void worksOnDynamicObjects() throws ApiException {
		create("dynamic", THEIRS);
		String json = client.getJSON().serialize(read("dynamic"));
		DynamicKubernetesObject cached = new DynamicKubernetesObject(JsonParser.parseString(json).getAsJsonObject());

		DynamicKubernetesObject added = finalizers.add(CONFIG_MAPS, cached, OURS, DynamicKubernetesObject.class);
		DynamicKubernetesObject removed = finalizers.remove(CONFIG_MAPS, added, THEIRS, DynamicKubernetesObject.class);

		assertThat(added.getMetadata().getFinalizers()).containsExactly(THEIRS, OURS);
		assertThat(removed.getMetadata().getFinalizers()).containsExactly(OURS);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cleanup", "Demo.io/cleanup", "demo.io/", "/cleanup", "demo.io/a/b", "demo..io/x",
			"demo.io/-x", "demo.io/x y" })
	void rejectsNamesThatAreNotDomainQualified(String name) {
		V1ConfigMap object = new V1ConfigMap().metadata(new V1ObjectMeta().name("x").namespace(NS));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> finalizers.add(CONFIG_MAPS, object, name, V1ConfigMap.class))
			.withMessageContaining("domain-qualified");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> finalizers.remove(CONFIG_MAPS, object, name, V1ConfigMap.class));
	}

	@Test
	void acceptsDomainQualifiedNames() {
		Finalizers.checkName(OURS);
		Finalizers.checkName("example.com/a_b.c-1");
		Finalizers.checkName("x/" + "a".repeat(63));
		assertThatIllegalArgumentException().isThrownBy(() -> Finalizers.checkName("x/" + "a".repeat(64)));
	}
}
