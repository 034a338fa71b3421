package dev.halt.core.probe;

/**
 * Whether a kernel feature works here, in the shape of Netty's {@code Epoll.isAvailable()} and
 * {@code unavailabilityCause()}: available with what was verified, or unavailable with why.
 */
public sealed interface Availability {

    /** @param detail what was verified, for a person */
    record Available(String detail) implements Availability {}

    /** @param cause why not, phrased so a person can act on it */
    record Unavailable(String cause) implements Availability {}

    static Availability available(String detail) { return new Available(detail); }

    static Availability unavailable(String cause) { return new Unavailable(cause); }

    default boolean isAvailable() { return this instanceof Available; }

    /** The detail when available, the cause when not. */
    default String explanation() {
        return switch (this) {
            case Available a -> a.detail();
            case Unavailable u -> u.cause();
        };
    }
}
