package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Every figure of a run, per contender, with each contender's ratio to this runtime (a); the targets and whether
 * they were met; written as markdown and JSON.
 */
final class PeersReport {

	/** Which way a figure is better. */
	enum Better {

		LOWER("lower"), HIGHER("higher"), INFO("—");

		final String text;

		Better(String text) {
			this.text = text;
		}
	}

	/** One measured quantity across contenders. */
	static final class Figure {

		final String scenario;

		final String metric;

		final String unit;

		final Better better;

		final Map<String, Double> values = new LinkedHashMap<>();

		Figure(String scenario, String metric, String unit, Better better) {
			this.scenario = scenario;
			this.metric = metric;
			this.unit = unit;
			this.better = better;
		}

		Double value(String contender) {
			return this.values.get(contender);
		}
	}

	/** A target, what was measured for it, and by how much it was met or missed. */
	record TargetResult(String target, String measured, String result, String margin) {
	}

	final Map<String, Object> environment = new LinkedHashMap<>();

	final List<Figure> figures = new ArrayList<>();

	final List<TargetResult> targets = new ArrayList<>();

	final Map<String, List<String>> notes = new LinkedHashMap<>();

	final List<Map<String, Object>> runs = new ArrayList<>();

	/** Further markdown sections, such as the heap growth by class of S4. */
	final List<String> sections = new ArrayList<>();

	/** Columns: contender id to its label, in run order. */
	final Map<String, String> columns = new LinkedHashMap<>();

	/** Chart data: contender id to N to retained heap in MB (S4). */
	final Map<String, TreeMap<Integer, Double>> memoryByN = new LinkedHashMap<>();

	/** Chart data: contender id to N to seconds until every object was reconciled (S1). */
	final Map<String, TreeMap<Integer, Double>> startupByN = new LinkedHashMap<>();

	/** Chart data: series (contender and rate) to percentile label to milliseconds (S3). */
	final Map<String, Map<String, Double>> latency = new LinkedHashMap<>();

	void column(Contender contender) {
		this.columns.putIfAbsent(contender.id(), contender.label());
	}

	/** Sets one contender's value of a figure, creating the figure on first use. */
	void put(String scenario, String metric, String unit, Better better, Contender contender, double value) {
		column(contender);
		Figure figure = this.figures.stream()
			.filter((f) -> f.scenario.equals(scenario) && f.metric.equals(metric))
			.findFirst()
			.orElseGet(() -> {
				Figure created = new Figure(scenario, metric, unit, better);
				this.figures.add(created);
				return created;
			});
		figure.values.put(contender.id(), value);
	}

	Double get(String scenario, String metric, String contender) {
		return this.figures.stream()
			.filter((f) -> f.scenario.equals(scenario) && f.metric.equals(metric))
			.findFirst()
			.map((f) -> f.value(contender))
			.orElse(null);
	}

	void note(String scenario, String note) {
		this.notes.computeIfAbsent(scenario, (s) -> new ArrayList<>()).add(note);
	}

	/** The results table: one row per figure, one column per contender, then the ratios to (a). */
	String table() {
		List<String> ids = new ArrayList<>(this.columns.keySet());
		List<String> ratioIds = ids.stream().filter((id) -> !id.equals("a")).toList();
		StringBuilder out = new StringBuilder("| Scenario | Figure | Unit | Better |");
		ids.forEach((id) -> out.append(' ').append(this.columns.get(id)).append(" |"));
		ratioIds.forEach((id) -> out.append(' ').append(id).append(" / a |"));
		out.append("\n|---|---|---|---|");
		ids.forEach((id) -> out.append("---|"));
		ratioIds.forEach((id) -> out.append("---|"));
		out.append('\n');
		for (Figure figure : this.figures) {
			out.append("| ").append(figure.scenario).append(" | ").append(figure.metric).append(" | ")
				.append(figure.unit).append(" | ").append(figure.better.text).append(" |");
			for (String id : ids) {
				Double value = figure.value(id);
				out.append(' ').append((value == null) ? "" : format(value, figure.unit)).append(" |");
			}
			Double base = figure.value("a");
			for (String id : ratioIds) {
				out.append(' ').append(ratio(figure.value(id), base)).append(" |");
			}
			out.append('\n');
		}
		return out.toString();
	}

	String targetsTable() {
		StringBuilder out = new StringBuilder("| Target | Measured | Result | Margin |\n|---|---|---|---|\n");
		for (TargetResult target : this.targets) {
			out.append("| ").append(target.target()).append(" | ").append(target.measured()).append(" | ")
				.append(target.result()).append(" | ").append(target.margin()).append(" |\n");
		}
		return out.toString();
	}

	String markdown() {
		StringBuilder out = new StringBuilder("# Peers benchmark\n\n");
		this.environment.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		out.append("\n## Results\n\n").append(table());
		out.append("\nRatios are the contender's value divided by (a)'s, in this run: above 1 means (a) is lower ")
			.append("(better for times, bytes, CPU and requests), below 1 means (a) is higher.\n");
		if (!this.targets.isEmpty()) {
			out.append("\n## Targets\n\n").append(targetsTable());
		}
		if (!this.notes.isEmpty()) {
			out.append("\n## Notes\n\n");
			this.notes.forEach((scenario, list) -> list
				.forEach((note) -> out.append("- ").append(scenario).append(": ").append(note).append('\n')));
		}
		this.sections.forEach((section) -> out.append('\n').append(section));
		return out.toString();
	}

	void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("peers-benchmark.md"), markdown(), StandardCharsets.UTF_8);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("environment", this.environment);
		json.put("contenders", this.columns);
		List<Map<String, Object>> figures = new ArrayList<>();
		for (Figure figure : this.figures) {
			Map<String, Object> f = new LinkedHashMap<>();
			f.put("scenario", figure.scenario);
			f.put("figure", figure.metric);
			f.put("unit", figure.unit);
			f.put("better", figure.better.name().toLowerCase(Locale.ROOT));
			f.put("values", figure.values);
			Map<String, Object> ratios = new LinkedHashMap<>();
			Double base = figure.value("a");
			figure.values.forEach((id, value) -> {
				if (!id.equals("a") && base != null && base != 0 && value != null) {
					ratios.put(id, value / base);
				}
			});
			f.put("ratioToA", ratios);
			figures.add(f);
		}
		json.put("figures", figures);
		json.put("targets", this.targets);
		json.put("notes", this.notes);
		json.put("runs", this.runs);
		json.put("plots", Map.of("memoryMegabytesByN", this.memoryByN, "startupSecondsByN", this.startupByN,
				"latencyMillisByPercentile", this.latency));
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
			.writeValue(directory.resolve("peers-benchmark.json").toFile(), json);
	}

	static String ratio(Double value, Double base) {
		if (value == null || base == null || base == 0 || value.isNaN() || base.isNaN()) {
			return "—";
		}
		return String.format(Locale.ROOT, "%.2f×", value / base);
	}

	static String format(double value, String unit) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		return switch (unit) {
			case "s" -> String.format(Locale.ROOT, "%.2f", value);
			case "ms" -> String.format(Locale.ROOT, "%.1f", value);
			case "MB" -> String.format(Locale.ROOT, "%.1f", value);
			case "cores" -> String.format(Locale.ROOT, "%.2f", value);
			case "×" -> String.format(Locale.ROOT, "%.2f", value);
			case "B", "count", "events/s" -> String.format(Locale.ROOT, "%,.0f", value);
			default -> (Math.abs(value) >= 100) ? String.format(Locale.ROOT, "%,.0f", value)
					: String.format(Locale.ROOT, "%.2f", value);
		};
	}
}
