package io.github.kubecontroller.emulator.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed JSON pointer (RFC 6901): the unescaped reference tokens, empty for the whole document.
 *
 * @param tokens reference tokens with {@code ~1} and {@code ~0} already decoded
 */
record PatchPointer(List<String> tokens) {

	PatchPointer {
		tokens = List.copyOf(tokens);
	}

	/**
	 * Parses {@code text}.
	 * @throws PatchException of kind {@code MALFORMED} when it is not a pointer
	 */
	static PatchPointer parse(String text) {
		if (text.isEmpty()) {
			return new PatchPointer(List.of());
		}
		if (text.charAt(0) != '/') {
			throw PatchException.malformed("JSON pointer \"" + text + "\" does not start with '/'");
		}
		List<String> tokens = new ArrayList<>();
		for (String raw : text.substring(1).split("/", -1)) {
			tokens.add(unescape(raw, text));
		}
		return new PatchPointer(tokens);
	}

	boolean isRoot() {
		return this.tokens.isEmpty();
	}

	PatchPointer parent() {
		return new PatchPointer(this.tokens.subList(0, this.tokens.size() - 1));
	}

	String last() {
		return this.tokens.get(this.tokens.size() - 1);
	}

	/** Whether {@code other} points strictly inside the value this pointer points at. */
	boolean isProperPrefixOf(PatchPointer other) {
		return other.tokens.size() > this.tokens.size()
				&& other.tokens.subList(0, this.tokens.size()).equals(this.tokens);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (String token : this.tokens) {
			text.append('/').append(token.replace("~", "~0").replace("/", "~1"));
		}
		return text.toString();
	}

	private static String unescape(String raw, String pointer) {
		StringBuilder token = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c != '~') {
				token.append(c);
				continue;
			}
			char next = (i + 1 < raw.length()) ? raw.charAt(i + 1) : ' ';
			if (next != '0' && next != '1') {
				throw PatchException.malformed("JSON pointer \"" + pointer + "\" has an invalid escape '~'");
			}
			token.append((next == '0') ? '~' : '/');
			i++;
		}
		return token.toString();
	}

}
