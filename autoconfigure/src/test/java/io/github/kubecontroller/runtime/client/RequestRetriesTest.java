package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Retries of replayable requests on 429/503/504, and API warnings logged once, against the emulator. */
class RequestRetriesTest {

	private KubeApiEmulator emulator;
	private ApiClient client;
	private CoreV1Api core;

	@BeforeEach
	void start() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.audit().keepRequests(1000);
		client = emulator.apiClient();
		RequestRetries.install(client, 3);
		ApiWarnings.install(client);
		core = new CoreV1Api(client);
	}

	@AfterEach
	void stop() {
		emulator.stop();
	}

	private long requests(String verb, String name) {
		return emulator.audit().requests().stream()
				.filter(event -> event.request().verb().equals(verb) && event.request().name().equals(name)).count();
	}

	@Test
	void aReadAnswered429IsSentAgainAfterRetryAfter() throws Exception {
		core.createNamespacedConfigMap("default", configMap("read")).execute();
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("get").name("read"))
				.tooManyRequests(Duration.ofSeconds(1)).times(2).build());

		V1ConfigMap read = core.readNamespacedConfigMap("read", "default").execute();

		assertThat(read.getData()).containsEntry("v", "1");
		assertThat(requests("get", "read")).isEqualTo(3);
	}

	@Test
	void anUpdateAnswered503IsSentAgainButGivesUpAfterTheRetries() throws Exception {
		V1ConfigMap created = core.createNamespacedConfigMap("default", configMap("update")).execute();
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("update").name("update")).status(503).build());

		assertThatExceptionOfType(ApiException.class)
				.isThrownBy(() -> core.replaceNamespacedConfigMap("update", "default", created).execute())
				.satisfies(e -> assertThat(e.getCode()).isEqualTo(503));
		assertThat(requests("update", "update")).isEqualTo(4);
	}

	@Test
	void aCreateIsNeverReplayed() {
		emulator.faults().add(Fault.matching(RequestMatch.any().verbs("create").resource("", "configmaps"))
				.status(504).times(1).build());

		assertThatExceptionOfType(ApiException.class)
				.isThrownBy(() -> core.createNamespacedConfigMap("default", configMap("created")).execute())
				.satisfies(e -> assertThat(e.getCode()).isEqualTo(504));
		assertThat(emulator.audit().count("create", "configmaps")).isEqualTo(1);
	}

	@Test
	void retryAfterIsHonouredUpToALimit() {
		assertThat(RequestRetries.wait("2", 1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(RequestRetries.wait("3600", 1)).isEqualTo(RequestRetries.MAX_WAIT);
		assertThat(RequestRetries.wait(null, 1)).isEqualTo(Duration.ofMillis(200));
		assertThat(RequestRetries.wait(null, 3)).isEqualTo(Duration.ofMillis(800));
	}

	@Test
	void eachDistinctWarningIsLoggedOnce() throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(ApiWarnings.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			for (String name : List.of("w1", "w2", "w3")) {
				String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
						+ "\"},\"data\":{},\"colour\":\"blue\"}";
				Request request = new Request.Builder().url(emulator.baseUrl() + "/api/v1/namespaces/default/configmaps")
						.post(RequestBody.create(json, MediaType.get("application/json"))).build();
				try (Response response = client.getHttpClient().newCall(request).execute()) {
					assertThat(response.code()).isEqualTo(201);
					assertThat(response.headers("Warning")).isNotEmpty();
				}
			}
		} finally {
			logger.detachAppender(appender);
		}

		assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.singleElement().asString().contains("unknown field \"colour\"");
	}

	private static V1ConfigMap configMap(String name) {
		return new V1ConfigMap().metadata(new V1ObjectMeta().namespace("default").name(name)).data(Map.of("v", "1"));
	}
}
