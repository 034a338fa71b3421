package dev.halt.core.probe;

/**
 * One line of {@code halt check}: a named feature, what was found, and how much it matters.
 *
 * @param name         stable identifier (the JSON key), e.g. {@code landlock.enforcement}
 * @param availability what the probe found
 * @param status       OK, WARN (missing but something else covers it, or informational) or FAIL
 */
public record Probe(String name, Availability availability, Status status) {

    /** Severity of a probe's outcome. */
    public enum Status { OK, WARN, FAIL }

    /** OK when available; when not, {@code missing}. */
    public static Probe of(String name, Availability availability, Status missing) {
        return new Probe(name, availability, availability.isAvailable() ? Status.OK : missing);
    }
}
