package io.github.kubecontroller.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;
import io.github.kubecontroller.emulator.rest.Json;
import io.github.kubecontroller.emulator.rest.ObjectCodec;
import io.github.kubecontroller.emulator.store.ObjectStore.ListPage;
import io.github.kubecontroller.emulator.store.StoredObject;

/**
 * {@code PartialObjectMetadata} and {@code PartialObjectMetadataList}: only the metadata of each object, what
 * metadata-only informers ask for (rule D6).
 */
final class MetadataFormat implements ObjectFormat {

	private final ResourceType type;

	private final String version;

	MetadataFormat(ResourceType type, String version) {
		this.type = type;
		this.version = version;
	}

	@Override
	public String contentType(boolean list) {
		return "application/json;as=PartialObjectMetadata" + (list ? "List" : "") + ";v=" + this.version
				+ ";g=meta.k8s.io";
	}

	@Override
	public byte[] list(ListPage page, String continueToken) {
		ObjectNode metadata = ListMetadata.of(page, continueToken);
		ByteArrayOutputStream out = new ByteArrayOutputStream(128 + page.items().size() * 256);
		out.writeBytes(("{\"kind\":\"PartialObjectMetadataList\",\"apiVersion\":\"meta.k8s.io/" + this.version
				+ "\",\"metadata\":").getBytes(StandardCharsets.UTF_8));
		out.writeBytes(Json.write(metadata));
		out.writeBytes(",\"items\":[".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < page.items().size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			StoredObject item = page.items().get(i);
			out.writeBytes(single(item, item.resourceVersion(), false));
		}
		out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	@Override
	public byte[] single(StoredObject object, long revision, boolean first) {
		ObjectNode partial = Json.object();
		partial.put("kind", "PartialObjectMetadata");
		partial.put("apiVersion", "meta.k8s.io/" + this.version);
		partial.set("metadata", ObjectCodec.present(object, this.type, revision).get("metadata"));
		return Json.write(partial);
	}
}
