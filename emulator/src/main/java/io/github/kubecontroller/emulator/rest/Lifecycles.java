package io.github.kubecontroller.emulator.rest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceCatalog;
import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.StatusException.Cause;
import io.github.kubecontroller.emulator.store.ObjectStore;
import io.github.kubecontroller.emulator.store.ObjectStore.Transaction;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * The in-process controllers of kube-apiserver and kube-controller-manager that the emulator runs synchronously
 * with each write: CRD registration and cleanup (rules C5, C11), namespace termination, and the garbage collector
 * (rules K6, K7, see {@link GarbageCollector}).
 */
final class Lifecycles {

	private final ResourceOperations operations;

	private final ObjectStore store;

	private final ResourceCatalog catalog;

	private final GarbageCollector collector;

	/** Namespaces and CRDs being finished right now: deletions they cause must not restart the work. */
	private final Set<String> finishing = new HashSet<>();

	Lifecycles(ResourceOperations operations, ObjectStore store, ResourceCatalog catalog) {
		this.operations = operations;
		this.store = store;
		this.catalog = catalog;
		this.collector = new GarbageCollector(operations, store, catalog);
	}

	static boolean hasSpecFinalizers(ResourceType type, ObjectNode object) {
		return isNamespace(type) && !object.path("spec").path("finalizers").isEmpty();
	}

	List<Cause> problems(ResourceType type, ObjectNode object) {
		if (CustomResourceDefinitions.isCrd(type)) {
			return CustomResourceDefinitions.problems(object);
		}
		if (type.group().equals("apps") && type.kind().equals("Deployment")) {
			List<Cause> causes = new ArrayList<>();
			JsonNode selector = object.path("spec").path("selector");
			if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
				causes.add(Cause.required("spec.selector", ""));
			}
			if (object.path("spec").path("template").path("spec").path("containers").isEmpty()) {
				causes.add(Cause.required("spec.template.spec.containers", ""));
			}
			return causes;
		}
		return List.of();
	}

	void validateUpdate(ResourceType type, ObjectNode old, ObjectNode updated) {
		if (CustomResourceDefinitions.isCrd(type)) {
			List<Cause> causes = CustomResourceDefinitions.updateProblems(old, updated);
			if (!causes.isEmpty()) {
				throw StatusException.invalid(type, old.path("metadata").path("name").asText(), causes);
			}
		}
	}

	/** A CRD that is being deleted accepts no new objects (rule C11). */
	void checkCreateAllowed(ResourceType type, Transaction tx) {
		if (type.isCustom()) {
			StoredObject crd = tx.get(crdStorage(), StoredObject.key("", type.storage()));
			if (crd != null && isTerminating(crd)) {
				throw new StatusException(405, "MethodNotAllowed",
						"create not allowed while custom resource definition is terminating",
						StatusException.Details.of(null, type.group(), type.plural()));
			}
		}
	}

	void afterWrite(ResourceType type, StoredObject stored, Transaction tx) {
		if (CustomResourceDefinitions.isCrd(type)) {
			ObjectNode crd = ObjectCodec.decode(stored);
			if (isTerminating(stored)) {
				finishCrd(stored.name(), tx);
			}
			else {
				this.catalog.replaceCustom(CustomResourceDefinitions.storage(crd),
						CustomResourceDefinitions.servedTypes(crd));
			}
		}
		else if (isNamespace(type) && isTerminating(stored)) {
			finishNamespace(stored.name(), tx);
		}
		this.collector.afterWrite(type, stored);
	}

	void afterDelete(ResourceType type, StoredObject last, Transaction tx) {
		finishAfterDelete(type, last, tx);
		this.collector.afterDelete(type, last);
	}

	private void finishAfterDelete(ResourceType type, StoredObject last, Transaction tx) {
		if (CustomResourceDefinitions.isCrd(type)) {
			this.catalog.removeCustom(last.name());
			return;
		}
		if (type.namespaced()) {
			StoredObject namespace = tx.get("namespaces", StoredObject.key("", last.namespace()));
			if (namespace != null && isTerminating(namespace)) {
				finishNamespace(last.namespace(), tx);
			}
		}
		if (type.isCustom()) {
			StoredObject crd = tx.get(crdStorage(), StoredObject.key("", type.storage()));
			if (crd != null && isTerminating(crd)) {
				finishCrd(crd.name(), tx);
			}
		}
	}

	/** Deletes everything in a terminating namespace; once it is empty, the namespace goes. */
	private void finishNamespace(String namespace, Transaction tx) {
		if (!this.finishing.add("namespace/" + namespace)) {
			return;
		}
		try {
			Map<String, ResourceType> namespacedStorages = new LinkedHashMap<>();
			this.catalog.snapshot()
				.values()
				.forEach((versions) -> versions.values()
					.forEach((types) -> types.stream()
						.filter(ResourceType::namespaced)
						.forEach((t) -> namespacedStorages.putIfAbsent(t.storage(), this.operations.storageType(t)))));
			boolean empty = true;
			for (ResourceType type : namespacedStorages.values()) {
				for (StoredObject object : tx.current(type.storage(), namespace)) {
					if (!isTerminating(object)) {
						deleteQuietly(type, namespace, object.name());
					}
				}
				empty &= tx.current(type.storage(), namespace).isEmpty();
			}
			StoredObject current = tx.get("namespaces", StoredObject.key("", namespace));
			if (empty && current != null) {
				ResourceType namespaces = this.catalog.find("", "v1", "namespaces").orElseThrow();
				ObjectNode object = ObjectCodec.present(current, namespaces, current.resourceVersion());
				object.with("spec").putArray("finalizers");
				release(tx, namespaces, object);
			}
		}
		finally {
			this.finishing.remove("namespace/" + namespace);
		}
	}

	/** Deletes every object of a terminating CRD; once none is left, the CRD goes (rule C11). */
	private void finishCrd(String storage, Transaction tx) {
		if (!this.finishing.add("crd/" + storage)) {
			return;
		}
		try {
			ResourceType crType = anyTypeOf(storage);
			if (crType != null) {
				for (StoredObject object : tx.current(storage, null)) {
					if (!isTerminating(object)) {
						deleteQuietly(crType, object.namespace().isEmpty() ? null : object.namespace(),
								object.name());
					}
				}
			}
			StoredObject current = tx.get(crdStorage(), StoredObject.key("", storage));
			if (tx.current(storage, null).isEmpty() && current != null) {
				ResourceType crds = this.catalog
					.find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
					.orElseThrow();
				ObjectNode object = ObjectCodec.present(current, crds, current.resourceVersion());
				ArrayNode remaining = Json.MAPPER.createArrayNode();
				object.path("metadata").path("finalizers").forEach((f) -> {
					if (!Defaults.CRD_CLEANUP_FINALIZER.equals(f.asText())) {
						remaining.add(f);
					}
				});
				((ObjectNode) object.get("metadata")).set("finalizers", remaining);
				release(tx, crds, object);
			}
		}
		finally {
			this.finishing.remove("crd/" + storage);
		}
	}

	/** Stores an object whose system finalizer is done: it goes if no other finalizer holds it. */
	private void release(Transaction tx, ResourceType type, ObjectNode object) {
		ObjectNode metadata = (ObjectNode) object.get("metadata");
		if (metadata.path("finalizers").isEmpty()) {
			metadata.remove("finalizers");
		}
		if (ResourceOperations.hasFinalizers(type, object)) {
			this.operations.persist(tx, type, object);
		}
		else {
			this.operations.deleteNow(tx, type, object);
		}
	}

	private void deleteQuietly(ResourceType type, String namespace, String name) {
		try {
			this.operations.delete(type, namespace, name, Json.object());
		}
		catch (StatusException ex) {
			if (ex.code() != 404) {
				throw ex;
			}
		}
	}

	private ResourceType anyTypeOf(String storage) {
		for (Map<String, List<ResourceType>> versions : this.catalog.snapshot().values()) {
			for (List<ResourceType> types : versions.values()) {
				for (ResourceType type : types) {
					if (type.storage().equals(storage)) {
						return type;
					}
				}
			}
		}
		return null;
	}

	private static boolean isTerminating(StoredObject object) {
		return object.deleting();
	}

	private static boolean isNamespace(ResourceType type) {
		return type.group().isEmpty() && type.kind().equals("Namespace");
	}

	private static String crdStorage() {
		return "customresourcedefinitions.apiextensions.k8s.io";
	}
}
