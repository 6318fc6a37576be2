/**
 * The connection to the API server: building a client-java {@code ApiClient} from settings, a kubeconfig or the
 * pod's service account ({@link io.github.kubecontroller.runtime.client.ApiClientFactory}), and turning failed API
 * calls into one sentence a person can act on ({@link io.github.kubecontroller.runtime.client.ApiFailure}).
 */
@NullMarked
package io.github.kubecontroller.runtime.client;

import org.jspecify.annotations.NullMarked;
