package dev.halt.core.linux.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The veth between the sandbox namespace (the jailer's) and the proxy namespace of proxy mode
 * with privileges, and how both ends are configured:
 * <ul>
 *   <li>sandbox: {@code lo} up; {@link #sandboxName} with {@link #sandboxV4}/30 and
 *       {@link #sandboxV6}/64, up; default routes via the proxy end's addresses;</li>
 *   <li>proxy: {@code lo} up; {@link #proxyName} with {@link #proxyV4}/30 and {@link #proxyV6}/64,
 *       up; {@code local 0.0.0.0/0} and {@code local ::/0} on {@code lo}, so every destination the
 *       child connects to is delivered to the proxy's listeners, with the original destination as
 *       the accepted socket's local address.</li>
 * </ul>
 * The names and addresses can be the same on every run: they exist only inside the run's own two
 * namespaces (never in the host's), which the kernel destroys with their last thread, fd or
 * socket. The link-local IPv4 /30 and a ULA IPv6 /64 are never routed beyond the pair.
 *
 * <p>In the proxy namespace an IPv4 listener may bind any address (the local route makes every
 * address local); an IPv6 listener should bind {@code ::} (binding a specific address that no
 * interface holds needs {@code IPV6_FREEBIND}).
 */
public record ProxyLink(String sandboxName, String proxyName,
                        Inet4Address sandboxV4, Inet4Address proxyV4,
                        Inet6Address sandboxV6, Inet6Address proxyV6) {

    /** Prefix length of the IPv4 pair: exactly two hosts. */
    public static final int V4_PREFIX = 30;
    /** Prefix length of the IPv6 pair. */
    public static final int V6_PREFIX = 64;

    /** halt0/halt1, 169.254.77.1 and .2, fd68:616c:74::1 and ::2 ("hal" "t" in the ULA's global id). */
    public static final ProxyLink DEFAULT = new ProxyLink("halt0", "halt1",
        v4("169.254.77.1"), v4("169.254.77.2"), v6("fd68:616c:74::1"), v6("fd68:616c:74::2"));

    public ProxyLink {
        Netlink.checkName(sandboxName);
        Netlink.checkName(proxyName);
        Objects.requireNonNull(sandboxV4, "sandboxV4");
        Objects.requireNonNull(proxyV4, "proxyV4");
        Objects.requireNonNull(sandboxV6, "sandboxV6");
        Objects.requireNonNull(proxyV6, "proxyV6");
    }

    private static Inet4Address v4(String literal) {
        return (Inet4Address) literal(literal);
    }

    private static Inet6Address v6(String literal) {
        return (Inet6Address) literal(literal);
    }

    private static InetAddress literal(String literal) {
        try {
            // An address literal: InetAddress parses it, no name lookup happens.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Wires the calling thread's namespace (the sandbox: call this on the jailer after
     * {@code unshare(CLONE_NEWNET)}) to {@code proxy}: creates the pair with the peer placed
     * directly in {@code proxy}, then configures both ends as described above (the IPv6 half
     * only when the kernel has IPv6, see {@link #ipv6Available()}), and returns once
     * both ends pass packets. Waits at most {@code timeout} for each step that waits (the proxy
     * side's tasks, each end's activation). Starts no thread.
     */
    public void wire(NetworkNamespace proxy, Duration timeout) throws Exception {
        // A kernel without IPv6 (ipv6.disable=1) refuses every IPv6 request: wire IPv4 alone there.
        boolean ipv6 = ipv6Available();
        int sandboxIndex;
        try (var netlink = Netlink.open()) {
            netlink.linkUp("lo");
            netlink.createVethPair(sandboxName, proxyName, proxy.fd());
            sandboxIndex = netlink.linkIndex(sandboxName);
            netlink.addAddress(sandboxIndex, sandboxV4, V4_PREFIX);
            if (ipv6) netlink.addAddress(sandboxIndex, sandboxV6, V6_PREFIX);
        }
        proxy.call(timeout, () -> {
            try (var netlink = Netlink.open()) {
                netlink.linkUp("lo");
                int loopback = netlink.linkIndex("lo");
                int index = netlink.linkIndex(proxyName);
                netlink.addAddress(index, proxyV4, V4_PREFIX);
                if (ipv6) netlink.addAddress(index, proxyV6, V6_PREFIX);
                netlink.linkUp(index);
                netlink.addLocalRoute(loopback, InetAddress.getByAddress(new byte[4]), 0);
                if (ipv6) netlink.addLocalRoute(loopback, InetAddress.getByAddress(new byte[16]), 0);
            }
            return null;
        });
        try (var netlink = Netlink.open()) {
            netlink.linkUp(sandboxIndex);
            // Until the kernel has activated both ends (asynchronously, after the carrier change)
            // they drop packets: measured, the child's first IPv6 connection then lost its SYN
            // and waited a full retransmission timeout (1 s). Wait for both before going on.
            netlink.awaitRunning(sandboxIndex, timeout);
            // The gateways are on-link only once the addresses and the link are up.
            netlink.addDefaultRoute(proxyV4, sandboxIndex);
            if (ipv6) netlink.addDefaultRoute(proxyV6, sandboxIndex);
        }
        proxy.call(timeout, () -> {
            try (var netlink = Netlink.open()) {
                return netlink.awaitRunning(netlink.linkIndex(proxyName), timeout);
            }
        });
    }

    /** Whether this kernel has IPv6 at all ({@code /proc/net/if_inet6} exists only then). */
    public static boolean ipv6Available() {
        return Files.exists(Path.of("/proc/net/if_inet6"));
    }
}
