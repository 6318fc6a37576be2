/**
 * Resource types: which group, version, kind and plural a Java class stands for, resolved through API discovery.
 */
package io.github.kubecontroller.runtime.resource;
