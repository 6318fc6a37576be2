package io.github.kubecontroller.runtime.client;

import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads kubeconfig files and picks the context to use, checking what client-java would silently accept: a
 * context that does not exist, a cluster without a server, a cluster or user defined nowhere.
 *
 * <p>Of several files (a {@code KUBECONFIG} list), the current context is the first one a file sets, and it is
 * read from the first file that defines it; that file must also define the context's cluster and user. Unlike
 * kubectl, entries are not merged across files: a context whose cluster lives in another file is reported with
 * the command that merges them, rather than half-resolved.
 */
final class KubeconfigReader {

	private static final Logger logger = LoggerFactory.getLogger(KubeconfigReader.class);

	private KubeconfigReader() {
	}

	/**
	 * The kubeconfig to build a client from.
	 *
	 * @param config client-java's kubeconfig, switched to {@code context}, with its file set so that relative
	 * paths (certificates, exec commands) resolve against it
	 * @param file the file it was read from
	 * @param context the context in use
	 * @param server the cluster's server URL
	 */
	record Selection(KubeConfig config, Path file, String context, String server) {
	}

	/**
	 * Reads {@code files} in order and selects a context.
	 *
	 * @param files the candidate files; missing ones are skipped when {@code skipMissing}, otherwise fatal
	 * @param origin where the files were named, for messages, such as "the KUBECONFIG environment variable"
	 * @param context the context to use, or null for the current context
	 * @throws ClientConfigurationException when no usable context is found
	 */
	static Selection read(List<Path> files, String origin, @Nullable String context, boolean skipMissing) {
		List<Loaded> loaded = new ArrayList<>();
		for (Path file : files) {
			if (!Files.isRegularFile(file)) {
				if (!skipMissing) {
					throw new ClientConfigurationException("The kubeconfig file " + file + " named by " + origin
							+ " does not exist or is not a file. Fix the path, or remove " + origin + ".");
				}
				logger.debug("Kubeconfig file {} named by {} does not exist; skipping it", file, origin);
				continue;
			}
			loaded.add(load(file, origin));
		}
		if (loaded.isEmpty()) {
			throw new ClientConfigurationException("None of the kubeconfig files named by " + origin + " exists: "
					+ files + ". Fix or unset it.");
		}
		String wanted = (context != null) ? context : currentContext(loaded, origin);
		Loaded chosen = loaded.stream()
			.filter((candidate) -> candidate.entry("contexts", wanted) != null)
			.findFirst()
			.orElseThrow(() -> new ClientConfigurationException("The kubeconfig context \"" + wanted
					+ "\" is not defined in " + describe(loaded) + " (contexts there: " + allNames(loaded, "contexts")
					+ "). " + ((context != null) ? "Fix " + PropertyNames.CONTEXT : "Fix the file's current-context")
					+ " or run `kubectl config use-context <name>`."));
		Map<?, ?> contextEntry = Objects.requireNonNull(chosen.entry("contexts", wanted));
		Map<?, ?> contextBody = body(contextEntry, "context");
		String clusterName = text(contextBody, "cluster");
		if (clusterName == null) {
			throw new ClientConfigurationException("The kubeconfig context \"" + wanted + "\" in " + chosen.file
					+ " names no cluster. Add one to the context, or choose another context with "
					+ PropertyNames.CONTEXT + ".");
		}
		Map<?, ?> cluster = body(required(chosen, loaded, "clusters", clusterName, wanted), "cluster");
		String server = text(cluster, "server");
		if (server == null) {
			throw new ClientConfigurationException("The cluster \"" + clusterName + "\" of kubeconfig context \""
					+ wanted + "\" in " + chosen.file + " has no server URL. Add `server: https://<host>:<port>` to it,"
					+ " or set " + PropertyNames.MASTER_URL + ".");
		}
		String userName = text(contextBody, "user");
		if (userName != null) {
			required(chosen, loaded, "users", userName, wanted);
		}
		if (loaded.size() > 1) {
			logger.info("Kubeconfig context \"{}\" is read from {} alone; the other files named by {} ({}) are not"
					+ " merged into it", wanted, chosen.file, origin, loaded.stream()
						.filter((other) -> other != chosen)
						.map((other) -> other.file.toString())
						.collect(Collectors.joining(", ")));
		}
		chosen.config.setContext(wanted);
		chosen.config.setFile(chosen.file.toFile());
		return new Selection(chosen.config, chosen.file, wanted, server);
	}

	private static Loaded load(Path file, String origin) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return new Loaded(file, KubeConfig.loadKubeConfig(reader));
		}
		catch (IOException ex) {
			throw new ClientConfigurationException("Cannot read the kubeconfig file " + file + " named by " + origin
					+ ": " + ex, ex);
		}
		catch (RuntimeException ex) {
			// client-java fails on malformed YAML, an empty file or a YAML list with whatever it meets first.
			throw new ClientConfigurationException("The file " + file + " named by " + origin
					+ " is not a valid kubeconfig (a YAML mapping with clusters, contexts, users and current-context): "
					+ ex.getMessage(), ex);
		}
	}

	private static String currentContext(List<Loaded> loaded, String origin) {
		for (Loaded candidate : loaded) {
			String current = candidate.config.getCurrentContext();
			if (current != null && !current.isBlank()) {
				return current;
			}
		}
		throw new ClientConfigurationException(describe(loaded) + " named by " + origin
				+ " sets no current-context. Set " + PropertyNames.CONTEXT + " to one of "
				+ allNames(loaded, "contexts") + ", or run `kubectl config use-context <name>`.");
	}

	/** The entry {@code name} of {@code section}, which must be in the chosen file. */
	private static Map<?, ?> required(Loaded chosen, List<Loaded> loaded, String section, String name,
			String context) {
		Map<?, ?> entry = chosen.entry(section, name);
		if (entry != null) {
			return entry;
		}
		String singular = section.substring(0, section.length() - 1);
		for (Loaded other : loaded) {
			if (other.entry(section, name) != null) {
				throw new ClientConfigurationException("The kubeconfig context \"" + context + "\" in " + chosen.file
						+ " uses the " + singular + " \"" + name + "\" defined in " + other.file
						+ "; entries spread over several kubeconfig files are not merged. Merge them with "
						+ "`kubectl config view --flatten > merged-kubeconfig` and set " + PropertyNames.KUBECONFIG
						+ " to the merged file.");
			}
		}
		throw new ClientConfigurationException("The kubeconfig context \"" + context + "\" in " + chosen.file
				+ " uses the " + singular + " \"" + name + "\", which is not defined there (" + section + ": "
				+ names(chosen.config, section) + "). Fix the context or add the " + singular + ".");
	}

	private static Map<?, ?> body(Map<?, ?> entry, String key) {
		return (entry.get(key) instanceof Map<?, ?> map) ? map : Map.of();
	}

	private static @Nullable String text(Map<?, ?> map, String key) {
		Object value = map.get(key);
		return (value instanceof String string && !string.isBlank()) ? string : null;
	}

	private static String describe(List<Loaded> loaded) {
		if (loaded.size() == 1) {
			return "the kubeconfig file " + loaded.get(0).file;
		}
		return "the kubeconfig files "
				+ loaded.stream().map((one) -> one.file.toString()).collect(Collectors.joining(", "));
	}

	private static List<String> allNames(List<Loaded> loaded, String section) {
		return loaded.stream().flatMap((one) -> names(one.config, section).stream()).distinct().toList();
	}

	private static List<String> names(KubeConfig config, String section) {
		return entries(config, section).stream()
			.map((entry) -> text(entry, "name"))
			.filter(Objects::nonNull)
			.toList();
	}

	private static List<Map<?, ?>> entries(KubeConfig config, String section) {
		List<Object> raw = switch (section) {
			case "contexts" -> config.getContexts();
			case "clusters" -> config.getClusters();
			case "users" -> config.getUsers();
			default -> throw new IllegalArgumentException(section);
		};
		if (raw == null) {
			return List.of();
		}
		List<Map<?, ?>> entries = new ArrayList<>();
		for (Object item : raw) {
			if (item instanceof Map<?, ?> map) {
				entries.add(map);
			}
		}
		return entries;
	}

	private record Loaded(Path file, KubeConfig config) {

		@Nullable Map<?, ?> entry(String section, String name) {
			for (Map<?, ?> entry : entries(config, section)) {
				if (name.equals(entry.get("name"))) {
					return entry;
				}
			}
			return null;
		}
	}
}
