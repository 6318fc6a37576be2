package io.github.kubecontroller.runtime.resource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the API kind of a custom resource class, so that reconcilers, {@code owns} and {@code watches} can use
 * the class alone. Not needed on client-java's models, whose kind is known.
 *
 * <pre>{@code
 * @KubernetesResource(apiVersion = "demo.kubecontroller.io/v1", kind = "Website")
 * public class Website implements KubernetesObject { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KubernetesResource {

	/** {@code group/version}, or {@code v1} for the core group. */
	String apiVersion();

	/** The kind, such as {@code Website}. */
	String kind();

	/** The plural resource name; looked up through API discovery when empty. */
	String plural() default "";
}
