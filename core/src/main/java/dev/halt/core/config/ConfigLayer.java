package dev.halt.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values one source set: a config file, the command line, or the defaults. Immutable;
 * values are typed and already validated.
 */
public final class ConfigLayer {
    private final ConfigScope scope;
    private final Optional<Path> file;
    private final Map<ConfigKey<?>, List<Sourced<?>>> values;

    private ConfigLayer(ConfigScope scope, Optional<Path> file, Map<ConfigKey<?>, List<Sourced<?>>> values) {
        this.scope = Objects.requireNonNull(scope);
        this.file = Objects.requireNonNull(file);
        var copy = new LinkedHashMap<ConfigKey<?>, List<Sourced<?>>>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.values = java.util.Collections.unmodifiableMap(copy);
    }

    public ConfigScope scope() {
        return scope;
    }

    /** The file this layer was read from, if any. */
    public Optional<Path> file() {
        return file;
    }

    /** The value this layer sets for a scalar key, if it sets one. */
    @SuppressWarnings("unchecked") // the builder only stores Sourced<T> under ConfigKey<T>
    public <T> Optional<Sourced<T>> scalar(ConfigKey<T> key) {
        var list = values.get(key);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of((Sourced<T>) list.getLast());
    }

    /** The elements this layer lists for a key, in order (empty when it sets none). */
    @SuppressWarnings("unchecked") // the builder only stores Sourced<T> under ConfigKey<T>
    public <T> List<Sourced<T>> list(ConfigKey<T> key) {
        var list = values.get(key);
        return list == null ? List.of() : (List<Sourced<T>>) (List<?>) list;
    }

    /** Whether this layer sets {@code key}. */
    public boolean sets(ConfigKey<?> key) {
        return values.containsKey(key);
    }

    static Builder builder(ConfigScope scope, Optional<Path> file) {
        return new Builder(scope, file);
    }

    /** Collects the values of one layer; a scalar set twice keeps the later value. */
    static final class Builder {
        private final ConfigScope scope;
        private final Optional<Path> file;
        private final Map<ConfigKey<?>, List<Sourced<?>>> values = new LinkedHashMap<>();

        private Builder(ConfigScope scope, Optional<Path> file) {
            this.scope = scope;
            this.file = file;
        }

        <T> Builder set(ConfigKey<T> key, Sourced<T> value) {
            values.put(key, new ArrayList<>(List.of(value)));
            return this;
        }

        <T> Builder add(ConfigKey<T> key, Sourced<T> value) {
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** Records that the layer sets a list key, even to an empty list. */
        Builder touch(ConfigKey<?> key) {
            values.computeIfAbsent(key, k -> new ArrayList<>());
            return this;
        }

        ConfigLayer build() {
            return new ConfigLayer(scope, file, values);
        }
    }
}
