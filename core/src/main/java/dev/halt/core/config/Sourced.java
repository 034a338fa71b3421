package dev.halt.core.config;

import dev.halt.core.policy.ValueSource;

import java.util.Objects;

/**
 * A configured value and where it came from.
 *
 * @param value  the value, already checked and converted (a {@code Path}, a {@code NetworkMode}, ...)
 * @param source where it was set
 * @param <T>    the value's type
 */
public record Sourced<T>(T value, ValueSource source) {
    public Sourced {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
