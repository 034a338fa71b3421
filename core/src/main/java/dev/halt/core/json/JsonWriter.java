package dev.halt.core.json;

import dev.halt.proxy.JsonString;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer: halt's machine-readable outputs ({@code check --json},
 * {@code config show --format json}, decision logs) are flat enough that a library would only
 * add start-up time. Strings are escaped by the proxy's {@link JsonString}, which writes the
 * decision log too; output is indented by two spaces.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** One entry per open container: whether it has a member yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;
    /** One line, no spaces: a JSON-lines file's object. */
    private boolean compact;

    /** A writer of one-line JSON (for a JSON-lines file), where the default indents by two spaces. */
    public static JsonWriter compact() {
        var writer = new JsonWriter();
        writer.compact = true;
        return writer;
    }

    public JsonWriter beginObject() { return begin('{'); }

    public JsonWriter endObject() { return end('}'); }

    public JsonWriter beginArray() { return begin('['); }

    public JsonWriter endArray() { return end(']'); }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        separate();
        JsonString.append(out, name);
        out.append(compact ? ":" : ": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        JsonString.append(out, value);
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /**
     * Writes a tree of maps (keys as strings), lists, strings, numbers, booleans and nulls.
     *
     * @throws IllegalArgumentException for any other type
     */
    public JsonWriter tree(Object value) {
        switch (value) {
            case null -> nullValue();
            case String s -> value(s);
            case Boolean b -> value(b.booleanValue());
            case Integer i -> value(i.longValue());
            case Long l -> value(l.longValue());
            case Number n -> {
                separate();
                out.append(n);
            }
            case java.util.Map<?, ?> map -> {
                beginObject();
                map.forEach((k, v) -> name(String.valueOf(k)).tree(v));
                endObject();
            }
            case java.util.List<?> list -> {
                beginArray();
                list.forEach(this::tree);
                endArray();
            }
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** The document; every container must be closed. */
    @Override
    public String toString() {
        if (!open.isEmpty()) throw new IllegalStateException("unclosed JSON container");
        return out.toString();
    }

    private JsonWriter begin(char bracket) {
        separate();
        out.append(bracket);
        open.push(new boolean[] {false});
        return this;
    }

    private JsonWriter end(char bracket) {
        var hadMembers = open.pop()[0];
        if (hadMembers) newline();
        out.append(bracket);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        var current = open.peek();
        if (current == null) return;
        if (current[0]) out.append(',');
        current[0] = true;
        newline();
    }

    private void newline() {
        if (compact) return;
        out.append('\n').append("  ".repeat(open.size()));
    }
}
