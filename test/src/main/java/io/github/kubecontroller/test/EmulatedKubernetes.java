package io.github.kubecontroller.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest}'s application on an API server emulator of its own, with the
 * CustomResourceDefinitions found by {@link #crds()} installed, and adds an {@link EmulatedCluster} bean to inject.
 *
 * <p>One emulator per application context: contexts cached by Spring's test framework keep theirs, and it stops when
 * the context closes. Every {@code ApiClient} bean must point at it; the context fails to start otherwise, so a test
 * never reaches a real cluster, whatever the application's configuration or the environment says.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;EmulatedKubernetes
 * class WebsiteReconcilerTest {
 *
 * 	&#64;Autowired
 * 	EmulatedCluster cluster;
 * }
 * </pre>
 *
 * It uses the embedded-emulator auto-configuration, so the test's context must include auto-configuration
 * ({@code @SpringBootApplication} or {@code @EnableAutoConfiguration}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmulatedKubernetes {

	/**
	 * Resource patterns of YAML files holding the CustomResourceDefinitions to install before the application starts.
	 */
	String[] crds() default { "classpath*:crds/*.yaml", "classpath*:crds/*.yml" };

}
