package io.github.kubecontroller.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * A test of an application's controllers on an API server emulator of its own: {@link SpringBootTest} and
 * {@link EmulatedKubernetes} in one annotation. Inject {@link EmulatedCluster} to apply objects and await what the
 * controllers do.
 *
 * <pre class="code">
 * &#64;KubeControllerTest
 * class WebsiteReconcilerTest {
 *
 * 	&#64;Autowired
 * 	EmulatedCluster cluster;
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@EmulatedKubernetes
public @interface KubeControllerTest {

	/** Properties of the test's application, as {@link SpringBootTest#properties()}. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

	/** The application's configuration classes, as {@link SpringBootTest#classes()}; found by default. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "classes")
	Class<?>[] classes() default {};

	/** The web environment, as {@link SpringBootTest#webEnvironment()}. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "webEnvironment")
	SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.MOCK;

	/** The CustomResourceDefinitions to install, as {@link EmulatedKubernetes#crds()}. */
	@AliasFor(annotation = EmulatedKubernetes.class, attribute = "crds")
	String[] crds() default { "classpath*:crds/*.yaml", "classpath*:crds/*.yml" };

}
