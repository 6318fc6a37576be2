package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.kubecontroller.emulator.patch.PatchSchema.FieldStrategy;

import static io.github.kubecontroller.emulator.patch.JsonMergePatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StrategicMergePatchTest {

	private static final PatchSchema DEPLOYMENT = PatchSchema.forKind("apps", "Deployment");

	private static final PatchSchema CONFIG_MAP_SCHEMA = PatchSchema.forKind("", "ConfigMap");

	private static final String DEPLOYMENT_JSON = """
			{
			  "apiVersion": "apps/v1",
			  "kind": "Deployment",
			  "metadata": {
			    "name": "shop",
			    "namespace": "default",
			    "labels": {"app": "shop"},
			    "finalizers": ["example.com/a", "example.com/b"],
			    "ownerReferences": [
			      {"apiVersion": "example.com/v1", "kind": "Shop", "name": "main", "uid": "uid-1", "controller": true},
			      {"apiVersion": "v1", "kind": "ConfigMap", "name": "settings", "uid": "uid-2"}
			    ]
			  },
			  "spec": {
			    "replicas": 2,
			    "selector": {"matchLabels": {"app": "shop"}},
			    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
			    "template": {
			      "metadata": {"labels": {"app": "shop"}},
			      "spec": {
			        "nodeSelector": {"disk": "ssd", "zone": "a"},
			        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "shop", "effect": "NoSchedule"}],
			        "imagePullSecrets": [{"name": "registry"}],
			        "containers": [
			          {
			            "name": "app",
			            "image": "shop/app:1.0",
			            "args": ["--port=8080", "--verbose"],
			            "ports": [{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "name": "metrics"}],
			            "env": [{"name": "MODE", "value": "prod"}, {"name": "DB_HOST", "value": "db"}],
			            "volumeMounts": [{"name": "config", "mountPath": "/etc/shop"}]
			          },
			          {
			            "name": "sidecar",
			            "image": "envoy:1.29",
			            "env": [{"name": "LOG", "value": "warn"}]
			          }
			        ],
			        "volumes": [
			          {"name": "config", "configMap": {"name": "shop-config"}},
			          {"name": "cache", "emptyDir": {}}
			        ]
			      }
			    }
			  }
			}
			""";

	private static final String CONTAINERS = "/spec/template/spec/containers";

	@Nested
	class Maps {

		@Test
		void mergesMapsAndReplacesScalars() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"labels": {"version": "v2"}}, "spec": {"replicas": 5}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/labels")).isEqualTo(json("""
					{"app": "shop", "version": "v2"}
					"""));
			assertThat(result.at("/spec/replicas").asInt()).isEqualTo(5);
			assertThat(result.at(CONTAINERS)).isEqualTo(json(DEPLOYMENT_JSON).at(CONTAINERS));
		}

		@Test
		void nullDeletesKeys() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"labels": {"app": null}}, "spec": {"replicas": null, "paused": null}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/labels")).isEqualTo(json("{}"));
			assertThat(result.get("spec").has("replicas")).isFalse();
			assertThat(result.get("spec").has("paused")).isFalse();
		}

		@Test
		void dropsNullsInsideNewValues() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"annotations": {"a": "1", "b": null}}, "spec": {"minReadySeconds": 10}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
					{"a": "1"}
					"""));
			assertThat(result.at("/spec/minReadySeconds").asInt()).isEqualTo(10);
		}

		@Test
		void replacesAMapWithThePatchDirectiveReplace() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"nodeSelector": {"$patch": "replace", "gpu": "true", "x": null}}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/nodeSelector")).isEqualTo(json("""
					{"gpu": "true"}
					"""));
		}

		@Test
		void deletesAMapWithThePatchDirectiveDelete() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"nodeSelector": {"$patch": "delete"}}}}}
					""", DEPLOYMENT);

			// the server leaves an empty map behind, which omitempty then hides
			assertThat(result.at("/spec/template/spec/nodeSelector")).isEqualTo(json("{}"));
		}

		@Test
		void mergesAMapWithThePatchDirectiveMerge() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"nodeSelector": {"$patch": "merge", "zone": "b"}}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/nodeSelector")).isEqualTo(json("""
					{"disk": "ssd", "zone": "b"}
					"""));
		}

		@Test
		void replacesTheWholeObjectWithATopLevelReplace() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"$patch": "replace", "kind": "Deployment", "spec": {"replicas": 1}}
					""", DEPLOYMENT);

			assertThat(result).isEqualTo(json("""
					{"kind": "Deployment", "spec": {"replicas": 1}}
					"""));
		}

		@Test
		void dropsANewMapThatCarriesAPatchDirective() {
			// as the server does: a directive map that has nothing to merge into is not kept, even with replace
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"affinity": {"$patch": "replace", "nodeAffinity": {}},
					                                "securityContext": {"$patch": "delete"}}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec").has("affinity")).isFalse();
			assertThat(result.at("/spec/template/spec").has("securityContext")).isFalse();
		}

		@Test
		void keepsTheContentOfANewMapMarkedMerge() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"securityContext": {"$patch": "merge", "runAsNonRoot": true}}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/securityContext")).isEqualTo(json("""
					{"runAsNonRoot": true}
					"""));
		}

		@Test
		void replacesAMapByAListOrAScalarAndBack() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"selector": "app=shop", "replicas": {"min": 1}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/selector").asText()).isEqualTo("app=shop");
			assertThat(result.at("/spec/replicas")).isEqualTo(json("""
					{"min": 1}
					"""));
		}

		@Test
		void appliesAMapReplaceStrategyFromTheSchema() {
			PatchSchema schema = DEPLOYMENT.with("spec.selector", FieldStrategy.REPLACE);

			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}}}
					""", schema);

			assertThat(result.at("/spec/selector")).isEqualTo(json("""
					{"matchExpressions": [{"key": "app", "operator": "Exists"}]}
					"""));
		}

		@Test
		void treatsAMissingTargetAsAnEmptyObject() {
			JsonNode result = StrategicMergePatch.apply(null, json("""
					{"metadata": {"finalizers": ["a"], "labels": {"x": null}}}
					"""), DEPLOYMENT);

			assertThat(result).isEqualTo(json("""
					{"metadata": {"finalizers": ["a"], "labels": {}}}
					"""));
		}

	}

	@Nested
	class ListsOfMaps {

		@Test
		void mergesContainersByName() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "envoy:1.30"}]}}}}
					""", DEPLOYMENT);

			JsonNode expected = json(DEPLOYMENT_JSON).at(CONTAINERS).deepCopy();
			((ObjectNode) expected.get(1)).put("image", "envoy:1.30");
			assertThat(result.at(CONTAINERS)).isEqualTo(expected);
		}

		@Test
		void mergesNestedListsInsideAMatchedContainer() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{
					  "name": "app",
					  "env": [{"name": "DB_HOST", "value": "db.internal"}, {"name": "MODE", "$patch": "delete"}],
					  "ports": [{"containerPort": 9090, "name": "prom"}],
					  "volumeMounts": [{"mountPath": "/etc/shop", "readOnly": true}],
					  "args": ["--port=9000"]
					}]}}}}
					""", DEPLOYMENT);

			JsonNode app = result.at(CONTAINERS + "/0");
			assertThat(app.get("env")).isEqualTo(json("""
					[{"name": "DB_HOST", "value": "db.internal"}]
					"""));
			assertThat(app.get("ports")).isEqualTo(json("""
					[{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "name": "prom"}]
					"""));
			assertThat(app.get("volumeMounts")).isEqualTo(json("""
					[{"name": "config", "mountPath": "/etc/shop", "readOnly": true}]
					"""));
			// args has no patch strategy: it is replaced
			assertThat(app.get("args")).isEqualTo(json("""
					["--port=9000"]
					"""));
			assertThat(result.at(CONTAINERS + "/1")).isEqualTo(json(DEPLOYMENT_JSON).at(CONTAINERS + "/1"));
		}

		@Test
		void putsNewElementsBeforeTheLiveOnesAsTheServerDoes() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "metrics", "image": "prom:2", "command": null}]}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("metrics", "app", "sidecar");
			assertThat(result.at(CONTAINERS + "/0")).isEqualTo(json("""
					{"name": "metrics", "image": "prom:2"}
					"""));
		}

		@Test
		void keepsThePatchOrderForElementsNamedInThePatch() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [
					  {"name": "sidecar", "image": "envoy:1.30"},
					  {"name": "app", "image": "shop/app:2.0"}
					]}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("sidecar", "app");
		}

		@Test
		void interleavesLiveOnlyElementsByTheirLivePosition() {
			String pod = """
					{"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}}
					""";

			JsonNode result = apply(pod, """
					{"spec": {"containers": [{"name": "c", "image": "x"}, {"name": "a", "image": "y"}, {"name": "e"}]}}
					""", PatchSchema.forKind("", "Pod"));

			assertThat(names(result.at("/spec/containers"))).containsExactly("b", "c", "a", "e", "d");
		}

		@Test
		void deletesAnElementByMergeKey() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "app", "$patch": "delete"}]}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("sidecar");
		}

		@Test
		void deletingAnAbsentElementIsANoOp() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "ghost", "$patch": "delete"}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS)).isEqualTo(json(DEPLOYMENT_JSON).at(CONTAINERS));
		}

		@Test
		void replacesAListWithAReplaceElement() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [
					  {"$patch": "replace"},
					  {"name": "only", "image": "busybox", "env": [{"name": "X", "value": null}]}
					]}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS)).isEqualTo(json("""
					[{"name": "only", "image": "busybox", "env": [{"name": "X"}]}]
					"""));
		}

		@Test
		void replaceElementAloneEmptiesTheList() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"imagePullSecrets": [{"$patch": "replace"}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/imagePullSecrets")).isEqualTo(json("[]"));
		}

		@Test
		void replacesListsWithoutStrategy() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"tolerations": [{"key": "gpu", "operator": "Exists"}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/tolerations")).isEqualTo(json("""
					[{"key": "gpu", "operator": "Exists"}]
					"""));
		}

		@Test
		void createsAMissingListFromThePatchWithoutItsDirectives() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"hostAliases": [
					  {"ip": "10.0.0.1", "hostnames": ["db"]},
					  {"ip": "10.0.0.2", "$patch": "delete"}
					]}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/hostAliases")).isEqualTo(json("""
					[{"ip": "10.0.0.1", "hostnames": ["db"]}]
					"""));
		}

		@Test
		void mergesVolumesAndHonoursRetainKeysInAnElement() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"volumes": [
					  {"name": "config", "$retainKeys": ["name", "secret"], "secret": {"secretName": "shop-secret"}}
					]}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/volumes")).isEqualTo(json("""
					[{"name": "config", "secret": {"secretName": "shop-secret"}}, {"name": "cache", "emptyDir": {}}]
					"""));
		}

		@Test
		void mergesOwnerReferencesByUid() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"ownerReferences": [
					  {"uid": "uid-2", "blockOwnerDeletion": true},
					  {"uid": "uid-1", "$patch": "delete"},
					  {"apiVersion": "v1", "kind": "Secret", "name": "creds", "uid": "uid-3"}
					]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/ownerReferences")).isEqualTo(json("""
					[
					  {"apiVersion": "v1", "kind": "ConfigMap", "name": "settings", "uid": "uid-2", "blockOwnerDeletion": true},
					  {"apiVersion": "v1", "kind": "Secret", "name": "creds", "uid": "uid-3"}
					]
					"""));
		}

		@Test
		void mergesServicePortsByPort() {
			String service = """
					{"kind": "Service", "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080},
					                                       {"name": "https", "port": 443, "targetPort": 8443}]}}
					""";

			JsonNode result = apply(service, """
					{"spec": {"ports": [{"port": 443, "targetPort": 9443}]}}
					""", PatchSchema.forKind("", "Service"));

			assertThat(result.at("/spec/ports")).isEqualTo(json("""
					[{"name": "http", "port": 80, "targetPort": 8080}, {"name": "https", "port": 443, "targetPort": 9443}]
					"""));
		}

		@Test
		void matchesMergeKeysNumerically() {
			String pod = """
					{"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}}
					""";

			JsonNode result = apply(pod, """
					{"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80.0, "name": "http"}]}]}}
					""", PatchSchema.forKind("core", "Pod"));

			assertThat(result.at("/spec/containers/0/ports").size()).isEqualTo(1);
			assertThat(result.at("/spec/containers/0/ports/0/name").asText()).isEqualTo("http");
		}

	}

	@Nested
	class ListsOfPrimitives {

		@Test
		void mergesFinalizersAsASet() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"finalizers": ["example.com/b", "example.com/c"]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["example.com/a", "example.com/b", "example.com/c"]
					"""));
		}

		@Test
		void putsANewFinalizerFirstAsTheServerDoes() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"finalizers": ["example.com/c"]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["example.com/c", "example.com/a", "example.com/b"]
					"""));
		}

		@Test
		void deduplicatesAndKeepsThePatchOrder() {
			JsonNode result = apply("""
					{"metadata": {"finalizers": ["a", "b", "c", "a"]}}
					""", """
					{"metadata": {"finalizers": ["c", "a", "c"]}}
					""", CONFIG_MAP_SCHEMA);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["b", "c", "a"]
					"""));
		}

		@Test
		void deletesFromAPrimitiveList() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/a", "example.com/z"]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["example.com/b"]
					"""));
		}

		@Test
		void deletesFromAPrimitiveListWithoutMergeStrategyToo() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [
					  {"name": "app", "$deleteFromPrimitiveList/args": ["--verbose"]}
					]}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS + "/0/args")).isEqualTo(json("""
					["--port=8080"]
					"""));
		}

		@Test
		void addsAndDeletesInOnePatch() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"finalizers": ["example.com/c"], "$deleteFromPrimitiveList/finalizers": ["example.com/a"]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["example.com/c", "example.com/b"]
					"""));
		}

		@Test
		void deletingFromAnAbsentListIsANoOp() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"$deleteFromPrimitiveList/ghost": ["x"]}}
					""", DEPLOYMENT);

			assertThat(result.get("spec").has("ghost")).isFalse();
		}

		@Test
		void replacesPrimitiveListsWithoutStrategy() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "app", "args": ["--port=1"]}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS + "/0/args")).isEqualTo(json("""
					["--port=1"]
					"""));
		}

	}

	@Nested
	class Directives {

		@Test
		void retainKeysClearsTheOtherFieldsOfAUnion() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/strategy")).isEqualTo(json("""
					{"type": "Recreate"}
					"""));
		}

		@Test
		void retainKeysMergesTheListedFields() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"strategy": {"$retainKeys": ["type", "rollingUpdate"], "rollingUpdate": {"maxSurge": 1}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/strategy")).isEqualTo(json("""
					{"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}
					"""));
		}

		@Test
		void retainKeysAllowsNullsForUnlistedFields() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/strategy")).isEqualTo(json("""
					{"type": "Recreate"}
					"""));
		}

		@Test
		void retainKeysRejectsAFieldMissingFromTheList() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": {}}}}
					""", "field \"rollingUpdate\" at spec.strategy is set by the patch but missing from $retainKeys");
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"strategy": {"$retainKeys": "type"}}}
					""", "$retainKeys at spec.strategy must be a list");
		}

		@Test
		void setElementOrderReordersMaps() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "app"}]}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("sidecar", "app");
			assertThat(result.at(CONTAINERS + "/1")).isEqualTo(json(DEPLOYMENT_JSON).at(CONTAINERS + "/0"));
		}

		@Test
		void setElementOrderPlacesNewElementsWhereTheDirectiveSays() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}, {"name": "metrics"}],
					  "containers": [{"name": "metrics", "image": "prom:2"}]
					}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("app", "sidecar", "metrics");
		}

		@Test
		void setElementOrderWorksInsideAMergedElement() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{
					  "name": "app",
					  "$setElementOrder/env": [{"name": "DB_HOST"}, {"name": "MODE"}, {"name": "NEW"}],
					  "env": [{"name": "NEW", "value": "1"}]
					}]}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS + "/0/env"))).containsExactly("DB_HOST", "MODE", "NEW");
		}

		@Test
		void setElementOrderReordersPrimitives() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"metadata": {"$setElementOrder/finalizers": ["example.com/b", "example.com/c", "example.com/a"],
					              "finalizers": ["example.com/c"]}}
					""", DEPLOYMENT);

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["example.com/b", "example.com/c", "example.com/a"]
					"""));
		}

		@Test
		void setElementOrderKeepsLiveElementsItDoesNotName() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "$setElementOrder/imagePullSecrets": [{"name": "b"}, {"name": "a"}],
					  "imagePullSecrets": [{"name": "b"}, {"name": "a"}]
					}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at("/spec/template/spec/imagePullSecrets"))).containsExactly("b", "a", "registry");
		}

		@Test
		void setElementOrderCreatesAMissingList() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "$setElementOrder/initContainers": [{"name": "migrate"}, {"name": "wait"}],
					  "initContainers": [{"name": "migrate", "image": "flyway", "args": null}, {"name": "wait", "image": "busybox"}]
					}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec/initContainers")).isEqualTo(json("""
					[{"name": "migrate", "image": "flyway"}, {"name": "wait", "image": "busybox"}]
					"""));
		}

		@Test
		void setElementOrderWithADeletionAndAnAdditionOrdersAsTheServerDoes() {
			String pod = """
					{"spec": {"containers": [{"name": "legacy"}, {"name": "app", "image": "a"}, {"name": "sidecar"}]}}
					""";

			// what kubectl apply sends when "legacy" is replaced by "metrics"; the server's in-place slice edits make
			// the live-only sidecar land before the new container
			JsonNode result = apply(pod, """
					{"spec": {"$setElementOrder/containers": [{"name": "app"}, {"name": "metrics"}],
					          "containers": [{"name": "metrics"}, {"name": "legacy", "$patch": "delete"}]}}
					""", PatchSchema.forKind("", "Pod"));

			assertThat(names(result.at("/spec/containers"))).containsExactly("app", "sidecar", "metrics");
		}

		@Test
		void retainKeysIgnoresOtherDirectivesOfTheMap() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{
					  "name": "app",
					  "$retainKeys": ["name", "image", "env"],
					  "$setElementOrder/env": [{"name": "DB_HOST"}, {"name": "MODE"}],
					  "$deleteFromPrimitiveList/args": ["--verbose"],
					  "image": "shop/app:2.0"
					}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS + "/0")).isEqualTo(json("""
					{"name": "app", "image": "shop/app:2.0",
					 "env": [{"name": "DB_HOST", "value": "db"}, {"name": "MODE", "value": "prod"}]}
					"""));
		}

		@Test
		void setElementOrderForAnAbsentListIsIgnored() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"$setElementOrder/initContainers": [{"name": "init"}]}}}}
					""", DEPLOYMENT);

			assertThat(result.at("/spec/template/spec").has("initContainers")).isFalse();
		}

		@Test
		void setElementOrderRejectsAPatchListInAnotherOrder() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}],
					  "containers": [{"name": "sidecar", "image": "x"}, {"name": "app", "image": "y"}]
					}}}}
					""", "the order of the list at spec.template.spec.containers does not match its $setElementOrder directive");
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"$setElementOrder/finalizers": "example.com/a"}}
					""", "$setElementOrder/finalizers at metadata must be a list");
		}

		@Test
		void leavesNoDirectiveInNewValues() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "containers": [{
					    "name": "metrics",
					    "$setElementOrder/env": [{"name": "A"}],
					    "env": [{"name": "A", "value": "1"}, {"name": "B", "$patch": "delete"}],
					    "$deleteFromPrimitiveList/args": ["x"],
					    "resources": {"$retainKeys": ["limits"], "limits": {"cpu": "1"}}
					  }],
					  "dnsConfig": {"$retainKeys": ["nameservers"], "nameservers": ["1.1.1.1"]}
					}}}}
					""", DEPLOYMENT);

			assertThat(result.at(CONTAINERS + "/0")).isEqualTo(json("""
					{"name": "metrics", "env": [{"name": "A", "value": "1"}], "resources": {"limits": {"cpu": "1"}}}
					"""));
			assertThat(result.at("/spec/template/spec/dnsConfig")).isEqualTo(json("""
					{"nameservers": ["1.1.1.1"]}
					"""));
		}

	}

	@Nested
	class Errors {

		@Test
		void rejectsAPatchThatIsNotAnObject() {
			assertMalformed(DEPLOYMENT_JSON, "[]", "a strategic merge patch must be a JSON object");
			assertMalformed(DEPLOYMENT_JSON, "\"x\"", "a strategic merge patch must be a JSON object");
		}

		@Test
		void rejectsUnknownDirectives() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"$foo": 1}}
					""", "unknown directive \"$foo\" at metadata");
			assertMalformed(DEPLOYMENT_JSON, """
					{"$setElementOrder": []}
					""", "directive \"$setElementOrder\" at the object root must have the form <directive>/<field>");
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"$deleteFromPrimitiveList/": []}}
					""", "directive \"$deleteFromPrimitiveList/\" at metadata must have the form <directive>/<field>");
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"annotations": {"$patch": "remove"}}}
					""", "unknown $patch directive \"remove\" at metadata.annotations");
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"name": "x", "$patch": true}]}}}}
					""", "unknown $patch directive true at spec.template.spec.containers");
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"newField": {"$bogus": 1}}}
					""", "unknown directive \"$bogus\" at spec.newField");
		}

		@Test
		void rejectsPatchMergeInsideAList() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"$patch": "merge"}]}}}}
					""", "$patch: merge is not supported in the list at spec.template.spec.containers");
		}

		@Test
		void rejectsListElementsWithoutMergeKey() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"image": "nameless"}]}}}}
					""", "an element of the list at spec.template.spec.containers has no merge key \"name\": "
					+ "{\"image\":\"nameless\"}");
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": [{"$patch": "delete"}]}}}}
					""", "an element of the list at spec.template.spec.containers has no merge key \"name\": "
					+ "{\"$patch\":\"delete\"}");
		}

		@Test
		void rejectsMixedElementTypes() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"finalizers": [1]}}
					""", "the elements of the list at metadata.finalizers are not all of one type");
			assertMalformed(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {"containers": ["app"]}}}}
					""", "the elements of the list at spec.template.spec.containers are not all of one type");
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"finalizers": [["nested"]]}}
					""", "the list at metadata.finalizers contains a list, which cannot be merged");
		}

		@Test
		void rejectsAMergedListOfMapsWithoutMergeKey() {
			PatchSchema schema = PatchSchema.empty().with("spec.rules", FieldStrategy.MERGE_PRIMITIVES);

			assertMalformed("""
					{"spec": {"rules": [{"host": "a"}]}}
					""", """
					{"spec": {"rules": [{"host": "b"}]}}
					""", schema, "cannot merge the list of maps at spec.rules: it has no merge key");
		}

		@Test
		void rejectsADeleteListThatIsNotAList() {
			assertMalformed(DEPLOYMENT_JSON, """
					{"metadata": {"$deleteFromPrimitiveList/finalizers": "example.com/a"}}
					""", "$deleteFromPrimitiveList/finalizers at metadata must be a list");
		}

		@Test
		void rejectsATargetThatIsNotAnObject() {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> StrategicMergePatch.apply(json("[]"), json("{}"), DEPLOYMENT));
		}

	}

	@Nested
	class Schemas {

		@Test
		void describesPodsAndTheirContainers() {
			PatchSchema pod = PatchSchema.forKind("", "Pod");

			assertThat(pod.strategy("spec.containers")).isEqualTo(FieldStrategy.mergeByKey("name"));
			assertThat(pod.strategy("spec.initContainers")).isEqualTo(FieldStrategy.mergeByKey("name"));
			assertThat(pod.strategy("spec.ephemeralContainers.env")).isEqualTo(FieldStrategy.mergeByKey("name"));
			assertThat(pod.strategy("spec.containers.ports")).isEqualTo(FieldStrategy.mergeByKey("containerPort"));
			assertThat(pod.strategy("spec.containers.volumeMounts")).isEqualTo(FieldStrategy.mergeByKey("mountPath"));
			assertThat(pod.strategy("spec.containers.volumeDevices"))
				.isEqualTo(FieldStrategy.mergeByKey("devicePath"));
			assertThat(pod.strategy("spec.volumes")).isEqualTo(FieldStrategy.mergeByKeyRetainingKeys("name"));
			assertThat(pod.strategy("spec.imagePullSecrets")).isEqualTo(FieldStrategy.mergeByKey("name"));
			assertThat(pod.strategy("spec.hostAliases")).isEqualTo(FieldStrategy.mergeByKey("ip"));
			assertThat(pod.strategy("spec.tolerations")).isEqualTo(FieldStrategy.DEFAULT);
			assertThat(pod.strategy("spec.containers.args")).isEqualTo(FieldStrategy.DEFAULT);
			assertThat(pod.strategy("status.conditions")).isEqualTo(FieldStrategy.mergeByKey("type"));
			assertThat(PatchSchema.forKind("core", "Pod")).isEqualTo(pod);
		}

		@Test
		void describesWorkloadsThroughTheirPodTemplate() {
			assertThat(DEPLOYMENT.strategy("spec.template.spec.containers.env")).isEqualTo(FieldStrategy.mergeByKey("name"));
			assertThat(DEPLOYMENT.strategy("spec.template.metadata.finalizers")).isEqualTo(FieldStrategy.MERGE_PRIMITIVES);
			assertThat(DEPLOYMENT.strategy("spec.strategy")).isEqualTo(FieldStrategy.RETAIN_KEYS);
			assertThat(DEPLOYMENT.strategy("spec.containers")).isEqualTo(FieldStrategy.DEFAULT);
			assertThat(PatchSchema.forKind("batch", "CronJob").strategy("spec.jobTemplate.spec.template.spec.volumes"))
				.isEqualTo(FieldStrategy.mergeByKeyRetainingKeys("name"));
		}

		@Test
		void describesMetadataForEveryKind() {
			for (String[] kind : new String[][] { { "", "ConfigMap" }, { "", "Secret" }, { "", "Namespace" },
					{ "", "ServiceAccount" }, { "", "Event" }, { "coordination.k8s.io", "Lease" },
					{ "example.com", "Widget" } }) {
				PatchSchema schema = PatchSchema.forKind(kind[0], kind[1]);
				assertThat(schema.strategy("metadata.finalizers")).isEqualTo(FieldStrategy.MERGE_PRIMITIVES);
				assertThat(schema.strategy("metadata.ownerReferences")).isEqualTo(FieldStrategy.mergeByKey("uid"));
			}
			assertThat(PatchSchema.forKind("", "ConfigMap").fields()).hasSize(2);
			assertThat(PatchSchema.forKind("coordination.k8s.io", "Lease").fields()).hasSize(2);
			assertThat(PatchSchema.forKind("", "Service").strategy("spec.ports")).isEqualTo(FieldStrategy.mergeByKey("port"));
			assertThat(PatchSchema.forKind("", "ServiceAccount").strategy("secrets"))
				.isEqualTo(FieldStrategy.mergeByKey("name"));
		}

	}

	@Nested
	class RealisticObjects {

		@Test
		void patchesAConfigMap() {
			String configMap = """
					{"apiVersion": "v1", "kind": "ConfigMap",
					 "metadata": {"name": "app-config", "labels": {"app": "shop"}},
					 "data": {"LOG_LEVEL": "info", "FEATURE_X": "on"}}
					""";

			JsonNode result = apply(configMap, """
					{"metadata": {"labels": {"env": "prod"}}, "data": {"LOG_LEVEL": "debug", "FEATURE_X": null}}
					""", CONFIG_MAP_SCHEMA);

			assertThat(result).isEqualTo(json("""
					{"apiVersion": "v1", "kind": "ConfigMap",
					 "metadata": {"name": "app-config", "labels": {"app": "shop", "env": "prod"}},
					 "data": {"LOG_LEVEL": "debug"}}
					"""));
		}

		@Test
		void removesAFinalizerTheWayControllersDo() {
			String object = """
					{"apiVersion": "v1", "kind": "Secret",
					 "metadata": {"name": "creds", "finalizers": ["kubernetes.io/protect", "example.com/cleanup"],
					              "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "u1"}]}}
					""";

			JsonNode result = apply(object, """
					{"metadata": {"$setElementOrder/finalizers": ["kubernetes.io/protect"],
					              "$deleteFromPrimitiveList/finalizers": ["example.com/cleanup"]}}
					""", PatchSchema.forKind("", "Secret"));

			assertThat(result.at("/metadata/finalizers")).isEqualTo(json("""
					["kubernetes.io/protect"]
					"""));
			assertThat(result.at("/metadata/ownerReferences")).isEqualTo(json(object).at("/metadata/ownerReferences"));
		}

		@Test
		void appliesAKubectlStyleTwoWayPatch() {
			JsonNode result = apply(DEPLOYMENT_JSON, """
					{"spec": {"template": {"spec": {
					  "$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}],
					  "containers": [{
					    "$setElementOrder/env": [{"name": "MODE"}, {"name": "DB_HOST"}, {"name": "CACHE"}],
					    "env": [{"name": "CACHE", "value": "redis"}],
					    "image": "shop/app:1.1",
					    "name": "app"
					  }]
					}}}}
					""", DEPLOYMENT);

			assertThat(names(result.at(CONTAINERS))).containsExactly("app", "sidecar");
			assertThat(result.at(CONTAINERS + "/0/image").asText()).isEqualTo("shop/app:1.1");
			assertThat(names(result.at(CONTAINERS + "/0/env"))).containsExactly("MODE", "DB_HOST", "CACHE");
		}

	}

	private static List<String> names(JsonNode list) {
		List<String> names = new ArrayList<>();
		list.forEach((element) -> names.add(element.isObject() ? element.path("name").asText() : element.asText()));
		return names;
	}

	/** Applies the patch, checks that neither input was modified and that no directive is left. */
	private static JsonNode apply(String target, String patch, PatchSchema schema) {
		JsonNode targetNode = json(target);
		JsonNode patchNode = json(patch);
		ObjectNode result = StrategicMergePatch.apply(targetNode, patchNode, schema);
		assertThat(targetNode).isEqualTo(json(target));
		assertThat(patchNode).isEqualTo(json(patch));
		assertNoDirectives(result, "");
		assertSharesNoNodes(result, patchNode);
		return result;
	}

	private static void assertNoDirectives(JsonNode node, String path) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				assertThat(member.getKey()).as("key at %s", path).doesNotStartWith("$");
				assertNoDirectives(member.getValue(), path + "/" + member.getKey());
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				assertNoDirectives(node.get(i), path + "/" + i);
			}
		}
	}

	/** No container node of the result is a node of the patch, so changing the result cannot change the patch. */
	private static void assertSharesNoNodes(JsonNode result, JsonNode patch) {
		List<JsonNode> patchContainers = new ArrayList<>();
		collectContainers(patch, patchContainers);
		List<JsonNode> resultContainers = new ArrayList<>();
		collectContainers(result, resultContainers);
		for (JsonNode container : resultContainers) {
			assertThat(patchContainers).noneMatch((candidate) -> candidate == container);
		}
	}

	private static void collectContainers(JsonNode node, List<JsonNode> into) {
		if (node.isContainerNode()) {
			into.add(node);
			node.forEach((child) -> collectContainers(child, into));
		}
	}

	private static void assertMalformed(String target, String patch, String message) {
		assertMalformed(target, patch, DEPLOYMENT, message);
	}

	private static void assertMalformed(String target, String patch, PatchSchema schema, String message) {
		JsonNode targetNode = json(target);
		JsonNode patchNode = json(patch);
		assertThatExceptionOfType(PatchException.class)
			.isThrownBy(() -> StrategicMergePatch.apply(targetNode, patchNode, schema))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(PatchException.Kind.MALFORMED);
				assertThat(ex.getMessage()).isEqualTo(message);
			});
		assertThat(targetNode).isEqualTo(json(target));
		assertThat(patchNode).isEqualTo(json(patch));
	}

}
