package dev.halt.proxy;

import dev.halt.proxy.dns.DnsException;
import dev.halt.proxy.dns.Resolver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The shared state of one running proxy and the decision every listener makes before it
 * connects anywhere: policy for the name, resolution by halt's resolver, the destination-address
 * checks, and the connect itself (from the calling thread, so in the host network namespace).
 */
final class Engine {
    /** Why a connection could not be made although policy allowed it. */
    enum Failure {
        DNS, DNS_TIMEOUT, TIMEOUT, REFUSED, UNREACHABLE, OTHER;

        int httpStatus() {
            return this == TIMEOUT || this == DNS_TIMEOUT ? 504 : 502;
        }

        int socksReply() {
            return switch (this) {
                case DNS, DNS_TIMEOUT, TIMEOUT -> Socks5.REP_HOST_UNREACHABLE;
                case REFUSED -> Socks5.REP_CONNECTION_REFUSED;
                case UNREACHABLE -> Socks5.REP_NETWORK_UNREACHABLE;
                case OTHER -> Socks5.REP_GENERAL_FAILURE;
            };
        }
    }

    /** The result of {@link #dial}. */
    sealed interface Outcome {
        /** Policy refused: nothing was sent anywhere. */
        record Refused(String host, String reason) implements Outcome {}

        /** Policy allowed, but resolution or connection failed. */
        record Failed(String host, InetAddress ip, Failure failure, String reason) implements Outcome {}

        /** Connected. */
        record Connected(String host, InetAddress ip, SocketChannel channel, String reason) implements Outcome {}
    }

    /**
     * The policy in force and the matcher compiled from it, together: every decision reads them
     * through one reference, once, so a new policy replaces both at once and a decision never
     * sees half of one.
     */
    record Rules(ProxyPolicy policy, DomainMatcher matcher) {
        static Rules of(ProxyPolicy policy) {
            return new Rules(policy, DomainMatcher.of(policy.allowlist(), policy.denylist()));
        }
    }

    /** The configuration at start: the limits and timeouts of its policy are fixed for the run. */
    final ProxyConfig config;
    private volatile Rules rules;
    /** Asked about names no allowlist entry matches ({@code --ask}); null: refused at once. */
    volatile Approver approver;
    final Resolver resolver;
    final DecisionLog log;
    final Connections connections;
    final BufferPool buffers = new BufferPool();
    private final Set<InetSocketAddress> ownListeners = new CopyOnWriteArraySet<>();
    private final HostAddresses hostAddresses;
    private final int connectMillis;
    private final Dialer dialer;

    Engine(ProxyConfig config, Resolver resolver, DecisionLog log) {
        this.config = config;
        this.rules = Rules.of(config.policy());
        this.resolver = resolver;
        this.log = log;
        var policy = config.policy();
        this.connections = new Connections(policy.maxConnections(), policy.idleTimeout());
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, policy.connectTimeout().toMillis());
        this.dialer = config.dialer();
        this.hostAddresses = policy.allowLocalDestinations() ? null : new HostAddresses(config.hostAddresses());
    }

    /** Puts {@code policy}'s lists in force; the limits and timeouts stay those of {@link #config}. */
    void replace(ProxyPolicy policy) {
        rules = Rules.of(policy);
    }

    /** The matcher in force; read it once per decision. */
    DomainMatcher matcher() {
        return rules.matcher();
    }

    /** The policy in force (its lists are what {@link #matcher()} decides by). */
    ProxyPolicy policy() {
        return rules.policy();
    }

    /**
     * Why {@code a} may not be the destination of an allowed name: a loopback, private,
     * link-local (...) address or one of this machine's own; null when it may, or when
     * {@code allow_local_destinations} permits every address.
     */
    String whyLocal(InetAddress a) {
        if (hostAddresses == null) {
            return null;
        }
        if (Addresses.isLocal(a)) {
            return "local address " + a.getHostAddress() + " refused";
        }
        String own = hostAddresses.whyOwn(a);
        return own == null ? null : own + "; refused";
    }

    void addOwnListener(InetSocketAddress a) {
        ownListeners.add(a);
    }

    /**
     * Decides a destination named by a client and, if allowed, connects to it.
     *
     * @param dest a host name or IP literal, and a port
     */
    Outcome dial(HostPort dest) {
        List<InetAddress> candidates;
        String host;
        String reason;
        if (dest.address() != null) {
            InetAddress ip = dest.address();
            host = null;
            String name = allowedNameFor(ip, dest.port());
            if (name == null) {
                return new Outcome.Refused(null, "IP address " + ip.getHostAddress()
                        + " was not recently resolved by halt from an allowed name");
            }
            host = name;
            reason = "address of " + name;
            candidates = List.of(ip);
        } else {
            host = HostNames.normalizeOrNull(dest.host());
            if (host == null) {
                return new Outcome.Refused(dest.host(), "not a valid host name");
            }
            var verdict = checkOrAsk(host, dest.port());
            if (!verdict.allowed()) {
                return new Outcome.Refused(host, verdict.reason());
            }
            reason = verdict.reason();
            try {
                var lookup = resolver.lookup(host);
                if (lookup.addresses().isEmpty()) {
                    return new Outcome.Failed(host, null, Failure.DNS, noAddress(lookup.whyNone()));
                }
                candidates = lookup.addresses();
            } catch (DnsException e) {
                return new Outcome.Failed(host, null, e.isTimeout() ? Failure.DNS_TIMEOUT : Failure.DNS, noAddress(e.getMessage()));
            }
        }
        var usable = new ArrayList<InetAddress>(candidates.size());
        String why = null;
        for (InetAddress a : candidates) {
            String local = whyLocal(a);
            if (local != null) {
                why = local + " (DNS rebinding defence; set allow_local_destinations to permit)";
            } else {
                usable.add(a);
            }
        }
        if (usable.isEmpty()) {
            return new Outcome.Refused(host, why);
        }
        return connect(host, usable, dest.port(), reason);
    }

    /** Whether a name may be reached, and why. */
    record Check(boolean allowed, String reason) {}

    /**
     * The policy's verdict on a normalized name. When no allowlist entry matches and an approver is
     * set, the request is held while the approver is asked; an approval for the run widened the
     * policy, whose verdict then stands, and an approval of this request alone ({@code once})
     * lets it through unless the denylist now refuses the name.
     */
    Check checkOrAsk(String host, int port) {
        var verdict = matcher().checkNormalized(host, port);
        var asked = approver;
        if (!(verdict instanceof DomainMatcher.Verdict.NotAllowed) || asked == null) {
            return new Check(verdict.allowed(), verdict.reason());
        }
        var answer = asked.approve(host, port);
        if (!answer.allowed()) return new Check(false, verdict.reason() + "; " + answer.reason());
        var now = matcher().checkNormalized(host, port);
        if (now instanceof DomainMatcher.Verdict.Denied) return new Check(false, now.reason());
        return new Check(true, now.allowed() ? now.reason() : answer.reason());
    }

    /** The reason of a failure to resolve an allowed name: {@code no address (upstream DNS NXDOMAIN)}. */
    static String noAddress(String why) {
        return "no address (" + why + ")";
    }

    /** An allowed name that recently resolved to {@code ip}, allowed on {@code port}; else {@code null}. */
    String allowedNameFor(InetAddress ip, int port) {
        var matcher = matcher();
        for (String n : resolver.namesFor(ip)) {
            if (matcher.checkNormalized(n, port).allowed()) {
                return n;
            }
        }
        return null;
    }

    /** Connects to the first address that answers, each within the connect timeout. */
    Outcome connect(String host, List<InetAddress> addresses, int port, String reason) {
        Failure failure = Failure.OTHER;
        String message = "no address";
        InetAddress last = null;
        for (InetAddress a : addresses) {
            last = a;
            InetSocketAddress target = dialer.route(new InetSocketAddress(a, port));
            if (isOwnListener(target.getAddress(), target.getPort())) {
                // Connecting to ourselves would loop, and would let a refused request in again.
                return new Outcome.Refused(host, "destination " + Engine.describe(target) + " is halt's own listener");
            }
            try {
                return new Outcome.Connected(host, a, dialer.connect(target, connectMillis), reason);
            } catch (SocketTimeoutException e) {
                failure = Failure.TIMEOUT;
                message = "connect to " + a.getHostAddress() + ":" + port + " timed out after " + connectMillis + " ms";
            } catch (ConnectException e) {
                failure = Failure.REFUSED;
                message = "connection to " + a.getHostAddress() + ":" + port + " refused";
            } catch (NoRouteToHostException e) {
                failure = Failure.UNREACHABLE;
                message = "no route to " + a.getHostAddress();
            } catch (IOException e) {
                failure = Failure.OTHER;
                message = "connect to " + a.getHostAddress() + ":" + port + " failed: " + e.getMessage();
            }
        }
        return new Outcome.Failed(host, last, failure, message);
    }

    boolean isOwnListener(InetAddress a, int port) {
        for (InetSocketAddress l : ownListeners) {
            if (l.getPort() != port) {
                continue;
            }
            InetAddress la = l.getAddress();
            if (la.equals(a)) {
                return true;
            }
            if (la.isAnyLocalAddress() && (a.isLoopbackAddress() || a.isAnyLocalAddress() || isInterfaceAddress(a))) {
                return true;
            }
            if (la.isLoopbackAddress() && a.isAnyLocalAddress()) {
                return true;
            }
        }
        return false;
    }

    private boolean isInterfaceAddress(InetAddress a) {
        Set<InetAddress> mine = interfaceAddresses;
        if (mine == null) {
            // Enumerating interfaces costs tens of microseconds: once per proxy, not per connection.
            try {
                mine = Set.copyOf(HostAddresses.ofInterfaces());
            } catch (IllegalStateException e) {
                return true; // cannot tell: assume the worst
            }
            interfaceAddresses = mine;
        }
        return mine.contains(a);
    }

    private volatile Set<InetAddress> interfaceAddresses;

    /**
     * For tunnels (CONNECT, SOCKS5) to {@code dialled}: if the client opens with a TLS ClientHello,
     * its server name must be that name, or allowed too. Otherwise a tunnel to an allowed CDN address
     * could carry a handshake for any site behind it (domain fronting). Other protocols pass unexamined.
     */
    Relay.Inspector sniInspector(int port, String dialled) {
        return (b, len) -> {
            if ((b[0] & 0xff) != 0x16) {
                return "";
            }
            return switch (TlsClientHello.parse(b, len)) {
                case Parse.More<java.util.Optional<String>> m -> null;
                case Parse.Bad<java.util.Optional<String>> bad -> "unparseable TLS ClientHello: " + bad.reason();
                case Parse.Done<java.util.Optional<String>> d -> {
                    if (d.value().isEmpty()) {
                        yield "";
                    }
                    String sni = d.value().get();
                    String n = HostNames.normalizeOrNull(sni);
                    if (n != null && n.equals(dialled)) {
                        yield ""; // the name this tunnel was allowed for, by the policy or at the prompt
                    }
                    var verdict = n == null ? new DomainMatcher.Verdict.NotAllowed("not a valid host name") : matcher().checkNormalized(n, port);
                    yield verdict.allowed() ? "" : "TLS server name " + sni + ": " + verdict.reason() + " (domain fronting defence)";
                }
            };
        };
    }

    void event(DecisionEvent.Via via, String client, String host, int port, InetAddress ip,
               DecisionEvent.Decision decision, String reason, long up, long down, long startNanos) {
        long d = startNanos == 0 ? 0 : Math.max(0, System.nanoTime() - startNanos);
        // A connection is logged when it ends (to carry its byte counts), stamped when decided.
        log.record(new DecisionEvent(Instant.now().minusNanos(d), via, client, host, port, ip == null ? null : ip.getHostAddress(),
                decision, reason, up, down, Duration.ofNanos(Math.max(0, d))));
    }

    /** Logs a finished tunnel (CONNECT, SOCKS5): allowed, or refused by the first-bytes inspector. */
    void tunnelEnded(DecisionEvent.Via via, String client, Outcome.Connected c, int port, Relay.Totals t, long start) {
        if (t.refused() != null) {
            event(via, client, c.host(), port, c.ip(), DecisionEvent.Decision.REFUSED, t.refused(), t.up(), t.down(), start);
        } else {
            event(via, client, c.host(), port, c.ip(), DecisionEvent.Decision.ALLOWED, c.reason(), t.up(), t.down(), start);
        }
    }

    void logOutcome(DecisionEvent.Via via, String client, int port, Outcome o) {
        switch (o) {
            case Outcome.Refused r -> event(via, client, r.host(), port, null, DecisionEvent.Decision.REFUSED, r.reason(), 0, 0, 0);
            case Outcome.Failed f -> event(via, client, f.host(), port, f.ip(), DecisionEvent.Decision.FAILED, f.reason(), 0, 0, 0);
            case Outcome.Connected c -> { /* logged when the tunnel ends, with its byte counts */ }
        }
    }

    static String describe(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return (i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString()) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
