package dev.halt.core.probe;

import java.util.function.Supplier;

/**
 * A value computed on first use and kept: a probe that runs at most once per JVM, and only when
 * something asks for it (a run asks for what its own mode needs, {@code halt check} for all).
 */
public final class Memoized<T> implements Supplier<T> {
    private final Supplier<T> compute;
    /** Guarded by {@code this}; null until computed (a computation never yields null). */
    private T value;

    public Memoized(Supplier<T> compute) {
        this.compute = compute;
    }

    @Override
    public synchronized T get() {
        if (value == null) value = java.util.Objects.requireNonNull(compute.get(), "a probe returned null");
        return value;
    }
}
