package dev.halt.proxy;

/**
 * A text as a JSON string literal (RFC 8259): halt's one JSON escaper, for the proxy's decision
 * log and for core's JSON outputs alike.
 *
 * <p>Escaped: the quote and the backslash; every control character (C0, DEL and C1) as
 * {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f} or {@code \}{@code uXXXX}, so one
 * value stays on one line and no terminal control sequence passes to whoever reads the file; U+2028 and U+2029, which
 * JavaScript reads as line ends; and a lone surrogate, which has no UTF-8 form (a valid pair is
 * written as it is). A child names the hosts and paths that end up in these strings: nothing it
 * writes can end the string or the line.
 */
public final class JsonString {
    private JsonString() {}

    /** {@code text} quoted and escaped, or {@code null} (the JSON literal) for null. */
    public static String of(String text) {
        return append(new StringBuilder(text == null ? 4 : text.length() + 2), text).toString();
    }

    /** Appends {@code text} quoted and escaped to {@code out}, or {@code null} for null. */
    public static StringBuilder append(StringBuilder out, String text) {
        if (text == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || loneSurrogate(text, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static boolean loneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }
}
