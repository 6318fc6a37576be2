package io.github.kubecontroller.runtime.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link ApiClientFactory} looks besides its settings: environment variables ({@code KUBECONFIG},
 * {@code KUBERNETES_SERVICE_HOST}, {@code KUBERNETES_SERVICE_PORT}), the home directory (for
 * {@code ~/.kube/config}) and the directory where a pod's service account is mounted. {@link #system()} is the
 * real one; tests pass their own so that the machine they run on does not matter.
 *
 * @param variables looks up an environment variable, returning null when it is not set
 * @param homeDirectory the user's home directory, or null when there is none
 * @param serviceAccountDirectory the directory holding the service account's {@code token} and {@code ca.crt}
 */
public record ClientEnvironment(Function<String, @Nullable String> variables, @Nullable Path homeDirectory,
		Path serviceAccountDirectory) {

	/** Where Kubernetes mounts a pod's service account. */
	public static final Path SERVICE_ACCOUNT_DIRECTORY = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

	public ClientEnvironment {
		Objects.requireNonNull(variables, "variables");
		Objects.requireNonNull(serviceAccountDirectory, "serviceAccountDirectory");
	}

	/** The process environment, {@code $HOME} (or the {@code user.home} property) and the standard mount point. */
	public static ClientEnvironment system() {
		String home = System.getenv("HOME");
		if (home == null || home.isBlank()) {
			home = System.getProperty("user.home");
		}
		return new ClientEnvironment(System::getenv, (home == null || home.isBlank()) ? null : Path.of(home),
				SERVICE_ACCOUNT_DIRECTORY);
	}

	/** The value of an environment variable, or null when it is unset or blank. */
	@Nullable String variable(String name) {
		String value = variables.apply(name);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/** {@code ~/.kube/config}, or null without a home directory. */
	@Nullable Path homeKubeconfig() {
		return (homeDirectory == null) ? null : homeDirectory.resolve(".kube").resolve("config");
	}
}
