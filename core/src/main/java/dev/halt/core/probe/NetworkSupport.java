package dev.halt.core.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@code halt run} will enforce one network mode on this machine.
 *
 * @param mode      the mode's config name ({@code unrestricted}, {@code localhost_only}, ...)
 * @param mechanism what enforces it
 * @param note      a caveat or, when unavailable, the reason
 */
public record NetworkSupport(String mode, Mechanism mechanism, String note) {

    /** The enforcement mechanisms, named as in the README and {@code check --json}. */
    public enum Mechanism {
        /** Nothing to enforce. */
        NONE("none"),
        /** A network namespace of halt's (privileged). */
        NETNS("netns"),
        /** Landlock TCP rules plus a seccomp filter on socket types (rootless, without the supervisor). */
        LANDLOCK_TCP_SECCOMP("landlock-tcp+seccomp"),
        /**
         * Rootless with halt's supervisor: every allowed connect and bind made by halt on the exact
         * address it checked, Landlock refusing the child's own, seccomp on socket types.
         */
        LANDLOCK_TCP_SECCOMP_SUPERVISOR("landlock-tcp+seccomp+supervisor"),
        /** Nothing here can enforce it. */
        UNAVAILABLE("unavailable");

        private final String id;

        Mechanism(String id) { this.id = id; }

        /** The name used in output. */
        public String id() { return id; }
    }

    /**
     * FAIL when nothing enforces the mode; WARN when what enforces it leaves a known hole (rootless
     * {@code localhost_only} and {@code proxy_only} without the supervisor: Landlock's TCP rules
     * name ports, not addresses); OK otherwise. A WARN does not change {@code halt check}'s exit status.
     */
    public Probe.Status status() {
        return switch (mechanism) {
            case UNAVAILABLE -> Probe.Status.FAIL;
            case LANDLOCK_TCP_SECCOMP -> mode.equals("localhost_only") || mode.equals("proxy_only") ? Probe.Status.WARN : Probe.Status.OK;
            case NONE, NETNS, LANDLOCK_TCP_SECCOMP_SUPERVISOR -> Probe.Status.OK;
        };
    }

    /** The isolated modes, in the order {@code check} prints them. */
    public static final List<String> MODES = List.of("unrestricted", "localhost_only", "proxy_only", "blocked");

    /** {@link #decide(boolean, Availability, Availability, Availability, Availability)} without the supervisor. */
    public static List<NetworkSupport> decide(boolean mayManageNamespaces, Availability netns,
                                              Availability landlockTcp, Availability seccomp) {
        return decide(mayManageNamespaces, netns, landlockTcp, seccomp, Availability.unavailable("not probed"));
    }

    /**
     * Picks the mechanism per mode: a namespace when halt may manage one and the probe made one,
     * else Landlock TCP rules with seccomp when both were verified, with the supervisor when its
     * probe passed too, else nothing.
     */
    public static List<NetworkSupport> decide(boolean mayManageNamespaces, Availability netns,
                                              Availability landlockTcp, Availability seccomp, Availability supervisor) {
        var result = new ArrayList<NetworkSupport>();
        for (var mode : MODES) {
            if (mode.equals("unrestricted")) {
                result.add(new NetworkSupport(mode, Mechanism.NONE, "no network restriction"));
            } else if (mayManageNamespaces && netns.isAvailable()) {
                result.add(new NetworkSupport(mode, Mechanism.NETNS, switch (mode) {
                    case "proxy_only" -> "sandbox namespace linked to a proxy namespace by a veth pair";
                    case "localhost_only" -> "a namespace with only lo: the child reaches itself";
                    default -> "an empty namespace with only lo";
                }));
            } else if (landlockTcp.isAvailable() && seccomp.isAvailable() && supervisor.isAvailable()) {
                result.add(new NetworkSupport(mode, Mechanism.LANDLOCK_TCP_SECCOMP_SUPERVISOR, switch (mode) {
                    case "proxy_only" -> "TCP connect only to the proxy's address and port, made by halt's supervisor on the"
                        + " address it checked; Landlock refuses every TCP connect and bind of the child's own; no UDP, raw"
                        + " or packet sockets";
                    case "localhost_only" -> "TCP connect only to loopback on the configured ports (and to the child's own"
                        + " loopback listeners with allow_local_binding), made by halt's supervisor; no UDP, raw or packet sockets";
                    default -> "no TCP connect or bind (halt's supervisor and Landlock refuse them); no UDP, raw or packet sockets";
                }));
            } else if (landlockTcp.isAvailable() && seccomp.isAvailable()) {
                var without = " (halt's supervisor, which would make it exact, is unavailable: " + supervisor.explanation()
                    + "; run as root for a namespace)";
                result.add(new NetworkSupport(mode, Mechanism.LANDLOCK_TCP_SECCOMP, switch (mode) {
                    case "proxy_only" -> "TCP connect only to the proxy's port, but Landlock cannot tell addresses apart, so"
                        + " the child can connect to that port on any address (127.0.0.2, ::1, a remote host) past the"
                        + " allowlist" + without + "; no UDP, raw or packet sockets";
                    case "localhost_only" -> "TCP only to the configured ports; Landlock cannot tell addresses apart, so those"
                        + " ports are reachable on any address" + without;
                    default -> "no TCP connect or bind; no UDP, raw or packet sockets";
                }));
            } else {
                var why = new StringBuilder();
                why.append(mayManageNamespaces ? "network namespace: " + netns.explanation()
                    : "no privileges for a network namespace (needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN)");
                why.append("; ").append(landlockTcp.isAvailable() ? "seccomp: " + seccomp.explanation()
                    : "Landlock TCP: " + landlockTcp.explanation());
                result.add(new NetworkSupport(mode, Mechanism.UNAVAILABLE, why.toString()));
            }
        }
        return List.copyOf(result);
    }
}
