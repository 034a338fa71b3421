package dev.halt.core.probe;

/**
 * What enforces a network mode, on any platform: one value of the {@link EnforcementPlan}, named
 * as in the README and {@code halt check --json}. A mode nothing here can enforce has no
 * mechanism: its plan entry is {@link NetworkSupport.Unavailable}.
 */
public enum Mechanism {
    /** Nothing to enforce ({@code unrestricted}), or nothing enforced (an unavailable mode under {@code --best-effort}). */
    NONE("none"),
    /** Linux with privileges: a network namespace of the run's own. */
    NETNS("netns"),
    /** Linux rootless without halt's supervisor: Landlock TCP rules (ports, not addresses) plus seccomp on socket types. */
    LANDLOCK_TCP_SECCOMP("landlock-tcp+seccomp"),
    /**
     * Linux rootless with halt's supervisor: every allowed connect and bind made by halt on the exact
     * address it checked, Landlock refusing the child's own, seccomp on socket types.
     */
    LANDLOCK_TCP_SECCOMP_SUPERVISOR("landlock-tcp+seccomp+supervisor"),
    /** macOS: the Seatbelt profile's network rules ({@code sandbox_init}). */
    SEATBELT("seatbelt");

    private final String id;

    Mechanism(String id) { this.id = id; }

    /** The name used in output. */
    public String id() { return id; }

    /**
     * Whether the mode is enforced in the host's network namespace by Landlock's TCP rules (Linux
     * rootless), where the seccomp filter must also restrict socket types.
     */
    public boolean landlockTcp() {
        return this == LANDLOCK_TCP_SECCOMP || this == LANDLOCK_TCP_SECCOMP_SUPERVISOR;
    }
}
