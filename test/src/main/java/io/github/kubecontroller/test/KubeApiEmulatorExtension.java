package io.github.kubecontroller.test;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.kubernetes.client.openapi.ApiClient;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension giving a test class, without Spring, an API server emulator started before its first test and
 * stopped after its last. Test methods, lifecycle methods and constructors may declare an {@link EmulatedCluster},
 * {@link KubeApiEmulator} or {@link ApiClient} parameter.
 *
 * <pre class="code">
 * &#64;ExtendWith(KubeApiEmulatorExtension.class)
 * class ConfigMapTest {
 *
 * 	&#64;Test
 * 	void applies(EmulatedCluster cluster) { ... }
 * }
 * </pre>
 *
 * Registered on a static field instead, it can configure the emulator and be read directly:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static KubeApiEmulatorExtension kube = new KubeApiEmulatorExtension(emulator -&gt; emulator.historyWindow(Duration.ofSeconds(5)));
 * </pre>
 *
 * The tests of a class (and its nested classes) share the emulator and its objects: give each test its own namespace
 * or names.
 */
public final class KubeApiEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
		ParameterResolver {

	private final Consumer<KubeApiEmulator.Builder> settings;

	private @Nullable EmulatedCluster cluster;

	/** The unique id of the test container that started the emulator, which alone stops it. */
	private @Nullable String startedBy;

	/** An extension starting an emulator with the default settings. */
	public KubeApiEmulatorExtension() {
		this((builder) -> {
		});
	}

	/** An extension starting an emulator with the builder settings {@code settings} makes. */
	public KubeApiEmulatorExtension(Consumer<KubeApiEmulator.Builder> settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startIfNeeded(context);
	}

	/** Registered on an instance field, the extension hears of no class callbacks: it starts here, for this test. */
	@Override
	public void beforeEach(ExtensionContext context) {
		startIfNeeded(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (context.getUniqueId().equals(this.startedBy)) {
			stop();
		}
	}

	private void startIfNeeded(ExtensionContext context) {
		if (this.cluster != null) {
			return;
		}
		KubeApiEmulator.Builder builder = KubeApiEmulator.builder();
		this.settings.accept(builder);
		KubeApiEmulator emulator = builder.build().start();
		this.cluster = EmulatedCluster.of(emulator);
		if (context.getTestMethod().isPresent()) {
			// Only one test will see it: stop it when that test's context closes.
			context.getStore(ExtensionContext.Namespace.create(KubeApiEmulatorExtension.class, this))
				.put("emulator", (AutoCloseable) this::stop);
		}
		else {
			this.startedBy = context.getUniqueId();
		}
	}

	private void stop() {
		EmulatedCluster started = this.cluster;
		this.cluster = null;
		this.startedBy = null;
		if (started != null) {
			started.emulator().stop();
		}
	}

	/** The cluster handle: awaits, apply, faults, audit. */
	public EmulatedCluster cluster() {
		EmulatedCluster started = this.cluster;
		if (started == null) {
			throw new IllegalStateException("the emulator runs only while the tests of the class run");
		}
		return started;
	}

	/** The running emulator. */
	public KubeApiEmulator emulator() {
		return cluster().emulator();
	}

	/** A client pointed at the emulator. */
	public ApiClient client() {
		return cluster().client();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == EmulatedCluster.class || type == KubeApiEmulator.class || type == ApiClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		startIfNeeded(context);
		Class<?> type = parameter.getParameter().getType();
		if (type == EmulatedCluster.class) {
			return cluster();
		}
		if (type == KubeApiEmulator.class) {
			return emulator();
		}
		if (type == ApiClient.class) {
			return client();
		}
		throw new ParameterResolutionException("cannot resolve " + parameter.getParameter());
	}

}
