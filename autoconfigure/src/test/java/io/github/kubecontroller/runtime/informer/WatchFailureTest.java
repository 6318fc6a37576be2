package io.github.kubecontroller.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.github.kubecontroller.runtime.resource.ResourceType;
import java.net.ConnectException;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class WatchFailureTest {

	private static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true);
	private static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", true);
	private static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", false);

	@Test
	void actionsNameTheVerbTheResourceAndTheScope() {
		assertThat(WatchFailure.action("list", WatchSpec.all(CONFIG_MAPS).inNamespace("shop")))
			.isEqualTo("list configmaps in namespace shop");
		assertThat(WatchFailure.action("watch", WatchSpec.all(WIDGETS)))
			.isEqualTo("watch widgets.example.com in all namespaces");
		assertThat(WatchFailure.action("list", WatchSpec.all(NAMESPACES))).isEqualTo("list namespaces");
		assertThat(WatchFailure.action("list", new WatchSpec(CONFIG_MAPS, "a", "app=web", "metadata.name=x")))
			.isEqualTo("list configmaps in namespace a with labels app=web and fields metadata.name=x");
	}

	@Test
	void statusSentencesQuoteTheServerAndHint() {
		String forbidden = """
				{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps is forbidden: User \\"x\\" \
				cannot list resource \\"configmaps\\" in API group \\"\\" in the namespace \\"x\\"","reason":"Forbidden","code":403}""";
		assertThat(WatchFailure.status("list configmaps in namespace x", "list", WatchSpec.all(CONFIG_MAPS).inNamespace("x"),
				403, forbidden, null).getMessage())
			.isEqualTo("list configmaps in namespace x is forbidden for x: "
					+ "add this RBAC rule to the application's Role/ClusterRole: apiGroups: [\"\"], "
					+ "resources: [\"configmaps\"], verbs: [\"list\"]");
		assertThat(WatchFailure.status("list widgets.example.com in all namespaces", "list", WatchSpec.all(WIDGETS),
				404, "404 page not found\n", null).getMessage())
			.isEqualTo("widgets.example.com/v1 is not served: is its "
					+ "CustomResourceDefinition installed? (kubectl get crd widgets.example.com; list "
					+ "widgets.example.com cluster-wide)");
		WatchFailure throttled = WatchFailure.status("list configmaps", "list", WatchSpec.all(CONFIG_MAPS), 429,
				"Too many requests, please try again later.\n", Duration.ofSeconds(2));
		assertThat(throttled.getMessage()).isEqualTo("list configmaps: 429 Too Many Requests: Too many requests, "
				+ "please try again later. (the server asks to retry after 2 s)");
		assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void errorEventsAndConnectionsReadAsSentences() {
		WatchFailure expired = WatchFailure.errorEvent("watch configmaps", JsonParser.parseString("""
				{"kind":"Status","status":"Failure","message":"too old resource version: 5 (9)","reason":"Expired",\
				"code":410}""").getAsJsonObject());
		assertThat(expired.gone()).isTrue();
		assertThat(expired.getMessage()).isEqualTo(
				"watch configmaps: the server ended the watch with an error: 410 Expired: too old resource version: 5 (9)");
		assertThat(WatchFailure.transport("list configmaps", HttpUrl.get("https://kube.example:6443/api/v1/x"),
				new ConnectException("Connection refused")).getMessage())
			.isEqualTo("list configmaps: connection refused to https://kube.example:6443");
	}
}
