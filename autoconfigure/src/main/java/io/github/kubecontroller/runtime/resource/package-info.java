/**
 * Resource types: the group, version, kind and plural a Java class stands for. API discovery, which resolves them,
 * lives in {@code runtime.client}.
 */
package io.github.kubecontroller.runtime.resource;
