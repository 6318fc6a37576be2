package io.github.kubecontroller.autoconfigure.rbac;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Writes the RBAC manifest of an application at build time: boots the application on the embedded API server
 * emulator (which installs its CustomResourceDefinitions from {@code classpath*:crds/*.yaml}, so discovery needs no
 * cluster), without a web server and without starting the controllers, writes the YAML its controllers need, and
 * closes it.
 *
 * <pre>
 * java -cp ... io.github.kubecontroller.autoconfigure.rbac.RbacManifestExport com.example.OperatorApplication target/rbac.yaml [--spring.property=value ...]
 * </pre>
 *
 * The emulator ({@code kube-api-emulator}) must be on the class path, for instance as a test dependency through
 * {@code kube-controller-spring-boot-test}, with exec-maven-plugin's {@code java} goal and {@code classpathScope}
 * {@code test}. Further arguments are passed to the application like command-line arguments.
 */
public final class RbacManifestExport {

	private static final String EMULATOR = "io.github.kubecontroller.emulator.KubeApiEmulator";

	private RbacManifestExport() {
	}

	/**
	 * @param args the application's {@code @SpringBootApplication} class name, the file to write, then any
	 * {@code --name=value} properties for the application
	 * @throws IllegalArgumentException on missing arguments or an unknown class
	 * @throws IllegalStateException when the application does not start or the manifest cannot be written, with the
	 * reason
	 */
	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			throw new IllegalArgumentException("Usage: RbacManifestExport <application class> <output file>"
					+ " [--property=value ...]");
		}
		Class<?> application;
		try {
			application = Class.forName(args[0], false, Thread.currentThread().getContextClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalArgumentException("RBAC export: the application class " + args[0]
					+ " is not on the class path", ex);
		}
		Path output = Path.of(args[1]).toAbsolutePath();
		String yaml = export(application, Arrays.copyOfRange(args, 2, args.length));
		Path parent = output.getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(output, yaml, StandardCharsets.UTF_8);
		System.out.println("RBAC manifest of " + application.getSimpleName() + " written to " + output);
	}

	/**
	 * Boots {@code application} as described above and returns its RBAC manifest.
	 *
	 * @param arguments command-line arguments for the application
	 */
	public static String export(Class<?> application, String... arguments) throws IOException {
		if (!ClassUtils.isPresent(EMULATOR, application.getClassLoader())) {
			// Without it the application would use whatever cluster is configured, and list objects there.
			throw new IllegalStateException("RBAC export: " + EMULATOR + " is not on the class path: add"
					+ " io.github.kubecontroller:kube-api-emulator (or kube-controller-spring-boot-test) and run with"
					+ " the test class path");
		}
		Path kubeconfig = Files.createTempFile("kube-controller-rbac-export", ".kubeconfig");
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		// Above every other property source, application.properties included: whatever the application says, it
		// runs here on the emulator and its controllers stay still.
		Map<String, Object> forced = Map.of("kube.controller.embedded.enabled", "true",
				"kube.controller.auto-startup", "false", "kube.controller.embedded.kubeconfig", kubeconfig.toString());
		spring.addInitializers((context) -> context.getEnvironment().getPropertySources()
			.addFirst(new MapPropertySource("rbacManifestExport", forced)));
		try (ConfigurableApplicationContext context = run(spring, application, arguments)) {
			KubeControllersRbac rbac = context.getBeanProvider(KubeControllersRbac.class).getIfAvailable();
			if (rbac == null) {
				throw new IllegalStateException("RBAC export: " + application.getName() + " has no controllers (is"
						+ " kube.controller.enabled false?)");
			}
			return rbac.yaml();
		}
		finally {
			Files.deleteIfExists(kubeconfig);
		}
	}

	private static ConfigurableApplicationContext run(SpringApplication spring, Class<?> application,
			String[] arguments) {
		try {
			return spring.run(arguments);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("RBAC export: " + application.getName() + " did not start on the embedded"
					+ " API server emulator: " + rootMessage(ex), ex);
		}
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}
}
