package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.runtime.client.RequestListener;
import io.github.kubecontroller.runtime.client.RequestListeningInterceptor;
import io.github.kubecontroller.runtime.client.RequestOutcome;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Installs the request metrics interceptor on every {@link ApiClient} bean, ours or the application's, as soon as
 * the bean is initialised: before any controller or informer uses it. The metrics bean is looked up at the first
 * request, so that the meter registry is not created early by a post-processor.
 */
final class ApiClientMetricsPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ApiRequestMetrics> metrics;

	ApiClientMetricsPostProcessor(ObjectProvider<ApiRequestMetrics> metrics) {
		this.metrics = metrics;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ApiClient client) {
			RequestListeningInterceptor.install(client, new LazyListener(metrics));
		}
		return bean;
	}

	/** Resolves the metrics bean once, at the first request. */
	private static final class LazyListener implements RequestListener {

		private final ObjectProvider<ApiRequestMetrics> provider;
		private volatile RequestListener delegate;

		LazyListener(ObjectProvider<ApiRequestMetrics> provider) {
			this.provider = provider;
		}

		@Override
		public void requestEnded(RequestOutcome outcome) {
			RequestListener listener = delegate;
			if (listener == null) {
				ApiRequestMetrics metrics = provider.getIfAvailable();
				listener = (metrics != null) ? metrics : (ignored) -> {
				};
				delegate = listener;
			}
			listener.requestEnded(outcome);
		}
	}
}
