package io.github.kubecontroller.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.EmulatedKubernetes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Grafana dashboard in {@code docs/grafana} queries only metrics and labels the running operator publishes.
 */
@SpringBootTest
@EmulatedKubernetes
class GrafanaDashboardTest {

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "kube-controller-dashboard.json");

	// A metric name of ours, and the label matchers that may follow it.
	private static final Pattern METRIC = Pattern
		.compile("\\b((?:controller_runtime|workqueue|kube_controller|rest_client)_[a-z_]+)(\\{([^}]*)\\})?");

	private static final Pattern LABEL = Pattern.compile("(\\w+)\\s*(=~|!=|=)");

	@Autowired
	EmulatedCluster cluster;

	@Autowired
	PrometheusMeterRegistry registry;

	@Test
	void everyQueriedMetricAndLabelExists() throws Exception {
		// The demo websites have been reconciled: every meter has been fed.
		for (String name : List.of("blog", "docs", "shop")) {
			cluster.awaitCondition(Website.class, "default", name,
					(website) -> website.getStatus() != null && website.getStatus().getObservedGeneration() != null);
		}
		String scrape = registry.scrape();
		List<String> expressions = expressions(JsonParser.parseString(Files.readString(DASHBOARD)).getAsJsonObject());
		assertThat(expressions).hasSizeGreaterThan(10);
		List<String> missing = new ArrayList<>();
		Set<String> checked = new TreeSet<>();
		for (String expression : expressions) {
			Matcher metric = METRIC.matcher(expression);
			while (metric.find()) {
				String name = metric.group(1);
				checked.add(name);
				List<String> lines = scrape.lines().filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
				if (lines.isEmpty()) {
					missing.add(name);
					continue;
				}
				if (metric.group(3) != null) {
					Matcher label = LABEL.matcher(metric.group(3));
					while (label.find()) {
						String labelName = label.group(1);
						if (lines.stream().noneMatch((line) -> line.contains(labelName + "=\""))) {
							missing.add(name + " label " + labelName);
						}
					}
				}
			}
		}
		assertThat(checked).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(20);
		assertThat(missing).as("metrics or labels the dashboard queries but the operator does not publish").isEmpty();
	}

	private static List<String> expressions(JsonObject dashboard) {
		List<String> expressions = new ArrayList<>();
		for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
			for (JsonElement target : panel.getAsJsonObject().getAsJsonArray("targets")) {
				expressions.add(target.getAsJsonObject().get("expr").getAsString());
			}
		}
		for (JsonElement variable : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
			JsonElement query = variable.getAsJsonObject().get("query");
			if (query != null && query.getAsString().contains("(")) {
				expressions.add(query.getAsString());
			}
		}
		return expressions;
	}
}
