package io.github.kubecontroller.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link EmulatedKubernetes} on a test class (or a class enclosing a nested test) and customizes its context.
 */
class EmulatedKubernetesContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		EmulatedKubernetes annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmulatedKubernetes.class);
		return annotation == null ? null : new EmulatedKubernetesContextCustomizer(List.of(annotation.crds()));
	}

}
