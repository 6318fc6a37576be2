package io.github.kubecontroller.runtime.controller;

import io.github.kubecontroller.runtime.queue.ObjectKey;
import io.kubernetes.client.common.KubernetesObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The primary objects as this controller's own writes returned them (finalizer patches, status writes), kept until
 * the informer's cache has caught up with them.
 *
 * <p>A write's watch event arrives a little after the write's answer. A pass that starts in between, because a
 * child's event or the finalizer's own event queued the object again, would read the older cached object: it would
 * write the same status a second time, or run a cleanup again for an object whose finalizer is already gone. So a
 * pass reads whichever of the cached object and the own write is newer.
 *
 * <p>"Newer" compares resourceVersions as numbers. The API calls them opaque, but kube-apiserver's are etcd
 * revisions, which only grow; should one not be a number, the cache is taken, as without this class.
 */
final class OwnWrites<T extends KubernetesObject> {

	private final Map<ObjectKey, T> written = new ConcurrentHashMap<>();
	// Writes sent and not yet answered. Their watch event may come before the answer does; one reconcile at a time
	// per object means a change seen meanwhile is, all but surely, that write.
	private final Map<ObjectKey, Integer> sending = new ConcurrentHashMap<>();

	/** A write of the object is about to be sent. */
	void sending(ObjectKey key) {
		sending.merge(key, 1, Integer::sum);
	}

	/** The write announced by {@link #sending} was answered or failed. */
	void sent(ObjectKey key) {
		sending.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
	}

	/** Remembers {@code stored}, the object as the API server answered a write of this controller. */
	void wrote(ObjectKey key, T stored) {
		written.merge(key, stored, (earlier, later) -> isNewer(later, earlier) ? later : earlier);
	}

	/**
	 * Called for every object the informer delivers: once the cache holds the own write or a later version, the
	 * write is forgotten, so that entries live only for the moment the cache lags behind.
	 */
	void observed(ObjectKey key, T cached) {
		written.computeIfPresent(key, (k, own) -> isNewer(own, cached) ? own : null);
	}

	/**
	 * Whether {@code cached} is the state this controller's last write of the object produced, or arrived while such
	 * a write was being sent.
	 */
	boolean isOwn(ObjectKey key, T cached) {
		if (sending.containsKey(key)) {
			return true;
		}
		T own = written.get(key);
		return own != null && own.getMetadata() != null && cached.getMetadata() != null
				&& own.getMetadata().getResourceVersion() != null
				&& own.getMetadata().getResourceVersion().equals(cached.getMetadata().getResourceVersion());
	}

	/** Forgets the object, which is gone. */
	void forget(ObjectKey key) {
		written.remove(key);
	}

	/** The newer of {@code cached} and this controller's last write of the object. */
	T freshest(ObjectKey key, T cached) {
		T own = written.get(key);
		if (own == null) {
			return cached;
		}
		if (isNewer(own, cached)) {
			return own;
		}
		written.remove(key, own);
		return cached;
	}

	private static boolean isNewer(KubernetesObject candidate, KubernetesObject than) {
		Long candidateVersion = resourceVersion(candidate);
		Long thanVersion = resourceVersion(than);
		return candidateVersion != null && thanVersion != null && candidateVersion > thanVersion;
	}

	private static @Nullable Long resourceVersion(KubernetesObject object) {
		if (object.getMetadata() == null || object.getMetadata().getResourceVersion() == null) {
			return null;
		}
		try {
			return Long.parseLong(object.getMetadata().getResourceVersion());
		} catch (NumberFormatException e) {
			return null;
		}
	}
}
