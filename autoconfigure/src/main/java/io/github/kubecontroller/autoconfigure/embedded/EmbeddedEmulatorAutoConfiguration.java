package io.github.kubecontroller.autoconfigure.embedded;

import io.github.kubecontroller.autoconfigure.KubeControllerAutoConfiguration;
import io.github.kubecontroller.autoconfigure.KubeControllerProperties;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Runs the application on an embedded API server emulator when {@code kube-api-emulator} is on the class path and
 * no cluster is configured (or {@code kube.controller.embedded.enabled=true}), as Spring Boot does with an embedded
 * database. Production applications simply do not add the emulator; {@code kube.controller.embedded.enabled=false}
 * forbids it outright.
 */
@AutoConfiguration(before = KubeControllerAutoConfiguration.class)
@ConditionalOnClass(name = "io.github.kubecontroller.emulator.KubeApiEmulator")
@Conditional(OnEmbeddedEmulatorCondition.class)
@EnableConfigurationProperties(KubeControllerProperties.class)
public final class EmbeddedEmulatorAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EmbeddedEmulator kubeEmbeddedEmulator(KubeControllerProperties properties, ResourcePatternResolver resources) {
		KubeControllerProperties.Embedded embedded = properties.getEmbedded();
		return EmbeddedEmulator.start(embedded.getPort(), embedded.getKubeconfig(), embedded.getCrds(), resources);
	}

	@Bean
	@ConditionalOnMissingBean
	ApiClient kubeApiClient(EmbeddedEmulator embedded, KubeControllerProperties properties) {
		ApiClient client = embedded.emulator().apiClient();
		Duration readTimeout = properties.getClient().getReadTimeout();
		client.setReadTimeout((int) readTimeout.toMillis());
		return client;
	}
}
