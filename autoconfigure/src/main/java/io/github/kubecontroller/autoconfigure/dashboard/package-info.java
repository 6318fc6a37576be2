/**
 * A live page of the controllers, served by Spring MVC, that reads the {@code kubecontrollers} actuator endpoint.
 */
package io.github.kubecontroller.autoconfigure.dashboard;
