package io.github.kubecontroller.emulator.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.kubecontroller.emulator.resource.ResourceType;

/**
 * The columns kube-apiserver's printers give each kind in a {@code Table} (what {@code kubectl get} shows), and for
 * custom resources the CRD's additionalPrinterColumns (rules D2, C10).
 */
final class PrinterColumns {

	/**
	 * One column.
	 * @param name header
	 * @param type {@code string}, {@code integer}, {@code date} ...
	 * @param format {@code name} for the name column
	 * @param priority 0 for the default view, 1 for {@code -o wide}
	 * @param cell the cell value of an object, given the current time
	 */
	record Column(String name, String type, String format, int priority, BiFunction<JsonNode, Instant, Object> cell) {
	}

	private PrinterColumns() {
	}

	static List<Column> of(ResourceType type, JsonNode crd) {
		List<Column> columns = new ArrayList<>();
		columns.add(new Column("Name", "string", "name", 0, (o, now) -> text(o, "metadata.name")));
		switch (type.group() + "/" + type.kind()) {
			case "/ConfigMap" -> {
				columns.add(integer("Data", (o) -> o.path("data").size() + o.path("binaryData").size()));
				columns.add(age());
			}
			case "/Secret" -> {
				columns.add(string("Type", (o) -> text(o, "type")));
				columns.add(integer("Data", (o) -> o.path("data").size()));
				columns.add(age());
			}
			case "/Namespace" -> {
				columns.add(string("Status", (o) -> text(o, "status.phase")));
				columns.add(age());
			}
			case "/Pod" -> {
				columns.add(string("Ready", (o) -> "0/" + o.path("spec").path("containers").size()));
				columns.add(string("Status", (o) -> text(o, "status.phase")));
				columns.add(string("Restarts", (o) -> "0"));
				columns.add(age());
				columns.add(new Column("IP", "string", "", 1, (o, now) -> orNone(text(o, "status.podIP"))));
				columns.add(new Column("Node", "string", "", 1, (o, now) -> orNone(text(o, "spec.nodeName"))));
			}
			case "/Service" -> {
				columns.add(string("Type", (o) -> text(o, "spec.type")));
				columns.add(string("Cluster-IP", (o) -> orNone(text(o, "spec.clusterIP"))));
				columns.add(string("External-IP", (o) -> "<none>"));
				columns.add(string("Port(s)", PrinterColumns::servicePorts));
				columns.add(age());
			}
			case "/ServiceAccount" -> {
				columns.add(integer("Secrets", (o) -> o.path("secrets").size()));
				columns.add(age());
			}
			case "/Event", "events.k8s.io/Event" -> {
				boolean core = type.group().isEmpty();
				String regarding = core ? "involvedObject" : "regarding";
				columns.clear();
				columns.add(new Column("Last Seen", "string", "", 0,
						(o, now) -> since(firstText(o, core ? "lastTimestamp" : "deprecatedLastTimestamp",
								"eventTime", "metadata.creationTimestamp"), now)));
				columns.add(string("Type", (o) -> text(o, "type")));
				columns.add(string("Reason", (o) -> text(o, "reason")));
				columns.add(string("Object", (o) -> text(o, regarding + ".kind").toLowerCase(java.util.Locale.ROOT)
						+ "/" + text(o, regarding + ".name")));
				columns.add(string("Message", (o) -> text(o, core ? "message" : "note").trim()));
				columns.add(new Column("Name", "string", "name", 1, (o, now) -> text(o, "metadata.name")));
			}
			case "apps/Deployment" -> {
				columns.add(string("Ready", (o) -> o.path("status").path("readyReplicas").asLong(0) + "/"
						+ o.path("spec").path("replicas").asLong(1)));
				columns.add(integer("Up-to-date", (o) -> o.path("status").path("updatedReplicas").asLong(0)));
				columns.add(integer("Available", (o) -> o.path("status").path("availableReplicas").asLong(0)));
				columns.add(age());
			}
			case "coordination.k8s.io/Lease" -> {
				columns.add(string("Holder", (o) -> text(o, "spec.holderIdentity")));
				columns.add(age());
			}
			default -> {
				if (type.isCustom()) {
					columns.addAll(customColumns(type, crd));
				}
				else {
					columns.add(new Column("Created At", "date", "", 0,
							(o, now) -> text(o, "metadata.creationTimestamp")));
				}
			}
		}
		return columns;
	}

	/** additionalPrinterColumns of the served version, or Age when there are none (rule C10). */
	private static List<Column> customColumns(ResourceType type, JsonNode crd) {
		List<Column> columns = new ArrayList<>();
		JsonNode declared = null;
		if (crd != null) {
			for (JsonNode version : crd.path("spec").path("versions")) {
				if (type.version().equals(version.path("name").asText())) {
					declared = version.path("additionalPrinterColumns");
				}
			}
		}
		if (declared == null || declared.isEmpty()) {
			// v1 defaulting adds an Age column of type date.
			columns.add(new Column("Age", "date", "", 0, (o, now) -> since(text(o, "metadata.creationTimestamp"), now)));
			return columns;
		}
		for (JsonNode column : declared) {
			String path = column.path("jsonPath").asText("");
			String dotted = path.startsWith(".") ? path.substring(1) : path;
			boolean date = "date".equals(column.path("type").asText());
			columns.add(new Column(column.path("name").asText(), column.path("type").asText("string"),
					column.path("format").asText(""), column.path("priority").asInt(0), (o, now) -> {
						JsonNode value = at(o, dotted);
						if (value == null || value.isNull() || value.isMissingNode()) {
							return null;
						}
						// The apiextensions table convertor shows dates as ages.
						return date ? since(value.asText(), now) : value;
					}));
		}
		return columns;
	}

	private static Column string(String name, java.util.function.Function<JsonNode, Object> cell) {
		return new Column(name, "string", "", 0, (o, now) -> cell.apply(o));
	}

	private static Column integer(String name, java.util.function.Function<JsonNode, Object> cell) {
		return new Column(name, "integer", "", 0, (o, now) -> cell.apply(o));
	}

	private static Column age() {
		return new Column("Age", "string", "", 0, (o, now) -> since(text(o, "metadata.creationTimestamp"), now));
	}

	private static String servicePorts(JsonNode service) {
		List<String> ports = new ArrayList<>();
		for (JsonNode port : service.path("spec").path("ports")) {
			ports.add(port.path("port").asText() + "/" + port.path("protocol").asText("TCP"));
		}
		return ports.isEmpty() ? "<none>" : String.join(",", ports);
	}

	private static String since(String timestamp, Instant now) {
		if (timestamp == null || timestamp.isEmpty()) {
			return "<unknown>";
		}
		try {
			return humanDuration(Duration.between(Instant.parse(timestamp), now));
		}
		catch (java.time.format.DateTimeParseException ex) {
			return "<invalid>";
		}
	}

	/** apimachinery's {@code duration.HumanDuration}: {@code 45s}, {@code 5m10s}, {@code 3h}, {@code 2d4h} ... */
	static String humanDuration(Duration d) {
		long seconds = d.getSeconds();
		if (seconds < -1) {
			return "<invalid>";
		}
		if (seconds < 0) {
			return "0s";
		}
		if (seconds < 120) {
			return seconds + "s";
		}
		long minutes = seconds / 60;
		if (minutes < 10) {
			long s = seconds % 60;
			return (s == 0) ? minutes + "m" : minutes + "m" + s + "s";
		}
		if (minutes < 180) {
			return minutes + "m";
		}
		long hours = seconds / 3600;
		if (hours < 8) {
			long m = minutes % 60;
			return (m == 0) ? hours + "h" : hours + "h" + m + "m";
		}
		if (hours < 48) {
			return hours + "h";
		}
		if (hours < 24 * 8) {
			long h = hours % 24;
			return (h == 0) ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
		}
		if (hours < 24 * 365 * 2) {
			return (hours / 24) + "d";
		}
		if (hours < 24 * 365 * 8) {
			long days = (hours / 24) % 365;
			return (days == 0) ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + days + "d";
		}
		return (hours / 24 / 365) + "y";
	}

	private static String orNone(String value) {
		return (value == null || value.isEmpty()) ? "<none>" : value;
	}

	private static String firstText(JsonNode object, String... paths) {
		for (String path : paths) {
			String value = text(object, path);
			if (!value.isEmpty()) {
				return value;
			}
		}
		return "";
	}

	private static String text(JsonNode object, String dottedPath) {
		JsonNode value = at(object, dottedPath);
		return (value == null || value.isNull() || value.isMissingNode()) ? "" : value.asText();
	}

	private static JsonNode at(JsonNode object, String dottedPath) {
		JsonNode node = object;
		for (String part : dottedPath.split("\\.")) {
			if (node == null) {
				return null;
			}
			node = node.get(part);
		}
		return node;
	}

	static ObjectNode definition(Column column) {
		ObjectNode definition = io.github.kubecontroller.emulator.rest.Json.object();
		definition.put("name", column.name());
		definition.put("type", column.type());
		definition.put("format", column.format());
		definition.put("description", column.name().equals("Name")
				? "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
				: column.name());
		definition.put("priority", column.priority());
		return definition;
	}
}
