package dev.halt.core;

import dev.halt.core.policy.ExposedPort;
import dev.halt.core.policy.NetworkMode;
import dev.halt.proxy.DecisionEvent;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The network of a running sandbox, changed and watched while it runs ({@link SandboxedProcess#network()}):
 * what {@code halt allow}, {@code deny} and {@code watch} do through the run's control socket. Changes take
 * effect for the next request the proxy decides, without a restart. Thread-safe.
 */
public interface LiveNetwork {

    /** The run's network mode. */
    NetworkMode mode();

    /** Whether the run has a proxy ({@code proxy_only}), whose lists {@link #allow} and {@link #deny} change. */
    boolean hasProxy();

    /** The allowlist in force, as written (each entry once). */
    List<String> allowlist();

    /** The denylist in force. */
    List<String> denylist();

    /**
     * Adds entries to the allowlist (removing the same entries from the denylist), validated as the
     * config's {@code domain_allowlist} is.
     *
     * @throws IllegalArgumentException naming every bad entry; nothing changes then
     * @throws IllegalStateException    without a proxy
     */
    PolicyChange allow(List<String> entries);

    /**
     * Adds entries to the denylist (removing the same entries from the allowlist), closes the open
     * connections to the names it now refuses, and forgets the addresses those names resolved to, so
     * that an IP literal or a transparent connection to one is refused too.
     *
     * @throws IllegalArgumentException naming every bad entry; nothing changes then
     * @throws IllegalStateException    without a proxy
     */
    PolicyChange deny(List<String> entries);

    /**
     * Adds a listener of every decision from now on (connections, DNS lookups, host-port
     * connections), called on the deciding thread: it must not block. Closing the handle removes it.
     */
    AutoCloseable onDecision(Consumer<DecisionEvent> listener);

    /** The ports of the host's loopback exposed to the child. */
    List<ExposedPort> exposedPorts();

    /** The decisions so far. */
    Counts counts();

    /** Whether refused names are held and asked about ({@code halt run --ask}). */
    boolean asks();

    /**
     * Adds a listener of the questions asked from now on, and gets the ones waiting now at once; it
     * answers with {@link #answer}. Closing the handle removes it. Without any, each question is
     * announced by one line on halt's standard error and refused at its deadline.
     */
    AutoCloseable onQuestion(Consumer<Question> listener);

    /** Answers a waiting question; false when it is no longer waiting (answered, or past its deadline). */
    boolean answer(long question, Answer answer);

    /**
     * What one change did.
     *
     * @param added            entries now in the list that were not
     * @param unchanged        entries that were already in it
     * @param removedFromOther entries taken out of the other list (deny takes them out of the allowlist)
     * @param stillRefused     allowed entries that a broader denylist entry still refuses, with that entry
     * @param connectionsCut   open connections closed (deny)
     * @param addressesForgot  addresses no longer attributed to a refused name (deny)
     */
    record PolicyChange(List<String> added, List<String> unchanged, List<String> removedFromOther,
                        List<String> stillRefused, int connectionsCut, int addressesForgot) {
        public PolicyChange {
            added = List.copyOf(added);
            unchanged = List.copyOf(unchanged);
            removedFromOther = List.copyOf(removedFromOther);
            stillRefused = List.copyOf(stillRefused);
        }
    }

    /**
     * A name waiting for an answer.
     *
     * @param id       what {@link #answer} names
     * @param host     the name, normalized
     * @param port     the destination port, or -1 for a DNS lookup
     * @param asked    when it was first asked
     * @param deadline when it is refused unless answered
     */
    record Question(long id, String host, int port, Instant asked, Instant deadline) {}

    /** An answer to a {@link Question}. */
    enum Answer {
        /** Let the held request through, and what follows it at once: for a DNS lookup, the connections to its name for a few seconds. */
        ONCE,
        /** Add the name to the allowlist for the rest of the run. */
        RUN,
        /** Refuse it. */
        DENY
    }

    /**
     * Decisions so far.
     *
     * @param allowed         connections allowed (through the proxy, or to an exposed host port)
     * @param refused         connections refused (by the proxy or, rootless, by halt's supervisor)
     * @param failed          connections allowed but not served
     * @param lookupsAnswered DNS lookups answered by the proxy
     * @param lookupsRefused  DNS lookups refused
     * @param lookupsFailed   DNS lookups allowed but not answered by the upstream servers
     */
    record Counts(long allowed, long refused, long failed, long lookupsAnswered, long lookupsRefused, long lookupsFailed) {}
}
