package io.github.kubecontroller.emulator.selector;

/**
 * The few Go string behaviours the selector code must reproduce exactly: byte-wise ordering, byte lengths, {@code %q}
 * quoting and {@code strconv.ParseInt(s, 10, 64)}.
 */
final class GoText {

	private GoText() {
	}

	/**
	 * Compares like Go's {@code a < b} on strings, which compares UTF-8 bytes; code point order is the same thing
	 * (Java's {@link String#compareTo} compares UTF-16 units, which differs above U+FFFF).
	 */
	static int compare(String a, String b) {
		int i = 0;
		int j = 0;
		while (i < a.length() && j < b.length()) {
			int ca = a.codePointAt(i);
			int cb = b.codePointAt(j);
			if (ca != cb) {
				return Integer.compare(ca, cb);
			}
			i += Character.charCount(ca);
			j += Character.charCount(cb);
		}
		if (i < a.length()) {
			return 1;
		}
		return (j < b.length()) ? -1 : 0;
	}

	/** Go's {@code len(s)}: the length of the UTF-8 encoding. */
	static int utf8Length(String s) {
		int length = 0;
		for (int i = 0; i < s.length();) {
			int cp = s.codePointAt(i);
			i += Character.charCount(cp);
			length += (cp < 0x80) ? 1 : (cp < 0x800) ? 2 : (cp < 0x10000) ? 3 : 4;
		}
		return length;
	}

	/**
	 * Go's {@code strconv.ParseInt(s, 10, 64)}: an optional sign and ASCII digits only, within the 64-bit range.
	 * @return the value, or {@code null} where Go would return an error
	 */
	static Long parseInt64(String s) {
		int start = (s.startsWith("+") || s.startsWith("-")) ? 1 : 0;
		if (s.length() == start) {
			return null;
		}
		for (int i = start; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') {
				return null; // Long.parseLong would also take non-ASCII digits
			}
		}
		try {
			return Long.parseLong(s);
		}
		catch (NumberFormatException ex) {
			return null; // out of range
		}
	}

	/** Go's {@code fmt.Sprintf("%q", s)} ({@code strconv.Quote}). */
	static String quote(String s) {
		StringBuilder out = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length();) {
			int cp = s.codePointAt(i);
			i += Character.charCount(cp);
			if (cp == '"' || cp == '\\') {
				out.append('\\').appendCodePoint(cp);
			}
			else if (Character.isSurrogate((char) cp) && cp < 0x10000) {
				// A lone surrogate: Go would see its (invalid) 3-byte encoding and escape each byte.
				out.append(String.format("\\x%02x\\x%02x\\x%02x", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F),
						0x80 | (cp & 0x3F)));
			}
			else if (isPrint(cp)) {
				out.appendCodePoint(cp);
			}
			else {
				switch (cp) {
					case 0x07 -> out.append("\\a");
					case 0x08 -> out.append("\\b");
					case 0x0C -> out.append("\\f");
					case '\n' -> out.append("\\n");
					case '\r' -> out.append("\\r");
					case '\t' -> out.append("\\t");
					case 0x0B -> out.append("\\v");
					default -> {
						if (cp < ' ' || cp == 0x7F) {
							out.append(String.format("\\x%02x", cp));
						}
						else if (cp < 0x10000) {
							out.append(String.format("\\u%04x", cp));
						}
						else {
							out.append(String.format("\\U%08x", cp));
						}
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
	private static boolean isPrint(int cp) {
		if (cp < 0x80) {
			return cp >= 0x20 && cp < 0x7F;
		}
		return switch (Character.getType(cp)) {
			case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
					Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
					Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
					Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
					Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
					Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
					Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
					Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
				true;
			default -> false;
		};
	}

}
