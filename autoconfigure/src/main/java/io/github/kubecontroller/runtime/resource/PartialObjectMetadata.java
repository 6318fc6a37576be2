package io.github.kubecontroller.runtime.resource;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Objects;

/**
 * An object of any kind with its metadata only ({@code meta.k8s.io/v1 PartialObjectMetadata}): what a
 * metadata-only informer caches. The server strips the rest before sending, so such a watch costs a fraction of a
 * full one in bandwidth and heap. client-java has no model for it.
 */
public final class PartialObjectMetadata implements KubernetesObject {

	@SerializedName("apiVersion")
	private String apiVersion;

	@SerializedName("kind")
	private String kind;

	@SerializedName("metadata")
	private V1ObjectMeta metadata;

	@Override
	public String getApiVersion() {
		return apiVersion;
	}

	@Override
	public String getKind() {
		return kind;
	}

	@Override
	public V1ObjectMeta getMetadata() {
		return metadata;
	}

	public PartialObjectMetadata apiVersion(String apiVersion) {
		this.apiVersion = apiVersion;
		return this;
	}

	public PartialObjectMetadata kind(String kind) {
		this.kind = kind;
		return this;
	}

	public PartialObjectMetadata metadata(V1ObjectMeta metadata) {
		this.metadata = metadata;
		return this;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PartialObjectMetadata that && Objects.equals(apiVersion, that.apiVersion)
				&& Objects.equals(kind, that.kind) && Objects.equals(metadata, that.metadata);
	}

	@Override
	public int hashCode() {
		return Objects.hash(apiVersion, kind, metadata);
	}

	@Override
	public String toString() {
		return "PartialObjectMetadata(" + kind + " " + ((metadata == null) ? null
				: ((metadata.getNamespace() == null) ? "" : metadata.getNamespace() + "/") + metadata.getName()) + ")";
	}
}
