package io.github.kubecontroller.autoconfigure;

import io.github.kubecontroller.autoconfigure.KubeControllerProperties.ReconcilerSettings;
import io.github.kubecontroller.runtime.controller.ControllerSpec;
import io.github.kubecontroller.runtime.controller.ResourceReconciler;
import io.github.kubecontroller.runtime.controller.TypeRef;
import io.github.kubecontroller.runtime.queue.RateLimiters;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;

/**
 * Builds a {@link ControllerSpec} from a {@link Reconciler} bean: the annotation first, then the bean's
 * {@code configure}, then {@code kube.controller.reconcilers.<name>.*}, which win.
 */
final class ReconcilerSpecs {

	private ReconcilerSpecs() {
	}

	/** The controller name of a reconciler bean: the annotation's, or derived from the class name. */
	static String nameOf(Object bean, Reconciler annotation) {
		if (!annotation.name().isBlank()) {
			return annotation.name();
		}
		String simpleName = AopUtils.getTargetClass(bean).getSimpleName();
		if (simpleName.endsWith("Reconciler") && simpleName.length() > "Reconciler".length()) {
			simpleName = simpleName.substring(0, simpleName.length() - "Reconciler".length());
		}
		return simpleName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	@SuppressWarnings("unchecked")
	static <T extends KubernetesObject> ControllerSpec<T> specOf(String beanName, ResourceReconciler<T> bean,
			Reconciler annotation, @Nullable ReconcilerSettings settings) {
		String name = nameOf(bean, annotation);
		String where = "@Reconciler bean '" + beanName + "'";
		Class<T> primaryClass = (Class<T>) primaryClass(beanName, bean);
		TypeRef<T> primary = new TypeRef<>(primaryClass, annotation.apiVersion(), annotation.kind());
		try {
			return build(name, primary, bean, annotation, settings);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(where + ": " + e.getMessage()
					+ " (set on the annotation or under kube.controller.reconcilers." + name + ")", e);
		}
	}

	private static <T extends KubernetesObject> ControllerSpec<T> build(String name, TypeRef<T> primary,
			ResourceReconciler<T> bean, Reconciler annotation, @Nullable ReconcilerSettings settings) {
		ControllerSpec.Builder<T> builder = ControllerSpec.builder(name, primary);

		builder.namespaces(Arrays.asList(annotation.namespaces()));
		builder.labelSelector(annotation.labelSelector());
		builder.fieldSelector(annotation.fieldSelector());
		for (Class<? extends KubernetesObject> owned : annotation.owns()) {
			builder.owns(owned, annotation.ownedCache());
		}
		builder.primaryCache(annotation.cache());
		if (annotation.concurrency() > 0) {
			builder.concurrency(annotation.concurrency());
		}
		builder.finalizer(annotation.finalizer());
		durationAttribute("resyncPeriod", annotation.resyncPeriod(), builder::resyncPeriod);
		Duration[] backoff = { RateLimiters.DEFAULT_BASE, RateLimiters.DEFAULT_CAP };
		durationAttribute("backoffBase", annotation.backoffBase(), value -> backoff[0] = value);
		durationAttribute("backoffCap", annotation.backoffCap(), value -> backoff[1] = value);
		builder.backoff(backoff[0], backoff[1]);
		durationAttribute("reconcileTimeout", annotation.reconcileTimeout(), builder::reconcileTimeout);

		bean.configure(builder);

		if (settings != null) {
			String prefix = "kube.controller.reconcilers." + name + ".";
			if (settings.getNamespaces() != null) {
				builder.namespaces(settings.getNamespaces());
			}
			if (settings.getLabelSelector() != null) {
				builder.labelSelector(settings.getLabelSelector());
			}
			if (settings.getFieldSelector() != null) {
				builder.fieldSelector(settings.getFieldSelector());
			}
			if (settings.getConcurrency() != null) {
				if (settings.getConcurrency() < 1) {
					throw new IllegalArgumentException(prefix + "concurrency must be at least 1, was "
							+ settings.getConcurrency());
				}
				builder.concurrency(settings.getConcurrency());
			}
			if (settings.getFinalizer() != null) {
				builder.finalizer(settings.getFinalizer());
			}
			if (settings.getResyncPeriod() != null) {
				builder.resyncPeriod(settings.getResyncPeriod());
			}
			if (settings.getBackoffBase() != null || settings.getBackoffCap() != null) {
				ControllerSpec<T> current = builder.build();
				builder.backoff(settings.getBackoffBase() != null ? settings.getBackoffBase() : current.backoffBase(),
						settings.getBackoffCap() != null ? settings.getBackoffCap() : current.backoffCap());
			}
			if (settings.getReconcileTimeout() != null) {
				builder.reconcileTimeout(settings.getReconcileTimeout());
			}
			if (settings.getSyncTimeout() != null) {
				builder.syncTimeout(settings.getSyncTimeout());
			}
			if (settings.getCache() != null) {
				builder.primaryCache(settings.getCache());
			}
		}
		return builder.build();
	}

	private static Class<?> primaryClass(String beanName, Object bean) {
		Class<?> beanClass = AopUtils.getTargetClass(bean);
		Class<?> primary = ResolvableType.forClass(beanClass).as(ResourceReconciler.class).resolveGeneric(0);
		if (primary == null) {
			throw new IllegalStateException("@Reconciler bean '" + beanName + "' (" + beanClass.getName()
					+ ") must implement ResourceReconciler<YourResource> with a concrete type argument");
		}
		return primary;
	}

	private static void durationAttribute(String attribute, String value, Consumer<Duration> target) {
		if (value.isBlank()) {
			return;
		}
		try {
			target.accept(DurationStyle.detectAndParse(value.trim()));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(attribute + " = \"" + value
					+ "\" is not a duration; use for example \"500ms\", \"30s\", \"5m\" or \"10h\"", e);
		}
	}
}
