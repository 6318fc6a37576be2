package io.github.kubecontroller.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean implementing {@link io.github.kubecontroller.runtime.controller.ResourceReconciler} as a controller:
 * the application then watches its primary kind and reconciles every object of it. Each setting here can be
 * overridden per reconciler with {@code kube.controller.reconcilers.<name>.*} properties; anything the annotation
 * cannot say (watched kinds with a mapping function, an event filter) goes in the reconciler's
 * {@code configure} method.
 *
 * <pre>{@code
 * @Reconciler(owns = V1ConfigMap.class, finalizer = "demo.kubecontroller.io/cleanup")
 * class WebsiteReconciler implements ResourceReconciler<Website> { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
public @interface Reconciler {

	/** The bean name; see {@link Component#value()}. */
	@AliasFor(annotation = Component.class)
	String value() default "";

	/**
	 * The controller's name, used in logs, metrics, the actuator endpoint, property keys and as field manager.
	 * Defaults to the bean class's simple name in kebab case without a {@code Reconciler} suffix
	 * ({@code WebsiteReconciler} becomes {@code website}).
	 */
	String name() default "";

	/** The primary kind's API version; only needed for dynamic objects or to override the class. */
	String apiVersion() default "";

	/** The primary kind; only needed for dynamic objects or to override the class. */
	String kind() default "";

	/** Namespaces to watch; all when empty. */
	String[] namespaces() default {};

	/** Label selector limiting the primary objects. */
	String labelSelector() default "";

	/** Field selector limiting the primary objects. */
	String fieldSelector() default "";

	/** Kinds this controller creates and controls: their changes requeue the controlling owner. */
	Class<? extends io.kubernetes.client.common.KubernetesObject>[] owns() default {};

	/** Objects reconciled at once; 0 for the default (4). */
	int concurrency() default 0;

	/** Finalizer guarding {@code cleanup}, such as {@code demo.kubecontroller.io/cleanup}; none when empty. */
	String finalizer() default "";

	/** Periodic safety requeue, such as {@code 10h}; {@code 0} disables it; the default when empty. */
	String resyncPeriod() default "";

	/** First retry delay of a failing object, such as {@code 5ms}; the default when empty. */
	String backoffBase() default "";

	/** Longest retry delay of a failing object, such as {@code 5m}; the default when empty. */
	String backoffCap() default "";

	/** Longest one reconcile may run, such as {@code 5m}; {@code 0} for no limit; the default when empty. */
	String reconcileTimeout() default "";
}
