package io.github.kubecontroller.test;

import com.google.gson.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of reading an object once: the object, or neither object nor failure when it does not exist (404), or
 * the failure of the request.
 */
record Read(@Nullable JsonObject object, @Nullable String failure) {

	boolean absent() {
		return this.object == null && this.failure == null;
	}

}
