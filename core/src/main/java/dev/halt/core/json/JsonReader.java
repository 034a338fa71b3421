package dev.halt.core.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of one JSON value (RFC 8259), the reading side of {@link JsonWriter}: what the
 * control socket reads from other processes. Objects become {@link Map}s (insertion order, a
 * repeated name is an error), arrays {@link List}s, numbers {@link Long} when integral and in
 * range, else {@link Double}. Nesting is limited, so a hostile line cannot exhaust the stack.
 */
public final class JsonReader {
    private static final int MAX_DEPTH = 32;

    private final String text;
    private int at;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses exactly one value; whitespace may surround it.
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static Object parse(String text) {
        var reader = new JsonReader(text);
        var value = reader.value();
        reader.whitespace();
        if (reader.at != text.length()) throw reader.error("unexpected content after the value");
        return value;
    }

    /**
     * Parses one JSON object.
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        if (parse(text) instanceof Map<?, ?> map) return (Map<String, Object>) map;
        throw new IllegalArgumentException("not a JSON object");
    }

    private Object value() {
        whitespace();
        if (at >= text.length()) throw error("unexpected end");
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        at++;
        var map = new LinkedHashMap<String, Object>();
        whitespace();
        if (peek('}')) {
            at++;
            depth--;
            return map;
        }
        while (true) {
            whitespace();
            if (!peek('"')) throw error("expected a member name");
            var name = string();
            whitespace();
            expect(':');
            if (map.containsKey(name)) throw error("repeated member \"" + name + "\"");
            map.put(name, value());
            whitespace();
            if (peek(',')) {
                at++;
                continue;
            }
            expect('}');
            depth--;
            return map;
        }
    }

    private List<Object> array() {
        enter();
        at++;
        var list = new ArrayList<>();
        whitespace();
        if (peek(']')) {
            at++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            whitespace();
            if (peek(',')) {
                at++;
                continue;
            }
            expect(']');
            depth--;
            return list;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nested more than " + MAX_DEPTH + " deep");
    }

    private String string() {
        at++;
        var sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw error("unterminated string");
            char c = text.charAt(at++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= text.length()) throw error("unterminated escape");
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) throw error("short \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        if (peek('-')) at++;
        if (peek('0')) {
            at++;
        } else if (!digits()) {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek('.')) {
            at++;
            integral = false;
            if (!digits()) throw error("bad number");
        }
        if (peek('e') || peek('E')) {
            at++;
            integral = false;
            if (peek('+') || peek('-')) at++;
            if (!digits()) throw error("bad number");
        }
        var literal = text.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                // too large for a long: a double, as other parsers read it
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        return at > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) throw error("unexpected character '" + text.charAt(at) + "'");
        at += word.length();
        return value;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) throw error("expected '" + c + "'");
        at++;
    }

    private void whitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at character " + (at + 1) + ": " + what);
    }
}
