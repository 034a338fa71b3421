package dev.halt.core.linux;

import dev.halt.core.policy.NetworkMode;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.probe.NetworkSupport;

/**
 * The Linux enforcement plan's decision for one network mode: a namespace when halt may manage one
 * and the kernel has them; else Landlock's TCP rules with the seccomp filter when both
 * probes passed, with the supervisor when it can run too; else unavailable, saying why. Reads only
 * the facts it needs, in that order, so a run probes for its own mode only.
 */
final class LinuxPlan {
    private LinuxPlan() {}

    static NetworkSupport decide(NetworkMode mode, LinuxFacts facts) {
        if (mode == NetworkMode.UNRESTRICTED) {
            return new NetworkSupport.Enforced(mode, Mechanism.NONE, "no network restriction", false);
        }
        boolean mayManage = facts.credentials().mayManageNetworkNamespaces();
        if (mayManage && facts.networkNamespace().isAvailable()) {
            return new NetworkSupport.Enforced(mode, Mechanism.NETNS, switch (mode) {
                case PROXY_ONLY -> "sandbox namespace linked to a proxy namespace by a veth pair";
                case LOCALHOST_ONLY -> "a namespace with only lo: the child reaches itself";
                default -> "an empty namespace with only lo";
            }, false);
        }
        var tcp = facts.landlockTcp();
        var seccomp = tcp.isAvailable() ? facts.seccomp() : null;
        if (seccomp != null && seccomp.isAvailable()) {
            var supervisor = facts.supervisor();
            if (supervisor.isAvailable()) {
                return new NetworkSupport.Enforced(mode, Mechanism.LANDLOCK_TCP_SECCOMP_SUPERVISOR, switch (mode) {
                    case PROXY_ONLY -> "TCP connect only to the proxy's address and port, made by halt's supervisor on the"
                        + " address it checked; Landlock refuses every TCP connect and bind of the child's own; no UDP, raw"
                        + " or packet sockets";
                    case LOCALHOST_ONLY -> "TCP connect only to loopback on the configured ports (and to the child's own"
                        + " loopback listeners with allow_local_binding), made by halt's supervisor; no UDP, raw or packet sockets";
                    default -> "no TCP connect or bind (halt's supervisor and Landlock refuse them); no UDP, raw or packet sockets";
                }, false);
            }
            var without = " (halt's supervisor, which would make it exact, is unavailable: " + supervisor.explanation()
                + "; run as root for a namespace)";
            return switch (mode) {
                case PROXY_ONLY -> new NetworkSupport.Enforced(mode, Mechanism.LANDLOCK_TCP_SECCOMP, "TCP connect only to the"
                    + " proxy's port, but Landlock cannot tell addresses apart, so the child can connect to that port on any"
                    + " address (127.0.0.2, ::1, a remote host) past the allowlist" + without + "; no UDP, raw or packet sockets",
                    true);
                case LOCALHOST_ONLY -> new NetworkSupport.Enforced(mode, Mechanism.LANDLOCK_TCP_SECCOMP, "TCP only to the"
                    + " configured ports; Landlock cannot tell addresses apart, so those ports are reachable on any address"
                    + without, true);
                default -> new NetworkSupport.Enforced(mode, Mechanism.LANDLOCK_TCP_SECCOMP,
                    "no TCP connect or bind; no UDP, raw or packet sockets", false);
            };
        }
        var why = new StringBuilder(mayManage ? "network namespace: " + facts.networkNamespace().explanation()
            : "no privileges for a network namespace (needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN)");
        why.append("; ").append(tcp.isAvailable() ? "seccomp: " + seccomp.explanation() : "Landlock TCP: " + tcp.explanation());
        return new NetworkSupport.Unavailable(mode, why.toString());
    }
}
