package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.runtime.informer.CacheMode;
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

	/**
	 * Kinds this controller creates and controls: their changes requeue the controlling owner. They are cached as
	 * {@link #ownedCache()} says: metadata only unless told otherwise.
	 */
	Class<? extends io.kubernetes.client.common.KubernetesObject>[] owns() default {};

	/**
	 * How the primary objects are cached: {@code OBJECTS} (decoded, the default) or {@code COMPACT} (kept as JSON
	 * and decoded on each read: several times less heap for some CPU).
	 */
	CacheMode cache() default CacheMode.OBJECTS;

	/**
	 * How the owned kinds are cached: {@code METADATA_ONLY} (the default: enough for their events and for
	 * {@code context.ownedMetadata}), or {@code OBJECTS}/{@code COMPACT} to read whole objects with
	 * {@code context.ownedObjects} and listers.
	 */
	CacheMode ownedCache() default CacheMode.METADATA_ONLY;

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
