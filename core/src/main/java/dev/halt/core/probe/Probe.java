package dev.halt.core.probe;

/**
 * One line of {@code halt check}: a named feature, what was found, and how much it matters.
 *
 * @param name         stable identifier (the JSON key), e.g. {@code landlock.enforcement}
 * @param availability what the probe found
 * @param status       OK, WARN or FAIL: see {@link Status}
 */
public record Probe(String name, Availability availability, Status status) {

    /**
     * Severity of a probe's outcome, one rule each (the README's "halt check" says the same):
     * <ul>
     *   <li>{@code OK}: there, and verified where a probe can act;</li>
     *   <li>{@code WARN}: missing or limited, and {@code halt run} still runs and enforces what it
     *       says; the line says what is not covered, or what to do;</li>
     *   <li>{@code FAIL}: {@code halt run} refuses to run here (exit 125) until the line's cause is
     *       fixed, or, where the line says so, with {@code --best-effort}. {@code halt check} exits 1
     *       when any line is FAIL, else 0.</li>
     * </ul>
     */
    public enum Status { OK, WARN, FAIL }

    /** OK when available; when not, {@code missing}. */
    public static Probe of(String name, Availability availability, Status missing) {
        return new Probe(name, availability, availability.isAvailable() ? Status.OK : missing);
    }
}
