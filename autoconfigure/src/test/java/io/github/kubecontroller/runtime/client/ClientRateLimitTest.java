package io.github.kubecontroller.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {

	private KubeApiEmulator emulator;

	@BeforeEach
	void start() {
		emulator = KubeApiEmulator.builder().build().start();
	}

	@AfterEach
	void stop() {
		emulator.stop();
	}

	@Test
	void requestsBeyondTheBurstWaitAndTheWaitIsCounted() throws Exception {
		ApiClient client = emulator.apiClient();
		// One token every two seconds: the second request cannot find one unless the first took two seconds.
		ClientRateLimit limit = ClientRateLimit.install(client, 0.5, 1);
		CoreV1Api core = new CoreV1Api(client);

		core.listNamespace().execute();
		assertThat(limit.waits()).isZero();
		core.listNamespace().execute();

		assertThat(limit.waits()).isEqualTo(1);
		assertThat(limit.waited()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(ClientRateLimit.of(client)).containsSame(limit);
		assertThat(ClientRateLimit.of(emulator.apiClient())).isEmpty();
	}

	@Test
	void aLimitMustAllowSomething() {
		ApiClient client = emulator.apiClient();
		assertThatIllegalArgumentException().isThrownBy(() -> ClientRateLimit.install(client, 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> ClientRateLimit.install(client, 10, 0));
	}
}
