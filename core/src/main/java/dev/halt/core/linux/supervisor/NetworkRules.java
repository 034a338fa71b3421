package dev.halt.core.linux.supervisor;

import dev.halt.core.policy.NetworkMode;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rootless network policy the supervisor serves, decided on addresses halt copied: which
 * destinations a {@code connect} may reach and which addresses a {@code bind} may take.
 *
 * <ul>
 * <li>{@code proxy_only}: connect only to the proxy's exact address and port;</li>
 * <li>{@code localhost_only}: connect only to a loopback address (127.0.0.0/8, ::1, their IPv4-mapped
 *     forms, and the unspecified address, which the kernel connects to this host) on one of
 *     {@code localhost_ports};</li>
 * <li>{@code blocked}: no connect;</li>
 * <li>in every mode, with {@code allow_local_binding}: bind on a loopback address (a wildcard bind is
 *     moved to loopback, see {@link #bindAddress}) and connect to what the child bound that way;</li>
 * <li>in every mode, connect to 127.0.0.1 on one of {@code hostPorts} (the exposed host ports): that
 *     address only, as with privileges, not the rest of 127.0.0.0/8 or {@code ::1}.</li>
 * </ul>
 *
 * @param mode              the isolated network mode
 * @param proxy             the proxy's address in {@code proxy_only}, else null
 * @param localhostPorts    {@code [sandbox] localhost_ports}
 * @param allowLocalBinding {@code [sandbox] allow_local_binding}
 * @param allowUnixSockets  {@code [sandbox] allow_unix_sockets}
 * @param hostPorts         the exposed host ports ({@code [sandbox] host_ports}), reachable on 127.0.0.1 only
 */
public record NetworkRules(NetworkMode mode, InetSocketAddress proxy, Set<Integer> localhostPorts,
                           boolean allowLocalBinding, boolean allowUnixSockets, Set<Integer> hostPorts) {

    public NetworkRules {
        Objects.requireNonNull(mode, "mode");
        if (mode == NetworkMode.UNRESTRICTED) throw new IllegalArgumentException("unrestricted has no network rules");
        if (mode == NetworkMode.PROXY_ONLY) Objects.requireNonNull(proxy, "proxy_only needs the proxy's address");
        localhostPorts = Set.copyOf(localhostPorts);
        hostPorts = Set.copyOf(hostPorts);
    }

    /** Rules without exposed host ports. */
    public NetworkRules(NetworkMode mode, InetSocketAddress proxy, Set<Integer> localhostPorts, boolean allowLocalBinding,
                        boolean allowUnixSockets) {
        this(mode, proxy, localhostPorts, allowLocalBinding, allowUnixSockets, Set.of());
    }

    /** An IPv4 or IPv6 destination or local address, IPv4-mapped IPv6 addresses as IPv4. */
    public record Endpoint(InetAddress address, int port) {
        public Endpoint {
            address = unmapped(address);
        }

        // Written out: a record's generated equals and hashCode go through method handles, which run
        // interpreted in a run's first connects (each compared with the proxy's address).
        @Override
        public boolean equals(Object other) {
            return other instanceof Endpoint e && port == e.port && address.equals(e.address);
        }

        @Override
        public int hashCode() {
            return 31 * address.hashCode() + port;
        }

        /** {@code 127.0.0.2:3128}, {@code [::1]:3128}: IPv6 in its short form (RFC 5952), as people write it. */
        @Override
        public String toString() {
            return address instanceof Inet6Address six ? "[" + shortForm(six) + "]:" + port : address.getHostAddress() + ":" + port;
        }

        /** The longest run of two or more zero groups as {@code ::}, the first of equal runs; hex in lower case. */
        static String shortForm(Inet6Address address) {
            var b = address.getAddress();
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            int bestStart = -1, bestLength = 1;
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) { i++; continue; }
                int j = i;
                while (j < 8 && groups[j] == 0) j++;
                if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
                i = j;
            }
            var sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
                sb.append(Integer.toHexString(groups[i]));
            }
            var text = sb.toString();
            int scope = address.getScopeId();
            return scope != 0 ? text + "%" + scope : text;
        }
    }

    /** The verdict on one call: allowed, or refused with a reason for the stderr line. */
    public record Verdict(boolean allowed, String reason) {
        static final Verdict ALLOW = new Verdict(true, null);

        static Verdict refuse(String reason) {
            return new Verdict(false, reason);
        }
    }

    /**
     * Whether a connect to {@code destination} is allowed. {@code ownListeners} holds what the child
     * bound through the supervisor in this run.
     */
    public Verdict connect(Endpoint destination, Set<Endpoint> ownListeners) {
        if (allowLocalBinding && ownListeners.contains(local(destination))) return Verdict.ALLOW;
        if (hostPorts.contains(destination.port()) && destination.address().equals(loopback4())) return Verdict.ALLOW;
        return switch (mode) {
            case PROXY_ONLY -> destination.equals(new Endpoint(proxy.getAddress(), proxy.getPort()))
                ? Verdict.ALLOW : Verdict.refuse("not the proxy");
            case LOCALHOST_ONLY -> !isLoopback(destination.address()) ? Verdict.refuse("not loopback")
                : localhostPorts.contains(destination.port()) ? Verdict.ALLOW
                : Verdict.refuse("port " + destination.port() + " is not in localhost_ports"
                    + (allowLocalBinding ? " nor bound by the command" : ""));
            case BLOCKED -> Verdict.refuse("network mode blocked");
            case UNRESTRICTED -> throw new AssertionError("no rules for unrestricted");
        };
    }

    /**
     * The address a {@code bind} to {@code requested} is performed on, or empty when it is refused:
     * loopback as asked; the unspecified address (0.0.0.0, ::, ::ffff:0.0.0.0) moved to loopback of
     * the same family, so that a dev server that listens "on every address" by default works and is
     * reachable from this machine only; anything else refused.
     */
    public Optional<InetAddress> bindAddress(InetAddress requested) {
        if (!allowLocalBinding) return Optional.empty();
        var address = unmapped(requested);
        if (address.isLoopbackAddress()) return Optional.of(address);
        if (address.isAnyLocalAddress()) return Optional.of(address instanceof Inet4Address ? loopback4() : loopback6());
        return Optional.empty();
    }

    /** Why a bind is refused, for the stderr line. */
    public String bindRefusal() {
        return allowLocalBinding ? "not loopback" : "allow_local_binding is off";
    }

    /** 127.0.0.0/8, ::1, and the unspecified address, which a connect reaches on this host. */
    static boolean isLoopback(InetAddress address) {
        var a = unmapped(address);
        return a.isLoopbackAddress() || a.isAnyLocalAddress();
    }

    /** The unspecified address connects to this host: its listeners' loopback form. */
    private static Endpoint local(Endpoint destination) {
        if (!destination.address().isAnyLocalAddress()) return destination;
        return new Endpoint(destination.address() instanceof Inet4Address ? loopback4() : loopback6(), destination.port());
    }

    static InetAddress loopback4() {
        return address(new byte[] {127, 0, 0, 1});
    }

    static InetAddress loopback6() {
        var bytes = new byte[16];
        bytes[15] = 1;
        return address(bytes);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** ::ffff:a.b.c.d as a.b.c.d: the kernel connects an IPv6 socket to it over IPv4. */
    static InetAddress unmapped(InetAddress address) {
        if (!(address instanceof Inet6Address six)) return address;
        var b = six.getAddress();
        for (int i = 0; i < 10; i++) if (b[i] != 0) return address;
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) return address;
        return address(java.util.Arrays.copyOfRange(b, 12, 16));
    }
}
