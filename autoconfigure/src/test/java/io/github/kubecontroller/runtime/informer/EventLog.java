package io.github.kubecontroller.runtime.informer;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An event handler that records what it receives as lines such as {@code add ns/a}, {@code update ns/a 5->6},
 * {@code delete ns/a} or {@code delete ns/a (final state unknown)}, and the thread each event came on.
 */
final class EventLog<T extends KubernetesObject> implements ResourceEventHandler<T> {

	final List<String> events = new CopyOnWriteArrayList<>();
	final List<String> threads = new CopyOnWriteArrayList<>();

	@Override
	public void onAdd(T object) {
		record("add " + key(object));
	}

	@Override
	public void onUpdate(T oldObject, T newObject) {
		record("update " + key(newObject) + " " + oldObject.getMetadata().getResourceVersion() + "->"
				+ newObject.getMetadata().getResourceVersion());
	}

	@Override
	public void onDelete(T object, boolean deletedFinalStateUnknown) {
		record("delete " + key(object) + (deletedFinalStateUnknown ? " (final state unknown)" : ""));
	}

	/** The events whose line starts with {@code prefix}. */
	List<String> starting(String prefix) {
		return events.stream().filter((event) -> event.startsWith(prefix)).toList();
	}

	private void record(String event) {
		threads.add(Thread.currentThread().getName());
		events.add(event);
	}

	private static String key(KubernetesObject object) {
		String namespace = object.getMetadata().getNamespace();
		return (namespace == null || namespace.isEmpty()) ? object.getMetadata().getName()
				: namespace + "/" + object.getMetadata().getName();
	}
}
