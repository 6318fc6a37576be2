package io.github.kubecontroller.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's PNG plots: memory and startup against N, and the latency percentiles of S3. */
final class Charts {

	private Charts() {
	}

	static List<Path> write(PeersReport report, Path directory) throws IOException {
		List<Path> written = new ArrayList<>();
		if (!report.memoryByN.isEmpty()) {
			written.add(xy(report, report.memoryByN, "S4: retained heap against cached small ConfigMaps",
					"cached ConfigMaps (N)", "heap(N) − heap(0), MB after full GC", directory.resolve("peers-memory.png")));
		}
		if (!report.startupByN.isEmpty()) {
			written.add(xy(report, report.startupByN, "S1: fork to every object reconciled once",
					"Bench objects (N)", "seconds", directory.resolve("peers-startup.png")));
		}
		if (!report.latency.isEmpty()) {
			CategoryChart chart = new CategoryChartBuilder().width(900)
				.height(520)
				.title("S3: event → reconcile start at a steady rate")
				.xAxisTitle("percentile")
				.yAxisTitle("milliseconds (log scale)")
				.build();
			chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
			// Lines, not bars: bars start at zero, which a logarithmic axis cannot show.
			chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Line);
			chart.getStyler().setOverlapped(true);
			chart.getStyler().setYAxisLogarithmic(true);
			report.latency.forEach((series, percentiles) -> chart.addSeries(series,
					new ArrayList<>(percentiles.keySet()),
					percentiles.values().stream().map((ms) -> Math.max(ms, 0.01)).toList()));
			Path file = directory.resolve("peers-latency.png");
			BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
			written.add(file);
		}
		return written;
	}

	private static Path xy(PeersReport report, Map<String, TreeMap<Integer, Double>> series, String title,
			String xTitle, String yTitle, Path file) throws IOException {
		XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
			.build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
		series.forEach((id, points) -> {
			List<Integer> xs = new ArrayList<>(points.keySet());
			List<Double> ys = new ArrayList<>(points.values());
			if (series == report.memoryByN) {
				xs.add(0, 0);
				ys.add(0, 0.0);
			}
			chart.addSeries(report.columns.get(id), xs, ys);
		});
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
		return file;
	}
}
