package io.github.kubecontroller.emulator.http;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.ObjectCodec;
import io.github.kubecontroller.emulator.rest.StatusException;
import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * Writes {@code meta.k8s.io Table} responses, what {@code kubectl get} asks for (rules D2, D3, D5).
 */
final class TableWriter implements ObjectFormat {

	private final ResourceType type;

	private final String apiVersion;

	private final String includeObject;

	private final List<PrinterColumns.Column> columns;

	/**
	 * @param version {@code v1} or {@code v1beta1}
	 * @param includeObject the {@code includeObject} parameter, {@code null} when absent
	 * @param crdLookup the CRD of a custom resource, for its printer columns
	 */
	TableWriter(ResourceType type, String version, String includeObject, Function<ResourceType, JsonNode> crdLookup) {
		String include = (includeObject == null || includeObject.isEmpty()) ? "Metadata" : includeObject;
		if (!List.of("Metadata", "Object", "None").contains(include)) {
			throw StatusException.badRequest("unrecognized includeObject value: " + StatusException.quote(include));
		}
		this.type = type;
		this.apiVersion = "meta.k8s.io/" + version;
		this.includeObject = include;
		this.columns = PrinterColumns.of(type, type.isCustom() ? crdLookup.apply(type) : null);
	}

	@Override
	public String contentType(boolean list) {
		return "application/json;as=Table;v=" + this.apiVersion.substring("meta.k8s.io/".length())
				+ ";g=meta.k8s.io";
	}

	@Override
	public byte[] list(ListPage page, String continueToken) {
		ObjectNode table = table(Long.toString(page.revision()), true);
		table.set("metadata", ListMetadata.of(page, continueToken));
		ArrayNode rows = table.putArray("rows");
		Instant now = Instant.now();
		for (StoredObject item : page.items()) {
			rows.add(row(item, item.resourceVersion(), now));
		}
		return Json.write(table);
	}

	/** One object as a one-row table; watch events after the first carry no column definitions. */
	@Override
	public byte[] single(StoredObject object, long revision, boolean withColumns) {
		ObjectNode table = table(Long.toString(revision), withColumns);
		table.putArray("rows").add(row(object, revision, Instant.now()));
		return Json.write(table);
	}

	private ObjectNode table(String resourceVersion, boolean withColumns) {
		ObjectNode table = Json.object();
		table.put("kind", "Table");
		table.put("apiVersion", this.apiVersion);
		table.putObject("metadata").put("resourceVersion", resourceVersion);
		if (withColumns) {
			ArrayNode definitions = table.putArray("columnDefinitions");
			this.columns.forEach((column) -> definitions.add(PrinterColumns.definition(column)));
		}
		else {
			table.putNull("columnDefinitions");
		}
		return table;
	}

	private ObjectNode row(StoredObject stored, long revision, Instant now) {
		ObjectNode object = ObjectCodec.present(stored, this.type, revision);
		ObjectNode row = Json.object();
		ArrayNode cells = row.putArray("cells");
		for (PrinterColumns.Column column : this.columns) {
			cells.add(Json.MAPPER.valueToTree(column.cell().apply(object, now)));
		}
		switch (this.includeObject) {
			case "Object" -> row.set("object", object);
			case "Metadata" -> {
				ObjectNode partial = row.putObject("object");
				partial.put("kind", "PartialObjectMetadata");
				partial.put("apiVersion", "meta.k8s.io/v1");
				partial.set("metadata", object.get("metadata"));
			}
			default -> {
			}
		}
		return row;
	}
}
