package com.example.operator.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's README, read as a list of fenced code blocks, each with the {@code <!-- snippet: ... -->} marker
 * on the line before it that says where the block comes from or how it is checked.
 */
record Readme(Path root, List<Snippet> snippets) {

	private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*(\\S+)\\s*-->");

	/**
	 * One fenced block.
	 *
	 * @param line the README line of its opening fence
	 * @param source the marker's value (a file, a file#region, or a kind such as {@code shell}), or null without one
	 * @param text the block's lines
	 */
	record Snippet(int line, String source, List<String> text) {

		boolean fromFile() {
			return source != null && (source.contains("/") || source.contains("#"));
		}
	}

	/** The README of the repository that holds this module. */
	static Readme load() {
		Path root = Path.of("").toAbsolutePath();
		while (!Files.exists(root.resolve("README.md")) || !Files.isDirectory(root.resolve(".ci"))) {
			root = root.getParent();
			if (root == null) {
				throw new IllegalStateException("No README.md next to a .ci directory above " + Path.of("").toAbsolutePath());
			}
		}
		try {
			return new Readme(root, parse(Files.readAllLines(root.resolve("README.md"))));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	List<Snippet> snippets(String source) {
		return snippets.stream().filter(snippet -> source.equals(snippet.source())).toList();
	}

	private static List<Snippet> parse(List<String> lines) {
		List<Snippet> snippets = new ArrayList<>();
		String marker = null;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.startsWith("```")) {
				int opening = i;
				List<String> text = new ArrayList<>();
				for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
					text.add(lines.get(i));
				}
				snippets.add(new Snippet(opening + 1, marker, text));
				marker = null;
			} else if (!line.isBlank()) {
				Matcher matcher = MARKER.matcher(line);
				marker = matcher.matches() ? matcher.group(1) : null;
			}
		}
		return snippets;
	}
}
