package io.github.kubecontroller.sample;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Something outside the cluster that knows every website, such as a DNS provider or a CDN: the finalizer exists so
 * that a deleted Website is removed from it. Removals can be made to fail, to see a cleanup retried.
 */
@Component
public class WebsiteRegistry {

	private final Map<String, String> sites = new ConcurrentHashMap<>();
	private final AtomicBoolean failRemovals = new AtomicBoolean();

	/** Records the site under {@code namespace/name}. */
	public void register(String key, String content) {
		sites.put(key, content);
	}

	/** Forgets the site; fails while {@link #failRemovals(boolean)} is on. */
	public void remove(String key) {
		if (failRemovals.get()) {
			throw new IllegalStateException("the registry refused to remove " + key + " (removals are failing)");
		}
		sites.remove(key);
	}

	public Set<String> sites() {
		return Set.copyOf(sites.keySet());
	}

	/** Makes removals fail (true) or succeed again (false). */
	public void failRemovals(boolean fail) {
		failRemovals.set(fail);
	}
}
