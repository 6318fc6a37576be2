package io.github.kubecontroller.autoconfigure.metrics;

import io.github.kubecontroller.runtime.client.RequestListener;
import io.github.kubecontroller.runtime.client.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Counts API requests as controller-runtime does ({@code rest_client_requests_total} by {@code method},
 * {@code code} and {@code host}) and times them by {@code resource} ({@code kube_controller_api_requests_seconds}),
 * so that 429s and slow resources show. A request that got no response has the code {@code <error>}, as in
 * controller-runtime.
 */
final class ApiRequestMetrics implements RequestListener {

	private final MeterProvider<Counter> requests;
	private final MeterProvider<Timer> durations;

	ApiRequestMetrics(MeterRegistry registry) {
		this.requests = Counter.builder("rest.client.requests")
			.description("Number of HTTP requests, partitioned by status code, method, and host")
			.withRegistry(registry);
		this.durations = Timer.builder("kube.controller.api.requests")
			.description("Time from sending an API request to its response headers, by resource")
			.withRegistry(registry);
	}

	@Override
	public void requestEnded(RequestOutcome outcome) {
		String code = (outcome.code() == 0) ? "<error>" : Integer.toString(outcome.code());
		requests.withTags(Tags.of("method", outcome.method(), "code", code, "host", outcome.host())).increment();
		durations.withTags(Tags.of("method", outcome.method(), "code", code, "resource", outcome.resource()))
			.record(outcome.duration());
	}
}
