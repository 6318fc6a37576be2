package com.example.operator.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.operator.readme.Readme.Snippet;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code block of the README is checked: a block taken from a file must be that file (or the marked region of
 * it), which this module compiles and runs; properties must be known to the starter; the test command must be what
 * CI runs. Shell blocks' kubectl lines are run by {@link ReadmeKubectlTest}.
 */
class ReadmeSnippetsTest {

	private static final Set<String> KINDS = Set.of("shell", "properties", "ci");

	private final Readme readme = Readme.load();

	@Test
	void everyBlockSaysWhereItComesFrom() {
		List<String> unmarked = readme.snippets().stream()
				.filter(snippet -> snippet.source() == null || !(snippet.fromFile() || KINDS.contains(snippet.source())))
				.map(snippet -> "README.md line " + snippet.line() + " (" + snippet.source() + ")")
				.toList();
		assertThat(unmarked).as("code blocks without a <!-- snippet: file[#region] | shell | properties | ci --> marker")
				.isEmpty();
	}

	@TestFactory
	Stream<DynamicTest> blocksTakenFromFilesAreThoseFiles() {
		return readme.snippets().stream().filter(Snippet::fromFile).map(snippet -> DynamicTest.dynamicTest(
				snippet.source() + " (README.md line " + snippet.line() + ")",
				() -> assertThat(String.join("\n", snippet.text())).isEqualTo(String.join("\n", expected(snippet)))));
	}

	@Test
	void propertiesAreKnownToTheStarter() throws IOException {
		Set<String> known = knownProperties();
		List<String> unknown = new ArrayList<>();
		for (Snippet snippet : readme.snippets("properties")) {
			for (String line : snippet.text()) {
				if (!line.isBlank() && !line.startsWith("#")) {
					String key = line.substring(0, line.indexOf('=')).trim();
					if (!known.contains(key)) {
						unknown.add(key + " (README.md line " + snippet.line() + ")");
					}
				}
			}
		}
		assertThat(readme.snippets("properties")).isNotEmpty();
		assertThat(unknown).as("properties no configuration metadata knows").isEmpty();
	}

	@Test
	void theTestCommandIsWhatCiRuns() throws IOException {
		List<String> ciRun = Files.readAllLines(readme.root().resolve(".ci/run"));
		List<Snippet> testCommand = readme.snippets("ci");
		assertThat(testCommand).hasSize(1);
		assertThat(ciRun).contains(String.join("\n", testCommand.get(0).text()));
	}

	/** The file, or its region between {@code tag::name[]} and {@code end::name[]}, as the README shows it. */
	private List<String> expected(Snippet snippet) throws IOException {
		String[] source = snippet.source().split("#", 2);
		List<String> lines = Files.readAllLines(readme.root().resolve(source[0]));
		if (source.length == 2) {
			lines = region(lines, source[1]);
		} else if (source[0].endsWith(".java")) {
			lines = withoutPackageAndImports(lines);
		}
		return dedented(lines);
	}

	private static List<String> region(List<String> lines, String name) {
		int start = indexOf(lines, "tag::" + name + "[]");
		int end = indexOf(lines, "end::" + name + "[]");
		assertThat(start).as("region " + name).isNotNegative().isLessThan(end);
		return lines.subList(start + 1, end);
	}

	private static int indexOf(List<String> lines, String text) {
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i;
			}
		}
		return -1;
	}

	private static List<String> withoutPackageAndImports(List<String> lines) {
		int first = 0;
		while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).startsWith("package ")
				|| lines.get(first).startsWith("import "))) {
			first++;
		}
		return lines.subList(first, lines.size());
	}

	private static List<String> dedented(List<String> lines) {
		int indent = lines.stream().filter(line -> !line.isBlank())
				.mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
		List<String> result = new ArrayList<>();
		for (String line : lines) {
			result.add(line.isBlank() ? "" : line.substring(indent));
		}
		while (!result.isEmpty() && result.get(result.size() - 1).isEmpty()) {
			result.remove(result.size() - 1);
		}
		return result;
	}

	private static Set<String> knownProperties() throws IOException {
		Set<String> names = new HashSet<>();
		Enumeration<URL> files = ReadmeSnippetsTest.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
		for (URL file : Collections.list(files)) {
			try (Reader in = new InputStreamReader(file.openStream(), StandardCharsets.UTF_8)) {
				for (JsonElement property : JsonParser.parseReader(in).getAsJsonObject().getAsJsonArray("properties")) {
					names.add(property.getAsJsonObject().get("name").getAsString());
				}
			}
		}
		return names;
	}
}
