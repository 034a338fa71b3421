package dev.halt.core.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The proxy's part of a policy (config table {@code [proxy]}). It only matters in
 * {@link NetworkMode#PROXY_ONLY}.
 *
 * <p>Defaults ({@link #DEFAULTS}): empty allow- and denylist (so nothing is reachable until a
 * domain is allowed), the system's nameservers, DNS answers cached at most 300 s, 30 s to
 * connect upstream, 60 s idle before a tunnel is closed, local destinations refused, at most
 * 1024 concurrent connections.
 *
 * @param domainAllowlist        domain patterns the child may reach ({@code example.com},
 *                               {@code *.example.com}, optionally {@code :port}); validated by the
 *                               proxy's pattern syntax
 * @param domainDenylist         domain patterns refused even when allowed; deny wins
 * @param upstreamDns            nameservers to ask; empty means those of {@code /etc/resolv.conf}
 * @param dnsTtl                 the longest a DNS answer is cached ({@code dns_ttl_seconds})
 * @param tcpConnectTimeout      how long to wait for an upstream connection ({@code tcp_connect_timeout_secs})
 * @param tcpIdleTimeout         a tunnel with no bytes either way for this long is closed ({@code tcp_idle_timeout_secs})
 * @param allowLocalDestinations whether an allowed name may resolve to loopback, private,
 *                               link-local or similar addresses (off: DNS-rebinding defence)
 * @param maxConnections         cap on concurrent proxied connections ({@code max_connections})
 */
public record ProxySettings(
        List<String> domainAllowlist,
        List<String> domainDenylist,
        List<InetSocketAddress> upstreamDns,
        Duration dnsTtl,
        Duration tcpConnectTimeout,
        Duration tcpIdleTimeout,
        boolean allowLocalDestinations,
        int maxConnections) {

    /** Limits shared with the config validation, so a file and the API accept the same values. */
    public static final long MAX_DNS_TTL_SECONDS = 86_400;
    public static final long MAX_CONNECT_TIMEOUT_SECONDS = 3_600;
    public static final long MAX_IDLE_TIMEOUT_SECONDS = 7 * 86_400;
    public static final int MAX_CONNECTIONS_LIMIT = 1_000_000;

    /** The settings used when nothing is configured. */
    public static final ProxySettings DEFAULTS = new ProxySettings(List.of(), List.of(), List.of(),
            Duration.ofSeconds(300), Duration.ofSeconds(30), Duration.ofSeconds(60), false, 1024);

    /** @throws IllegalArgumentException naming every value that is out of range or malformed */
    public ProxySettings {
        var problems = new ArrayList<String>();
        domainAllowlist = patterns(domainAllowlist, "domain_allowlist", problems);
        domainDenylist = patterns(domainDenylist, "domain_denylist", problems);
        upstreamDns = List.copyOf(new java.util.LinkedHashSet<>(Objects.requireNonNull(upstreamDns, "upstreamDns")));
        checkSeconds(dnsTtl, "dns_ttl_seconds", MAX_DNS_TTL_SECONDS, problems);
        checkSeconds(tcpConnectTimeout, "tcp_connect_timeout_secs", MAX_CONNECT_TIMEOUT_SECONDS, problems);
        checkSeconds(tcpIdleTimeout, "tcp_idle_timeout_secs", MAX_IDLE_TIMEOUT_SECONDS, problems);
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
            problems.add("max_connections must be between 1 and " + MAX_CONNECTIONS_LIMIT + ", got " + maxConnections);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Parses a nameserver address: an IP literal with an optional port, {@code 8.8.8.8},
     * {@code 8.8.8.8:5353}, {@code 2001:db8::1} or {@code [2001:db8::1]:53}. Port 53 when none
     * is given. Host names are refused: resolving the resolver would need a resolver.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static InetSocketAddress parseNameserver(String text) {
        Objects.requireNonNull(text, "text");
        var s = text.strip();
        String host;
        int port = 53;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\": missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            var rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("\"" + text + "\": expected ':PORT' after ']'");
                }
                portText = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            portText = s.substring(s.indexOf(':') + 1);
        } else {
            host = s; // IPv4 without port, or a bare IPv6 address
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("\"" + text + "\": the port must be a number from 1 to 65535");
            }
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address with an optional port"
                    + " (examples: 8.8.8.8, 8.8.8.8:53, [2001:4860:4860::8888]:53); host names are not accepted");
        }
        return new InetSocketAddress(address, port);
    }

    /** The text form of a nameserver, as {@link #parseNameserver} reads it back. */
    public static String formatNameserver(InetSocketAddress address) {
        var host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static List<String> patterns(List<String> list, String key, List<String> problems) {
        Objects.requireNonNull(list, key);
        var byKey = new LinkedHashMap<String, String>();
        for (var pattern : list) {
            Objects.requireNonNull(pattern, key + " entry");
            DomainPatterns.problem(pattern).ifPresent(p -> problems.add(key + ": " + p));
            byKey.putIfAbsent(DomainPatterns.dedupKey(pattern), pattern.strip());
        }
        return List.copyOf(byKey.values());
    }

    private static void checkSeconds(Duration value, String key, long max, List<String> problems) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero() || value.toSeconds() > max || value.toNanosPart() != 0) {
            problems.add(key + " must be a whole number of seconds from 1 to " + max + ", got " + value);
        }
    }

    /** Mutable builder for {@link ProxySettings}; {@link #build()} validates. */
    public static final class Builder {
        private final List<String> allow;
        private final List<String> deny;
        private final List<InetSocketAddress> upstreamDns;
        private Duration dnsTtl;
        private Duration connectTimeout;
        private Duration idleTimeout;
        private boolean allowLocalDestinations;
        private int maxConnections;

        private Builder(ProxySettings from) {
            allow = new ArrayList<>(from.domainAllowlist);
            deny = new ArrayList<>(from.domainDenylist);
            upstreamDns = new ArrayList<>(from.upstreamDns);
            dnsTtl = from.dnsTtl;
            connectTimeout = from.tcpConnectTimeout;
            idleTimeout = from.tcpIdleTimeout;
            allowLocalDestinations = from.allowLocalDestinations;
            maxConnections = from.maxConnections;
        }

        /** Adds domain patterns to the allowlist. */
        public Builder allow(String... patterns) {
            allow.addAll(List.of(patterns));
            return this;
        }

        /** Adds domain patterns to the denylist. */
        public Builder deny(String... patterns) {
            deny.addAll(List.of(patterns));
            return this;
        }

        /** Adds a nameserver. */
        public Builder upstreamDns(InetSocketAddress nameserver) {
            upstreamDns.add(Objects.requireNonNull(nameserver));
            return this;
        }

        public Builder dnsTtl(Duration value) {
            dnsTtl = value;
            return this;
        }

        public Builder tcpConnectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder tcpIdleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder allowLocalDestinations(boolean value) {
            allowLocalDestinations = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every bad value */
        public ProxySettings build() {
            return new ProxySettings(allow, deny, upstreamDns, dnsTtl, connectTimeout, idleTimeout,
                    allowLocalDestinations, maxConnections);
        }
    }
}
