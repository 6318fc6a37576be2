package io.github.kubecontroller.emulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spec section 1.E: list semantics (resourceVersion, resourceVersionMatch, paging). */
@DisplayName("1.E List semantics")
class ListTest extends ConformanceSupport {

	@Test
	@DisplayName("E1: RV unset lists the latest state at the current global resourceVersion")
	void latest() {
		createConfigMap("a");
		JsonNode b = createConfigMap("b");
		created(post("/apis/coordination.k8s.io/v1/namespaces/default/leases",
				"{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\"}}"));
		JsonNode list = ok(get(CM));
		assertThat(names(list)).containsExactly("a", "b");
		assertThat(rvNum(list)).isEqualTo(this.emulator.resourceVersion()).isGreaterThan(rvNum(b));
		assertThat(list.path("metadata").has("continue")).isFalse();
	}

	@Test
	@DisplayName("E2: RV=0 ignores limit: everything comes back with no continue token")
	void rvZeroIgnoresLimit() {
		for (String name : List.of("a", "b", "c")) {
			createConfigMap(name);
		}
		JsonNode list = ok(get(CM + "?resourceVersion=0&limit=1"));
		assertThat(names(list)).containsExactly("a", "b", "c");
		assertThat(list.path("metadata").path("continue").asText("")).isEmpty();
		assertThat(list.path("metadata").has("remainingItemCount")).isFalse();
	}

	@Test
	@DisplayName("E3: RV=N without match is not-older-than N; with limit it is an exact read at N")
	void legacyRv() {
		createConfigMap("a");
		JsonNode b = createConfigMap("b");
		long n = rvNum(b);
		ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"changed\"}}"));
		createConfigMap("c");

		JsonNode notOlder = ok(get(CM + "?resourceVersion=" + n));
		assertThat(names(notOlder)).containsExactly("a", "b", "c");
		assertThat(rvNum(notOlder)).isGreaterThanOrEqualTo(n);

		JsonNode exact = ok(get(CM + "?resourceVersion=" + n + "&limit=10"));
		assertThat(rvNum(exact)).isEqualTo(n);
		assertThat(names(exact)).containsExactly("a", "b");
		assertThat(exact.path("items").get(0).path("data").path("k").asText()).isEqualTo("v");
	}

	@Test
	@DisplayName("E3/E5: RV=N with limit on a compacted N gives 410 Expired")
	void legacyExactCompacted() {
		long n = rvNum(createConfigMap("a"));
		createConfigMap("b");
		this.emulator.compactHistory();
		assertStatus(get(CM + "?resourceVersion=" + n + "&limit=10"), 410,
				failure("The resourceVersion for the provided list is too old.", "Expired", null, 410));
	}

	@Test
	@DisplayName("E4: NotOlderThan N serves data at least as new as N")
	void notOlderThan() {
		long n = rvNum(createConfigMap("a"));
		createConfigMap("b");
		JsonNode list = ok(get(CM + "?resourceVersion=" + n + "&resourceVersionMatch=NotOlderThan"));
		assertThat(rvNum(list)).isGreaterThanOrEqualTo(this.emulator.resourceVersion());
		assertThat(names(list)).containsExactly("a", "b");
	}

	@Test
	@DisplayName("E4: NotOlderThan N slightly ahead waits for the write and then answers")
	void notOlderThanWaits() throws Exception {
		createConfigMap("a");
		long next = this.emulator.resourceVersion() + 1;
		CompletableFuture<Resp> pending = CompletableFuture
			.supplyAsync(() -> get(CM + "?resourceVersion=" + next + "&resourceVersionMatch=NotOlderThan"));
		createConfigMap("b");
		Resp response = pending.get(DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		JsonNode list = ok(response);
		assertThat(rvNum(list)).isGreaterThanOrEqualTo(next);
		assertThat(names(list)).containsExactly("a", "b");
	}

	@Test
	@DisplayName("E4/I14: a too-large RV times out after ~3 s with 504 Timeout, ResourceVersionTooLarge and Retry-After: 1")
	void tooLargeResourceVersion() {
		createConfigMap("a");
		long current = this.emulator.resourceVersion();
		long ahead = current + 1000;
		long started = System.nanoTime();
		Resp response = get(CM + "?resourceVersion=" + ahead + "&resourceVersionMatch=NotOlderThan");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertStatus(response, 504,
				failure("Timeout: Too large resource version: " + ahead + ", current: " + current, "Timeout",
						"{\"causes\":[{\"reason\":\"ResourceVersionTooLarge\",\"message\":\"Too large resource version\"}],"
								+ "\"retryAfterSeconds\":1}",
						504));
		assertThat(response.header("Retry-After")).contains("1");
		assertThat(took).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(10));
	}

	@Test
	@DisplayName("E5: Exact N serves the state exactly at N, with the list RV = N")
	void exact() {
		createConfigMap("a");
		createConfigMap("gone");
		long n = this.emulator.resourceVersion();
		ok(patch(CM + "/a", MERGE_PATCH, "{\"data\":{\"k\":\"changed\"}}"));
		ok(delete(CM + "/gone"));
		createConfigMap("later");

		JsonNode list = ok(get(CM + "?resourceVersion=" + n + "&resourceVersionMatch=Exact"));
		assertThat(rv(list)).isEqualTo(Long.toString(n));
		assertThat(names(list)).containsExactly("a", "gone");
		assertThat(list.path("items").get(0).path("data").path("k").asText()).isEqualTo("v");
		assertThat(names(ok(get(CM)))).containsExactly("a", "later");
	}

	@Test
	@DisplayName("E5: Exact at a compacted RV gives HTTP 410 Expired; the current RV stays readable")
	void exactCompacted() {
		long n = rvNum(createConfigMap("a"));
		createConfigMap("b");
		long current = this.emulator.resourceVersion();
		this.emulator.compactHistory();
		assertStatus(get(CM + "?resourceVersion=" + n + "&resourceVersionMatch=Exact"), 410,
				failure("The resourceVersion for the provided list is too old.", "Expired", null, 410));
		JsonNode now = ok(get(CM + "?resourceVersion=" + current + "&resourceVersionMatch=Exact"));
		assertThat(names(now)).containsExactly("a", "b");
	}

	@Test
	@DisplayName("E6: resourceVersionMatch without resourceVersion gives 422 ListOptions")
	void matchWithoutRv() {
		assertStatus(get(CM + "?resourceVersionMatch=NotOlderThan"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"));
	}

	@Test
	@DisplayName("E6: resourceVersionMatch together with continue gives 422 ListOptions")
	void matchWithContinue() {
		for (String name : List.of("a", "b", "c")) {
			createConfigMap(name);
		}
		String token = ok(get(CM + "?limit=1")).path("metadata").path("continue").asText();
		assertThat(token).isNotEmpty();
		assertStatus(get(CM + "?resourceVersion=0&resourceVersionMatch=NotOlderThan&continue=" + urlEncode(token)),
				422, invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch is forbidden when continue is provided"));
	}

	@Test
	@DisplayName("E6: an unknown resourceVersionMatch gives 422 NotSupported")
	void unknownMatch() {
		assertStatus(get(CM + "?resourceVersion=1&resourceVersionMatch=Newest"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueNotSupported",
						"Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\""));
	}

	@Test
	@DisplayName("E6: Exact with resourceVersion 0 gives 422")
	void exactZero() {
		assertStatus(get(CM + "?resourceVersion=0&resourceVersionMatch=Exact"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
	}

	@Test
	@DisplayName("E6: sendInitialEvents on a list gives 422")
	void sendInitialEventsOnList() {
		assertStatus(get(CM + "?sendInitialEvents=true"), 422,
				invalidListOptions("sendInitialEvents", "FieldValueForbidden",
						"Forbidden: sendInitialEvents is forbidden for list"));
	}

	@Test
	@DisplayName("E6/I6: several ListOptions errors are all reported, joined as [e1, e2]")
	void severalErrors() {
		assertStatus(get(CM + "?resourceVersionMatch=Exact&sendInitialEvents=false"), 422,
				invalidListOptions("resourceVersionMatch", "FieldValueForbidden",
						"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
						"sendInitialEvents", "FieldValueForbidden",
						"Forbidden: sendInitialEvents is forbidden for list"));
	}

	@Test
	@DisplayName("E7: limit pages with continue and remainingItemCount, all at the first page's RV")
	void paging() {
		for (String name : List.of("a", "b", "c", "d", "e")) {
			createConfigMap(name);
		}
		long snapshot = this.emulator.resourceVersion();
		JsonNode first = ok(get(CM + "?limit=2"));
		assertThat(names(first)).containsExactly("a", "b");
		assertThat(rvNum(first)).isEqualTo(snapshot);
		assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
		String token = first.path("metadata").path("continue").asText();
		assertThat(token).isNotEmpty();

		// changes after the first page must not show up in the later pages
		ok(patch(CM + "/c", MERGE_PATCH, "{\"data\":{\"k\":\"changed\"}}"));
		ok(delete(CM + "/d"));
		createConfigMap("bb");
		createConfigMap("f");

		JsonNode second = ok(get(CM + "?limit=2&continue=" + urlEncode(token)));
		assertThat(names(second)).containsExactly("c", "d");
		assertThat(second.path("items").get(0).path("data").path("k").asText()).isEqualTo("v");
		assertThat(rvNum(second)).isEqualTo(snapshot);
		assertThat(second.path("metadata").path("remainingItemCount").asLong()).isEqualTo(1);
		token = second.path("metadata").path("continue").asText();
		assertThat(token).isNotEmpty();

		JsonNode third = ok(get(CM + "?limit=2&continue=" + urlEncode(token)));
		assertThat(names(third)).containsExactly("e");
		assertThat(rvNum(third)).isEqualTo(snapshot);
		assertThat(third.path("metadata").path("continue").asText("")).isEmpty();
		assertThat(third.path("metadata").has("remainingItemCount")).isFalse();
	}

	@Test
	@DisplayName("E7: with a selector there is no remainingItemCount")
	void noRemainingCountWithSelectors() {
		for (String name : List.of("a", "b", "c")) {
			createConfigMap("default", name, Map.of("app", "x"), Map.of());
		}
		JsonNode labelled = ok(get(CM + "?limit=1&labelSelector=app%3Dx"));
		assertThat(labelled.path("metadata").path("continue").asText()).isNotEmpty();
		assertThat(labelled.path("metadata").has("remainingItemCount")).isFalse();
		JsonNode fielded = ok(get(CM + "?limit=1&fieldSelector=metadata.namespace%3Ddefault"));
		assertThat(fielded.path("metadata").path("continue").asText()).isNotEmpty();
		assertThat(fielded.path("metadata").has("remainingItemCount")).isFalse();
	}

	@Test
	@DisplayName("E8: the continue token is base64url (no padding) of {v, rv, start key + NUL}")
	void continueTokenShape() throws Exception {
		createConfigMap("a");
		createConfigMap("b");
		JsonNode first = ok(get(CM + "?limit=1"));
		String token = first.path("metadata").path("continue").asText();
		assertThat(token).matches("[A-Za-z0-9_-]+");
		JsonNode decoded = MAPPER.readTree(decodeContinue(token));
		assertThat(decoded.path("v").asText()).isEqualTo("meta.k8s.io/v1");
		assertThat(decoded.path("rv").asLong()).isEqualTo(rvNum(first));
		assertThat(decoded.path("start").asText()).endsWith("\u0000");
	}

	@Test
	@DisplayName("E8: a malformed continue token gives 400 'invalid continue token: continue key is not valid...'")
	void malformedContinue() {
		createConfigMap("a");
		for (String token : List.of("not-a-token!!", "e30", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ")) {
			Resp response = get(CM + "?limit=1&continue=" + urlEncode(token));
			assertThat(response.code()).as("%s", response).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo(JSON);
			JsonNode status = response.json();
			assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
			assertThat(status.path("message").asText()).startsWith("invalid continue token: continue key is not valid");
			assertThat(response.raw()).startsWith(
					"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":")
				.endsWith(",\"reason\":\"BadRequest\",\"code\":400}");
		}
	}

	@Test
	@DisplayName("E8: continue with a resourceVersion other than \"\"/\"0\" gives 400")
	void continueWithRv() {
		createConfigMap("a");
		createConfigMap("b");
		JsonNode first = ok(get(CM + "?limit=1"));
		String token = first.path("metadata").path("continue").asText();
		assertStatus(get(CM + "?limit=1&resourceVersion=" + rv(first) + "&continue=" + urlEncode(token)), 400,
				failure("specifying resource version is not allowed when using continue", "BadRequest", null, 400));
		assertThat(names(ok(get(CM + "?limit=1&resourceVersion=0&continue=" + urlEncode(token)))))
			.containsExactly("b");
	}

	@Test
	@DisplayName("E9: a continue token whose RV was compacted gives 410 with a fresh token (rv -1) to go on inconsistently")
	void expiredContinue() throws Exception {
		for (String name : List.of("a", "b", "c")) {
			createConfigMap(name);
		}
		String token = ok(get(CM + "?limit=1")).path("metadata").path("continue").asText();
		createConfigMap("d");
		this.emulator.compactHistory();

		Resp response = get(CM + "?limit=1&continue=" + urlEncode(token));
		assertThat(response.code()).as("%s", response).isEqualTo(410);
		JsonNode status = response.json();
		String message = "The provided continue parameter is too old to display a consistent list result. You can "
				+ "start a new list without the continue parameter, or use the continue token in this response to "
				+ "retrieve the remainder of the results. Continuing with the provided token results in an "
				+ "inconsistent list - objects that were created, modified, or deleted between the time the first "
				+ "chunk was returned and now may show up in the list.";
		String fresh = status.path("metadata").path("continue").asText();
		assertThat(fresh).isNotEmpty();
		assertStatus(response, 410, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":"
				+ quote(fresh) + "},\"status\":\"Failure\",\"message\":" + quote(message)
				+ ",\"reason\":\"Expired\",\"code\":410}");
		assertThat(MAPPER.readTree(decodeContinue(fresh)).path("rv").asLong()).isEqualTo(-1);

		List<String> rest = new ArrayList<>();
		String next = fresh;
		while (!next.isEmpty()) {
			JsonNode page = ok(get(CM + "?limit=1&continue=" + urlEncode(next)));
			rest.addAll(names(page));
			next = page.path("metadata").path("continue").asText("");
		}
		assertThat(rest).containsExactly("b", "c", "d");
	}

	@Test
	@DisplayName("E10: label and field selectors filter before paging")
	void selectorsBeforePaging() {
		for (int i = 0; i < 6; i++) {
			createConfigMap("default", "cm" + i, (i % 2 == 0) ? Map.of("app", "x") : Map.of("app", "y"), Map.of());
		}
		JsonNode first = ok(get(CM + "?limit=2&labelSelector=app%3Dx"));
		assertThat(names(first)).containsExactly("cm0", "cm2");
		String token = first.path("metadata").path("continue").asText();
		assertThat(token).isNotEmpty();
		JsonNode second = ok(get(CM + "?limit=2&labelSelector=app%3Dx&continue=" + urlEncode(token)));
		assertThat(names(second)).containsExactly("cm4");
		assertThat(second.path("metadata").path("continue").asText("")).isEmpty();

		JsonNode byField = ok(get(CM + "?limit=1&fieldSelector=metadata.name%21%3Dcm0"));
		assertThat(names(byField)).containsExactly("cm1");
	}
}
