package io.github.kubecontroller.benchmarks.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The results: one row per scenario, printed as a markdown table and written as markdown and JSON. */
final class Report {

	/** Whether a bigger or a smaller value is better, and the bound a median must meet. */
	record Target(boolean atLeast, double bound, String text) {

		static Target atLeast(double bound, String text) {
			return new Target(true, bound, text);
		}

		static Target atMost(double bound, String text) {
			return new Target(false, bound, text);
		}

		static Target none() {
			return new Target(true, Double.NaN, "—");
		}

		boolean isSet() {
			return !Double.isNaN(this.bound);
		}

		boolean met(double value) {
			return this.atLeast ? value >= this.bound : value <= this.bound;
		}
	}

	/** One scenario's result over its measured runs. */
	static final class Row {

		final String id;

		final String scenario;

		final String client;

		final String unit;

		final Target target;

		final List<Double> runs = new ArrayList<>();

		final List<Double> jvmCores = new ArrayList<>();

		final List<Double> emulatorCores = new ArrayList<>();

		final List<Double> otherCores = new ArrayList<>();

		final List<Double> emulatorMicrosPerOp = new ArrayList<>();

		final List<Double> jvmMicrosPerOp = new ArrayList<>();

		final List<Double> emulatorBytesPerOp = new ArrayList<>();

		String op = "";

		final List<String> notes = new ArrayList<>();

		Row(String id, String scenario, String client, String unit, Target target) {
			this.id = id;
			this.scenario = scenario;
			this.client = client;
			this.unit = unit;
			this.target = target;
		}

		Row run(double value, Meter.Cpu start, Meter.Cpu end) {
			return run(value, start, end, 0);
		}

		/** A measured run; {@code ops} (creates, events, items) gives the CPU per operation. */
		Row run(double value, Meter.Cpu start, Meter.Cpu end, long ops) {
			this.runs.add(value);
			if (start != null && end != null) {
				double[] cores = end.coresSince(start);
				this.jvmCores.add(cores[0]);
				this.emulatorCores.add(cores[1]);
				if (!Double.isNaN(cores[2])) {
					this.otherCores.add(cores[2]);
				}
				if (ops > 0) {
					long[] cpu = end.cpuSince(start);
					this.jvmMicrosPerOp.add(cpu[0] / 1e3 / ops);
					this.emulatorMicrosPerOp.add(cpu[1] / 1e3 / ops);
					this.emulatorBytesPerOp.add((double) cpu[2] / ops);
				}
			}
			return this;
		}

		Row per(String op) {
			this.op = op;
			return this;
		}

		Row note(String note) {
			this.notes.add(note);
			return this;
		}

		double median() {
			return median(this.runs);
		}

		double best() {
			return this.unit.endsWith("/s") ? Collections.max(this.runs) : Collections.min(this.runs);
		}

		String verdict() {
			if (!this.target.isSet() || this.runs.isEmpty()) {
				return "info";
			}
			return this.target.met(median()) ? "PASS" : "MISS";
		}

		static double median(List<Double> values) {
			if (values.isEmpty()) {
				return Double.NaN;
			}
			List<Double> sorted = new ArrayList<>(values);
			Collections.sort(sorted);
			int n = sorted.size();
			return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}
	}

	final List<Row> rows = new ArrayList<>();

	final Map<String, Object> environment = new LinkedHashMap<>();

	final Map<String, Object> memory = new LinkedHashMap<>();

	final List<String> sections = new ArrayList<>();

	/** Scenario id to cores per thread group, over its last measured run. */
	final Map<String, Map<String, Double>> cpuBreakdown = new LinkedHashMap<>();

	/** The rows in id order (1a, 1b, ... 4b), whatever order they were measured in. */
	List<Row> sorted() {
		List<Row> sorted = new ArrayList<>(this.rows);
		sorted.sort(java.util.Comparator.comparing((Row r) -> r.id));
		return sorted;
	}

	Row row(String id, String scenario, String client, String unit, Target target) {
		Row row = new Row(id, scenario, client, unit, target);
		this.rows.add(row);
		return row;
	}

	String table() {
		StringBuilder out = new StringBuilder();
		out.append("| # | Scenario | Client | Runs | Median | Best | Target | Result | Emulator CPU (cores) | JVM CPU (cores) | Other processes (cores) | Emulator CPU per op | JVM CPU per op | Emulator allocation per op |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row row : sorted()) {
			if (row.runs.isEmpty()) {
				continue;
			}
			out.append("| ").append(row.id)
				.append(" | ").append(row.scenario)
				.append(" | ").append(row.client)
				.append(" | ").append(row.runs.stream().map((v) -> format(v, row.unit)).reduce((a, b) -> a + ", " + b).orElse(""))
				.append(" | **").append(format(row.median(), row.unit)).append(' ').append(row.unit).append("**")
				.append(" | ").append(format(row.best(), row.unit))
				.append(" | ").append(row.target.text())
				.append(" | ").append(row.verdict())
				.append(" | ").append(cores(row.emulatorCores))
				.append(" | ").append(cores(row.jvmCores))
				.append(" | ").append(cores(row.otherCores))
				.append(" | ").append(perOp(row.emulatorMicrosPerOp, row.op))
				.append(" | ").append(perOp(row.jvmMicrosPerOp, row.op))
				.append(" | ").append(bytesPerOp(row.emulatorBytesPerOp, row.op))
				.append(" |\n");
		}
		return out.toString();
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("# Emulator benchmark\n\n");
		this.environment.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
		out.append('\n').append(table()).append('\n');
		out.append("Median and Best are over the measured runs (after warm-up); PASS/MISS compares the median with the target. ")
			.append("CPU columns are cores used during the measured runs (median): \"Emulator\" sums the emulator's own threads ")
			.append("(HTTP-Dispatcher and kube-api-emulator-http-*), \"JVM\" is the whole process, load generator and watcher included, ")
			.append("\"Other processes\" is the rest of the machine's busy CPU (from /proc/stat) while the run lasted. ")
			.append("CPU per op divides the CPU time of the run by the operations it did (creates, events, listed items): it is less sensitive ")
			.append("to a busy machine than the throughput. Allocation per op is what the emulator's threads allocated (ThreadMXBean).\n\n");
		for (Row row : sorted()) {
			if (!row.notes.isEmpty()) {
				out.append("- ").append(row.id).append(": ").append(String.join("; ", row.notes)).append('\n');
			}
		}
		out.append('\n').append(breakdownTable()).append('\n');
		for (String section : this.sections) {
			out.append('\n').append(section).append('\n');
		}
		return out.toString();
	}

	String breakdownTable() {
		if (this.cpuBreakdown.isEmpty()) {
			return "";
		}
		List<String> groups = new ArrayList<>();
		this.cpuBreakdown.values().forEach((m) -> m.keySet().forEach((g) -> {
			if (!groups.contains(g)) {
				groups.add(g);
			}
		}));
		StringBuilder out = new StringBuilder("### CPU by thread group (cores, last measured run of each scenario)\n\n| thread group |");
		List<String> ids = new ArrayList<>(this.cpuBreakdown.keySet());
		Collections.sort(ids);
		ids.forEach((id) -> out.append(' ').append(id).append(" |"));
		out.append("\n|---|");
		this.cpuBreakdown.keySet().forEach((id) -> out.append("---|"));
		out.append('\n');
		for (String group : groups) {
			out.append("| ").append(group).append(" |");
			ids.forEach((id) -> {
				Double v = this.cpuBreakdown.get(id).get(group);
				out.append(' ').append((v == null) ? "" : String.format(Locale.ROOT, "%.2f", v)).append(" |");
			});
			out.append('\n');
		}
		return out.toString();
	}

	void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("emulator-benchmark.md"), markdown(), StandardCharsets.UTF_8);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("environment", this.environment);
		List<Map<String, Object>> results = new ArrayList<>();
		for (Row row : sorted()) {
			if (row.runs.isEmpty()) {
				continue;
			}
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("id", row.id);
			r.put("scenario", row.scenario);
			r.put("client", row.client);
			r.put("unit", row.unit);
			r.put("runs", row.runs);
			r.put("median", row.median());
			r.put("best", row.best());
			r.put("target", row.target.text());
			if (row.target.isSet()) {
				r.put("targetBound", row.target.bound());
				r.put("targetIsMinimum", row.target.atLeast());
			}
			r.put("result", row.verdict());
			r.put("emulatorCpuCores", Row.median(row.emulatorCores));
			r.put("jvmCpuCores", Row.median(row.jvmCores));
			r.put("otherProcessesCpuCores", Row.median(row.otherCores));
			if (!row.op.isEmpty()) {
				r.put("operation", row.op);
				r.put("emulatorCpuMicrosPerOperation", Row.median(row.emulatorMicrosPerOp));
				r.put("jvmCpuMicrosPerOperation", Row.median(row.jvmMicrosPerOp));
				r.put("emulatorAllocatedBytesPerOperation", Row.median(row.emulatorBytesPerOp));
			}
			r.put("notes", row.notes);
			results.add(r);
		}
		json.put("results", results);
		json.put("memory", this.memory);
		json.put("cpuByThreadGroup", this.cpuBreakdown);
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
			.writeValue(directory.resolve("emulator-benchmark.json").toFile(), json);
	}

	static String format(double value, String unit) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		if (unit.endsWith("/s") || unit.equals("B")) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (unit.equals("s")) {
			return String.format(Locale.ROOT, "%.2f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static String perOp(List<Double> micros, String op) {
		double median = Row.median(micros);
		if (Double.isNaN(median)) {
			return "—";
		}
		return ((median >= 10) ? String.format(Locale.ROOT, "%.0f µs", median)
				: String.format(Locale.ROOT, "%.2f µs", median)) + "/" + op;
	}

	private static String bytesPerOp(List<Double> bytes, String op) {
		double median = Row.median(bytes);
		if (Double.isNaN(median)) {
			return "—";
		}
		return ((median >= 10_240) ? String.format(Locale.ROOT, "%.0f KB", median / 1024)
				: String.format(Locale.ROOT, "%.0f B", median)) + "/" + op;
	}

	private static String cores(List<Double> values) {
		double median = Row.median(values);
		return Double.isNaN(median) ? "—" : String.format(Locale.ROOT, "%.2f", median);
	}
}
