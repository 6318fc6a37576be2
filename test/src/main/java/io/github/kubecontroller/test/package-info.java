/**
 * Test support for controllers on the Kubernetes API server emulator: {@link EmulatedKubernetes} for Spring Boot
 * tests, {@link KubeApiEmulatorExtension} for plain JUnit 5 tests, and {@link EmulatedCluster} to apply objects and
 * await their reconciliation in both.
 */
@NullMarked
package io.github.kubecontroller.test;

import org.jspecify.annotations.NullMarked;
