package io.github.kubecontroller.emulator.rest;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the emulator: strict about duplicate keys and trailing tokens, as Go's decoder is.
 */
public final class Json {

	public static final ObjectMapper MAPPER = JsonMapper.builder()
		.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	static {
		MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build());
	}

	private Json() {
	}

	/** Parses a request body; a syntax error becomes the exception the caller turns into a 400. */
	public static JsonNode parse(byte[] body) throws IOException {
		return MAPPER.readTree(body);
	}

	public static byte[] write(JsonNode node) {
		try {
			return MAPPER.writeValueAsBytes(node);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}
}
