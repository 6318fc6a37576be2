package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("1.D Tables and PartialObjectMetadata")
class ContentConversionTest extends ConformanceSupport {

	private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

	private static final String KUBECTL_GET = TABLE + ",application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
			+ "application/json";

	private static final String PARTIAL = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";

	private static final String PARTIAL_LIST = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";

	@Test
	@DisplayName("D2: kubectl's Accept gets a v1 Table with the ConfigMap printer's columns")
	void tableForList() {
		createConfigMap("default", "x", Map.of(), Map.of("a", "1", "b", "2"));
		Resp response = get(CM + "?limit=500", "Accept", KUBECTL_GET);
		assertThat(response.code()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo(TABLE);
		JsonNode table = response.json();
		assertThat(table.path("kind").asText()).isEqualTo("Table");
		assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
		assertThat(table.path("metadata").path("resourceVersion").asText())
			.isEqualTo(Long.toString(this.emulator.resourceVersion()));
		List<String> columns = new ArrayList<>();
		table.path("columnDefinitions").forEach((c) -> columns.add(c.path("name").asText()));
		assertThat(columns).containsExactly("Name", "Data", "Age");
		assertThat(table.path("columnDefinitions").get(0).path("format").asText()).isEqualTo("name");
		JsonNode row = table.path("rows").get(0);
		assertThat(row.path("cells").get(0).asText()).isEqualTo("x");
		assertThat(row.path("cells").get(1).asInt()).isEqualTo(2);
		assertThat(row.path("cells").get(2).asText()).matches("\\d+s");
	}

	@Test
	@DisplayName("D3: includeObject picks the row object: Metadata (default), Object, None; anything else is 400")
	void includeObject() {
		createConfigMap("x");
		JsonNode metadata = get(CM, "Accept", TABLE).json().path("rows").get(0).path("object");
		assertThat(metadata.path("kind").asText()).isEqualTo("PartialObjectMetadata");
		assertThat(metadata.path("metadata").path("name").asText()).isEqualTo("x");
		assertThat(metadata.has("data")).isFalse();
		JsonNode object = get(CM + "?includeObject=Object", "Accept", TABLE).json().path("rows").get(0)
			.path("object");
		assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
		assertThat(object.has("data")).isTrue();
		assertThat(get(CM + "?includeObject=None", "Accept", TABLE).json().path("rows").get(0).has("object"))
			.isFalse();
		assertStatus(get(CM + "?includeObject=Everything", "Accept", TABLE), 400,
				failure("unrecognized includeObject value: \"Everything\"", "BadRequest", null, 400));
	}

	@Test
	@DisplayName("D5: over a watch each event is a one-row Table; only the first carries column definitions")
	void tableOverWatch() {
		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion(), TABLE);
		createConfigMap("x");
		createConfigMap("y");
		JsonNode first = watch.next();
		JsonNode second = watch.next();
		assertThat(first.path("type").asText()).isEqualTo("ADDED");
		assertThat(first.path("object").path("kind").asText()).isEqualTo("Table");
		assertThat(first.path("object").path("columnDefinitions")).isNotEmpty();
		assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("x");
		assertThat(second.path("object").path("columnDefinitions").isNull()).isTrue();
		assertThat(second.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("y");
	}

	@Test
	@DisplayName("D6: a list asked as PartialObjectMetadataList has items with metadata only")
	void partialObjectMetadataList() {
		createConfigMap("default", "x", Map.of("app", "demo"), Map.of("a", "1"));
		Resp response = get(CM, "Accept", PARTIAL_LIST);
		assertThat(response.contentType()).isEqualTo(PARTIAL_LIST);
		JsonNode list = response.json();
		assertThat(list.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
		assertThat(list.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
		JsonNode item = list.path("items").get(0);
		assertThat(item.path("kind").asText()).isEqualTo("PartialObjectMetadata");
		assertThat(item.path("metadata").path("labels").path("app").asText()).isEqualTo("demo");
		assertThat(item.has("data")).isFalse();
	}

	@Test
	@DisplayName("D6: a single object and watch events as PartialObjectMetadata; the wrong form for the request is 406")
	void partialObjectMetadataForGetAndWatch() {
		createConfigMap("x");
		Resp single = get(CM + "/x", "Accept", PARTIAL);
		assertThat(single.contentType()).isEqualTo(PARTIAL);
		assertThat(single.json().path("kind").asText()).isEqualTo("PartialObjectMetadata");
		assertThat(single.json().has("data")).isFalse();

		assertThat(get(CM, "Accept", PARTIAL).code()).isEqualTo(406);
		assertThat(get(CM + "/x", "Accept", PARTIAL_LIST).code()).isEqualTo(406);

		WatchConnection watch = watch(CM + "?watch=true&resourceVersion=" + this.emulator.resourceVersion(), PARTIAL);
		createConfigMap("y");
		JsonNode event = watch.next();
		assertThat(event.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
		assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("y");
	}
}
