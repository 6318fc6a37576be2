package io.github.kubecontroller.runtime.predicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterTest {

	private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

	private static V1Deployment deployment(long generation, String resourceVersion) {
		return new V1Deployment().apiVersion("apps/v1")
			.kind("Deployment")
			.metadata(new V1ObjectMeta().name("web")
				.namespace("default")
				.generation(generation)
				.resourceVersion(resourceVersion))
			.spec(new V1DeploymentSpec().replicas(1));
	}

	private static V1ConfigMap configMap(String resourceVersion, Map<String, String> data) {
		return new V1ConfigMap().apiVersion("v1")
			.kind("ConfigMap")
			.metadata(new V1ObjectMeta().name("settings").namespace("default").resourceVersion(resourceVersion))
			.data(data);
	}

	private static DynamicKubernetesObject widget(String json) {
		return new DynamicKubernetesObject(JsonParser.parseString(json).getAsJsonObject());
	}

	@Test
	void generationChangedAcceptsSpecChangesAndCreatesButNotStatusUpdatesOrResyncs() {
		EventFilter<V1Deployment> filter = EventFilter.generationChanged();
		V1Deployment v1 = deployment(1, "10");
		V1Deployment statusOnly = deployment(1, "11").status(new V1DeploymentStatus().readyReplicas(1));
		V1Deployment specChanged = deployment(2, "12");

		assertThat(filter.accept(null, v1)).isTrue();
		assertThat(filter.accept(v1, statusOnly)).isFalse();
		assertThat(filter.accept(v1, v1)).isFalse();
		assertThat(filter.accept(statusOnly, specChanged)).isTrue();
	}

	@Test
	void kindsWithoutGenerationPassEveryChange() {
		EventFilter<V1ConfigMap> filter = EventFilter.generationChanged();
		V1ConfigMap before = configMap("10", Map.of("a", "1"));
		V1ConfigMap after = configMap("11", Map.of("a", "2"));

		assertThat(before.getMetadata().getGeneration()).isNull();
		assertThat(filter.accept(before, after)).isTrue();
		assertThat(filter.accept(before, before)).isTrue();
		assertThat(EventFilter.<V1ConfigMap>defaultFilter().accept(before, after)).isTrue();
	}

	@Test
	void finalizersChangedComparesListsWithAbsentAsEmpty() {
		EventFilter<V1Deployment> filter = EventFilter.finalizersChanged();
		V1Deployment none = deployment(1, "10");
		none.getMetadata().setFinalizers(null);
		V1Deployment empty = deployment(1, "11");
		V1Deployment one = deployment(1, "12");
		one.getMetadata().addFinalizersItem("demo.kubecontroller.io/cleanup");
		V1Deployment two = deployment(1, "13");
		two.getMetadata().finalizers(List.of("demo.kubecontroller.io/cleanup", "other.io/hold"));

		assertThat(filter.accept(null, none)).isTrue();
		assertThat(filter.accept(none, empty)).isFalse();
		assertThat(filter.accept(empty, one)).isTrue();
		assertThat(filter.accept(one, two)).isTrue();
		assertThat(filter.accept(two, one)).isTrue();
		assertThat(filter.accept(one, one)).isFalse();
	}

	@Test
	void deletionMarkedAcceptsOnlyTheUpdateThatSetsTheTimestampOrAFirstSightingOfADeletingObject() {
		EventFilter<V1Deployment> filter = EventFilter.deletionMarked();
		V1Deployment live = deployment(1, "10");
		V1Deployment deleting = deployment(2, "11");
		deleting.getMetadata().deletionTimestamp(NOW);
		V1Deployment stillDeleting = deployment(2, "12");
		stillDeleting.getMetadata().deletionTimestamp(NOW);

		assertThat(filter.accept(null, live)).isFalse();
		assertThat(filter.accept(live, live)).isFalse();
		assertThat(filter.accept(live, deleting)).isTrue();
		assertThat(filter.accept(deleting, stillDeleting)).isFalse();
		assertThat(filter.accept(null, deleting)).isTrue();
	}

	@Test
	void defaultFilterLetsSpecFinalizerAndDeletionChangesThroughAndDropsStatusUpdates() {
		EventFilter<V1Deployment> filter = EventFilter.defaultFilter();
		V1Deployment v1 = deployment(3, "10");
		V1Deployment statusOnly = deployment(3, "11").status(new V1DeploymentStatus().replicas(1));
		V1Deployment finalized = deployment(3, "12");
		finalized.getMetadata().addFinalizersItem("demo.kubecontroller.io/cleanup");
		// A deletion of an object whose generation did not move (possible for built-in kinds).
		V1Deployment deleting = deployment(3, "13");
		deleting.getMetadata().addFinalizersItem("demo.kubecontroller.io/cleanup");
		deleting.getMetadata().deletionTimestamp(NOW);

		assertThat(filter.accept(null, v1)).isTrue();
		assertThat(filter.accept(v1, statusOnly)).isFalse();
		assertThat(filter.accept(v1, v1)).isFalse();
		assertThat(filter.accept(statusOnly, finalized)).isTrue();
		assertThat(filter.accept(finalized, deleting)).isTrue();
		assertThat(filter.accept(v1, deployment(4, "14"))).isTrue();
	}

	@Test
	void labelsAnnotationsAndResourceVersionChanged() {
		V1Deployment plain = deployment(1, "10");
		plain.getMetadata().setLabels(null);
		V1Deployment emptyLabels = deployment(1, "10");
		V1Deployment labelled = deployment(1, "11");
		labelled.getMetadata().putLabelsItem("app", "web");
		V1Deployment annotated = deployment(1, "12");
		annotated.getMetadata().putLabelsItem("app", "web");
		annotated.getMetadata().putAnnotationsItem("note", "x");

		assertThat(EventFilter.<V1Deployment>labelsChanged().accept(null, plain)).isTrue();
		assertThat(EventFilter.<V1Deployment>labelsChanged().accept(plain, emptyLabels)).isFalse();
		assertThat(EventFilter.<V1Deployment>labelsChanged().accept(plain, labelled)).isTrue();
		assertThat(EventFilter.<V1Deployment>labelsChanged().accept(labelled, annotated)).isFalse();
		assertThat(EventFilter.<V1Deployment>annotationsChanged().accept(labelled, annotated)).isTrue();
		assertThat(EventFilter.<V1Deployment>annotationsChanged().accept(plain, labelled)).isFalse();
		assertThat(EventFilter.<V1Deployment>annotationsChanged().accept(null, plain)).isTrue();
		assertThat(EventFilter.<V1Deployment>resourceVersionChanged().accept(plain, emptyLabels)).isFalse();
		assertThat(EventFilter.<V1Deployment>resourceVersionChanged().accept(plain, labelled)).isTrue();
		assertThat(EventFilter.<V1Deployment>resourceVersionChanged().accept(null, plain)).isTrue();
	}

	@Test
	void dynamicObjectsWorkLikeTypedOnes() {
		DynamicKubernetesObject v1 = widget("""
				{"apiVersion":"demo.kubecontroller.io/v1","kind":"Website",
				 "metadata":{"name":"a","namespace":"default","generation":1,"resourceVersion":"5",
				             "labels":{"app":"web","tier":"front"}},
				 "spec":{"replicas":1}}""");
		DynamicKubernetesObject statusOnly = widget("""
				{"apiVersion":"demo.kubecontroller.io/v1","kind":"Website",
				 "metadata":{"name":"a","namespace":"default","generation":1,"resourceVersion":"6",
				             "labels":{"app":"web","tier":"front"}},
				 "spec":{"replicas":1},"status":{"ready":true}}""");
		DynamicKubernetesObject deleting = widget("""
				{"apiVersion":"demo.kubecontroller.io/v1","kind":"Website",
				 "metadata":{"name":"a","namespace":"default","generation":2,"resourceVersion":"7",
				             "deletionTimestamp":"2026-01-02T03:04:05Z","finalizers":["demo.kubecontroller.io/x"]},
				 "spec":{"replicas":1}}""");

		EventFilter<DynamicKubernetesObject> filter = EventFilter.defaultFilter();
		assertThat(filter.accept(null, v1)).isTrue();
		assertThat(filter.accept(v1, statusOnly)).isFalse();
		assertThat(filter.accept(statusOnly, deleting)).isTrue();
		assertThat(EventFilter.<DynamicKubernetesObject>deletionMarked().accept(statusOnly, deleting)).isTrue();
		assertThat(EventFilter.<DynamicKubernetesObject>labelsMatch("app=web,tier in (front)").accept(null, v1))
			.isTrue();
		assertThat(EventFilter.<DynamicKubernetesObject>labelsMatch("app=web").accept(v1, deleting)).isFalse();
	}

	@Test
	void composition() {
		EventFilter<V1ConfigMap> yes = EventFilter.all();
		EventFilter<V1ConfigMap> no = yes.negate();
		V1ConfigMap object = configMap("1", Map.of());

		assertThat(yes.accept(null, object)).isTrue();
		assertThat(no.accept(null, object)).isFalse();
		assertThat(EventFilter.not(no).accept(null, object)).isTrue();
		assertThat(yes.and(no).accept(null, object)).isFalse();
		assertThat(yes.and(yes).accept(null, object)).isTrue();
		assertThat(no.or(yes).accept(null, object)).isTrue();
		assertThat(no.or(no).accept(null, object)).isFalse();

		// Short-circuit: the right-hand side is not asked when the left decides.
		EventFilter<V1ConfigMap> exploding = (oldObject, newObject) -> {
			throw new AssertionError("must not be asked");
		};
		assertThat(no.and(exploding).accept(null, object)).isFalse();
		assertThat(yes.or(exploding).accept(null, object)).isTrue();
	}

	@Test
	void objectsWithoutMetadataDoNotBreakFilters() {
		V1ConfigMap bare = new V1ConfigMap();

		assertThat(EventFilter.<V1ConfigMap>defaultFilter().accept(bare, bare)).isTrue();
		assertThat(EventFilter.<V1ConfigMap>labelsMatch("!app").accept(null, bare)).isTrue();
		assertThat(EventFilter.<V1ConfigMap>labelsMatch("app").accept(null, bare)).isFalse();
		assertThat(EventFilter.<V1ConfigMap>deletionMarked().accept(null, bare)).isFalse();
	}
}
