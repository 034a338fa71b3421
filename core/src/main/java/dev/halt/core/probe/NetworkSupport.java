package dev.halt.core.probe;

import dev.halt.core.policy.NetworkMode;

import java.util.List;

/**
 * How {@code halt run} enforces one network mode on this machine, or why it cannot: one entry of
 * the {@link EnforcementPlan}, one line of {@code halt check}.
 */
public sealed interface NetworkSupport {

    /** The modes in the order {@code halt check} prints them. */
    List<NetworkMode> MODES = List.of(NetworkMode.UNRESTRICTED, NetworkMode.LOCALHOST_ONLY, NetworkMode.PROXY_ONLY,
        NetworkMode.BLOCKED);

    NetworkMode mode();

    /** A caveat, what enforces it in words, or why it is unavailable. */
    String note();

    /** The mechanism's name in output; {@code unavailable} when there is none. */
    String mechanismId();

    /**
     * FAIL when nothing enforces the mode; WARN when what enforces it leaves a known hole (said in
     * the note); OK otherwise. A WARN does not change {@code halt check}'s exit status.
     */
    Probe.Status status();

    /**
     * The mode is enforced by {@code mechanism}.
     *
     * @param hole what enforces it leaves a known hole, said in {@code note} (Landlock's TCP rules
     *             name ports, not addresses): the line is WARN
     */
    record Enforced(NetworkMode mode, Mechanism mechanism, String note, boolean hole) implements NetworkSupport {
        @Override
        public String mechanismId() { return mechanism.id(); }

        @Override
        public Probe.Status status() { return hole ? Probe.Status.WARN : Probe.Status.OK; }
    }

    /** Nothing here enforces the mode; {@code reason} says why, so a person can act on it. */
    record Unavailable(NetworkMode mode, String reason) implements NetworkSupport {
        @Override
        public String note() { return reason; }

        @Override
        public String mechanismId() { return "unavailable"; }

        @Override
        public Probe.Status status() { return Probe.Status.FAIL; }
    }
}
