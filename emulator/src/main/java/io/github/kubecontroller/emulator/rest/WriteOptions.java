package io.github.kubecontroller.emulator.rest;

import java.util.List;
import java.util.Map;

/**
 * The query options of a write: {@code fieldManager}, {@code force}, {@code dryRun}, {@code fieldValidation}.
 *
 * @param fieldManager the field manager, or {@code null}
 * @param force the {@code force} flag of an apply, or {@code null} when absent
 * @param dryRun whether nothing should be persisted
 * @param fieldValidation {@code Strict}, {@code Warn}, {@code Ignore} or {@code ""}
 * @param userAgent the request's User-Agent, or {@code null}
 */
public record WriteOptions(String fieldManager, Boolean force, boolean dryRun, String fieldValidation,
		String userAgent) {

	/** Options of a write made by the emulator itself. */
	static WriteOptions internal() {
		return new WriteOptions(null, null, false, "", "kube-api-emulator");
	}

	/**
	 * The manager recorded in managedFields: {@code fieldManager}, else the User-Agent up to its first '/' (rule
	 * H7).
	 */
	public String manager() {
		if (this.fieldManager != null && !this.fieldManager.isEmpty()) {
			return this.fieldManager;
		}
		String agent = (this.userAgent != null) ? this.userAgent : "";
		int slash = agent.indexOf('/');
		String prefix = (slash >= 0) ? agent.substring(0, slash) : agent;
		return (prefix.length() > 128) ? prefix.substring(0, 128) : prefix;
	}

	/**
	 * Parses the options of a write.
	 * @param optionsKind {@code CreateOptions}, {@code UpdateOptions} or {@code PatchOptions}, for error messages
	 * @param userAgent the request's User-Agent
	 */
	public static WriteOptions parse(Map<String, List<String>> query, String optionsKind, String userAgent) {
		String force = ListOptions.first(query, "force");
		String dryRun = ListOptions.first(query, "dryRun");
		if (dryRun != null && !dryRun.equals("All")) {
			throw StatusException.invalid(optionsKind + ".meta.k8s.io", "meta.k8s.io", optionsKind, "",
					List.of(StatusException.Cause.notSupported("dryRun",
							"[]string{" + StatusException.quote(dryRun) + "}", List.of("All"))));
		}
		return new WriteOptions(ListOptions.first(query, "fieldManager"), (force == null) ? null : "true".equals(force),
				dryRun != null, ListOptions.first(query, "fieldValidation", ""), userAgent);
	}
}
