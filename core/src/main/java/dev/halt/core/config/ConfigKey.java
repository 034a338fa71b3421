package dev.halt.core.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One key of the config schema, such as {@code proxy.dns_ttl_seconds}: where it lives, whether
 * it holds one value or a list, and how a raw value (from TOML or from a flag) becomes a typed
 * one. The keys are the constants of {@link ConfigSchema}.
 *
 * @param <T> the type of the value, or of one element of a list
 */
public final class ConfigKey<T> {

    /** Whether a key holds one value (later layers replace it) or a list (later layers extend it). */
    public enum Kind { SCALAR, LIST }

    /**
     * Turns a raw value into a typed one.
     *
     * <p>A raw value is what tomlj gives ({@code String}, {@code Long}, {@code Double},
     * {@code Boolean}, dates, {@code TomlArray}, {@code TomlTable}) or the {@code String} of a flag.
     */
    @FunctionalInterface
    public interface Reader<T> {
        /** @throws IllegalArgumentException with a message for the user when the value is wrong */
        T read(Object raw, ReadContext context);
    }

    private final List<String> table;
    private final String name;
    private final Kind kind;
    private final Reader<T> reader;
    private final Function<T, Object> plain;
    private final Function<T, Object> identity;
    private final String description;

    ConfigKey(List<String> table, String name, Kind kind, Reader<T> reader, Function<T, Object> plain,
              Function<T, Object> identity, String description) {
        this.table = List.copyOf(table);
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        this.reader = Objects.requireNonNull(reader);
        this.plain = Objects.requireNonNull(plain);
        this.identity = Objects.requireNonNull(identity);
        this.description = Objects.requireNonNull(description);
    }

    /** The path of the table holding the key, such as {@code [sandbox, paths]}. */
    public List<String> table() {
        return table;
    }

    /** The key's name inside its table, such as {@code read_write}. */
    public String name() {
        return name;
    }

    /** The full dotted name, such as {@code sandbox.paths.read_write}. */
    public String dottedName() {
        return String.join(".", table) + "." + name;
    }

    public Kind kind() {
        return kind;
    }

    /** What the key is for, one line. */
    public String description() {
        return description;
    }

    /** Reads one raw value (one element, for a list). */
    public T read(Object raw, ReadContext context) {
        return reader.read(raw, context);
    }

    /** The value as a {@code String}, {@code Long} or {@code Boolean}, for rendering. */
    public Object plain(T value) {
        return plain.apply(value);
    }

    /** Two list elements with the same identity are one element (the later one wins). */
    public Object identity(T value) {
        return identity.apply(value);
    }

    @Override
    public String toString() {
        return dottedName();
    }
}
