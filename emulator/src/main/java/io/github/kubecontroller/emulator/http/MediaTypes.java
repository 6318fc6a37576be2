package io.github.kubecontroller.emulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsing of {@code Accept} headers: an ordered list of media types with parameters; the first one the server can
 * serve wins (rule D1).
 */
final class MediaTypes {

	private MediaTypes() {
	}

	/**
	 * One entry of an Accept header.
	 * @param type e.g. {@code application/json}
	 * @param parameters e.g. {@code as=Table}
	 */
	record MediaType(String type, Map<String, String> parameters) {

		boolean isJsonLike() {
			return this.type.equals("application/json") || this.type.equals("*/*") || this.type.equals("application/*");
		}

		/** Plain JSON: no {@code as=} conversion asked for. */
		boolean isPlainJson() {
			return isJsonLike() && !this.parameters.containsKey("as");
		}

		String param(String name) {
			return this.parameters.getOrDefault(name, "");
		}
	}

	static List<MediaType> parseAccept(String header) {
		List<MediaType> types = new ArrayList<>();
		if (header == null || header.isBlank()) {
			types.add(new MediaType("*/*", Map.of()));
			return types;
		}
		for (String entry : header.split(",")) {
			String[] parts = entry.split(";");
			String type = parts[0].trim().toLowerCase(Locale.ROOT);
			if (type.isEmpty()) {
				continue;
			}
			Map<String, String> parameters = new LinkedHashMap<>();
			for (int i = 1; i < parts.length; i++) {
				String parameter = parts[i].trim();
				int eq = parameter.indexOf('=');
				if (eq > 0) {
					parameters.put(parameter.substring(0, eq).trim(), parameter.substring(eq + 1).trim());
				}
			}
			types.add(new MediaType(type, parameters));
		}
		return types;
	}
}
