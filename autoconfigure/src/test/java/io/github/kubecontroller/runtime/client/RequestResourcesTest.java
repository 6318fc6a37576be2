package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The resource read from API paths never includes a namespace or an object name. */
class RequestResourcesTest {

	private static String of(String path) {
		return RequestResources.of(HttpUrl.get("https://api.example.com:6443" + path));
	}

	@Test
	void coreResourcesAreTheirPlural() {
		assertThat(of("/api/v1/configmaps?watch=true")).isEqualTo("configmaps");
		assertThat(of("/api/v1/namespaces/tenant-a/configmaps")).isEqualTo("configmaps");
		assertThat(of("/api/v1/namespaces/tenant-a/configmaps/my-object")).isEqualTo("configmaps");
		assertThat(of("/api/v1/namespaces/tenant-a/pods/my-pod/status")).isEqualTo("pods/status");
	}

	@Test
	void groupedResourcesCarryTheirGroup() {
		assertThat(of("/apis/apps/v1/namespaces/tenant-a/deployments/web/scale")).isEqualTo("deployments.apps/scale");
		assertThat(of("/apis/example.com/v1/widgets")).isEqualTo("widgets.example.com");
		assertThat(of("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin")).isEqualTo(
				"clusterroles.rbac.authorization.k8s.io");
	}

	@Test
	void namespacesAreAResourceWhoseNamesAreLeftOut() {
		assertThat(of("/api/v1/namespaces")).isEqualTo("namespaces");
		assertThat(of("/api/v1/namespaces/tenant-a")).isEqualTo("namespaces");
		assertThat(of("/api/v1/namespaces/tenant-a/status")).isEqualTo("namespaces/status");
		assertThat(of("/api/v1/namespaces/tenant-a/finalize")).isEqualTo("namespaces/finalize");
	}

	@Test
	void oldWatchPathsAreReadLikeTheOthers() {
		assertThat(of("/api/v1/watch/namespaces/tenant-a/configmaps/my-object")).isEqualTo("configmaps");
	}

	@Test
	void discoveryAndOtherPathsHaveFixedNames() {
		assertThat(of("/api")).isEqualTo("discovery");
		assertThat(of("/api/v1")).isEqualTo("discovery");
		assertThat(of("/apis")).isEqualTo("discovery");
		assertThat(of("/apis/apps")).isEqualTo("discovery");
		assertThat(of("/apis/apps/v1/")).isEqualTo("discovery");
		assertThat(of("/version")).isEqualTo("other");
		assertThat(of("/openapi/v3")).isEqualTo("other");
	}
}
