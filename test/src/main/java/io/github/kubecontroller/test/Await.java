package io.github.kubecontroller.test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What an await waits for, tested on each read of the object, and how to say what was last seen when the deadline
 * passes.
 */
abstract class Await {

	/** Whether this read satisfies the await. */
	abstract boolean isMet(Read read);

	/** What was expected, after the object's name: "did not reach the condition". */
	abstract String expectation();

	/** What the last read showed. */
	String lastSeen(Read read, Function<JsonObject, String> shown) {
		if (read.failure() != null) {
			return "the last read failed: " + read.failure();
		}
		if (read.object() == null) {
			return "it was not found (404) at the last read";
		}
		return "last seen: " + shown.apply(read.object());
	}

	/** The object exists and the condition holds for it; a condition that throws does not hold. */
	static Await condition(Predicate<JsonObject> condition) {
		return new Await() {

			private @Nullable RuntimeException lastThrown;

			@Override
			boolean isMet(Read read) {
				if (read.object() == null) {
					return false;
				}
				try {
					this.lastThrown = null;
					return condition.test(read.object());
				}
				catch (RuntimeException ex) {
					this.lastThrown = ex;
					return false;
				}
			}

			@Override
			String expectation() {
				return "did not satisfy the condition";
			}

			@Override
			String lastSeen(Read read, Function<JsonObject, String> shown) {
				String seen = super.lastSeen(read, shown);
				RuntimeException thrown = this.lastThrown;
				return thrown == null ? seen : seen + "; the condition threw " + thrown;
			}
		};
	}

	/** {@code status.observedGeneration} is at least {@code generation}. */
	static Await observedGeneration(long generation) {
		return new Await() {

			@Override
			boolean isMet(Read read) {
				Long observed = read.object() == null ? null : observedGenerationOf(read.object());
				return observed != null && observed >= generation;
			}

			@Override
			String expectation() {
				return "was not reconciled to generation " + generation;
			}

			@Override
			String lastSeen(Read read, Function<JsonObject, String> shown) {
				if (read.object() == null) {
					return super.lastSeen(read, shown);
				}
				Long observed = observedGenerationOf(read.object());
				return "status.observedGeneration is " + (observed == null ? "not set" : observed) + "; "
						+ super.lastSeen(read, shown);
			}
		};
	}

	/** The object does not exist. */
	static Await absence() {
		return new Await() {

			@Override
			boolean isMet(Read read) {
				return read.absent();
			}

			@Override
			String expectation() {
				return "was not deleted";
			}
		};
	}

	private static @Nullable Long observedGenerationOf(JsonObject object) {
		JsonElement status = object.get("status");
		if (status == null || !status.isJsonObject()) {
			return null;
		}
		JsonElement observed = status.getAsJsonObject().get("observedGeneration");
		return observed != null && observed.isJsonPrimitive() && observed.getAsJsonPrimitive().isNumber()
				? observed.getAsLong() : null;
	}

}
