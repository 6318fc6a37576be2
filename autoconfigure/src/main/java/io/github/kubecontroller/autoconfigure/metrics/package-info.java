/**
 * Micrometer metrics of the controllers, named so that a Prometheus scrape shows controller-runtime's metric names,
 * plus the health of the informers' caches and the API requests.
 */
package io.github.kubecontroller.autoconfigure.metrics;
