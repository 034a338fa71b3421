package dev.halt.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the proxy lets a child reach, and its limits: the proxy's part of a sandbox policy (config
 * table {@code [proxy]}), immutable and validated once, here. The config file, the command line and
 * code that embeds halt all build this one value; the proxy reads it as given (a running proxy
 * holds it behind one reference, so a whole new policy can replace it at once).
 *
 * <p>Defaults ({@link #DEFAULTS}): empty allow- and denylist (nothing is reachable until a domain
 * is allowed), the nameservers of {@code /etc/resolv.conf}, DNS answers cached at most 300 s, 30 s
 * to connect upstream, 60 s without a byte before a connection is closed, local destinations
 * refused, at most 1024 concurrent connections.
 *
 * <p>Problems name the config key ({@code max_connections}, ...), since that is where a user sets
 * the value.
 *
 * @param allowlist              names the child may reach ({@code domain_allowlist}); without
 *                               duplicates, in order of first appearance
 * @param denylist               names refused even when the allowlist matches them
 *                               ({@code domain_denylist}); deny wins
 * @param upstreamDns            nameservers to ask ({@code upstream_dns}); empty means those of
 *                               {@code /etc/resolv.conf}
 * @param dnsTtl                 the longest time an answer is cached and handed out
 *                               ({@code dns_ttl_seconds})
 * @param connectTimeout         how long to wait for an upstream connection
 *                               ({@code tcp_connect_timeout_secs})
 * @param idleTimeout            a connection with no bytes either way for this long is closed
 *                               ({@code tcp_idle_timeout_secs})
 * @param allowLocalDestinations whether an allowed name may resolve to loopback, private,
 *                               link-local, CGNAT, ULA, unspecified or multicast addresses, or to
 *                               this machine's own ({@code allow_local_destinations}; off: the
 *                               DNS-rebinding defence)
 * @param maxConnections         the cap on concurrent client connections, all listeners together
 *                               ({@code max_connections})
 */
public record ProxyPolicy(
        List<DomainPattern> allowlist,
        List<DomainPattern> denylist,
        List<InetSocketAddress> upstreamDns,
        Duration dnsTtl,
        Duration connectTimeout,
        Duration idleTimeout,
        boolean allowLocalDestinations,
        int maxConnections) {

    /** The largest {@code dns_ttl_seconds}. */
    public static final long MAX_DNS_TTL_SECONDS = 86_400;
    /** The largest {@code tcp_connect_timeout_secs}. */
    public static final long MAX_CONNECT_TIMEOUT_SECONDS = 3_600;
    /** The largest {@code tcp_idle_timeout_secs}. */
    public static final long MAX_IDLE_TIMEOUT_SECONDS = 7 * 86_400;
    /** The largest {@code max_connections}. */
    public static final int MAX_CONNECTIONS_LIMIT = 1_000_000;

    /** The policy used when nothing is configured: the only place the defaults are written. */
    public static final ProxyPolicy DEFAULTS = new ProxyPolicy(List.of(), List.of(), List.of(),
            Duration.ofSeconds(300), Duration.ofSeconds(30), Duration.ofSeconds(60), false, 1024);

    /** @throws IllegalArgumentException naming every value that is out of range */
    public ProxyPolicy {
        allowlist = unique(allowlist, "allowlist");
        denylist = unique(denylist, "denylist");
        upstreamDns = unique(upstreamDns, "upstreamDns");
        var problems = new ArrayList<String>();
        checkDuration(dnsTtl, "dns_ttl_seconds", MAX_DNS_TTL_SECONDS, problems);
        checkDuration(connectTimeout, "tcp_connect_timeout_secs", MAX_CONNECT_TIMEOUT_SECONDS, problems);
        checkDuration(idleTimeout, "tcp_idle_timeout_secs", MAX_IDLE_TIMEOUT_SECONDS, problems);
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
            problems.add("max_connections must be from 1 to " + MAX_CONNECTIONS_LIMIT + ", got " + maxConnections);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder holding this policy's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The ports a transparent listener serves: 80, 443 and every port an allowlist entry names
     * ({@code github.com:22}), sorted.
     */
    public SortedSet<Integer> transparentPorts() {
        var ports = new TreeSet<>(List.of(80, 443));
        for (var pattern : allowlist) {
            if (pattern.port() != DomainPattern.ANY_PORT) ports.add(pattern.port());
        }
        return java.util.Collections.unmodifiableSortedSet(ports);
    }

    /**
     * The list without null and without repeats (equal patterns are one entry: {@link DomainPattern}
     * is already canonical), keeping the first instance of each.
     */
    private static <T> List<T> unique(List<T> list, String name) {
        Objects.requireNonNull(list, name);
        var set = new LinkedHashSet<T>();
        for (var element : list) {
            set.add(Objects.requireNonNull(element, name + " entry"));
        }
        return List.copyOf(set);
    }

    private static void checkDuration(Duration value, String key, long maxSeconds, List<String> problems) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofSeconds(maxSeconds)) > 0) {
            problems.add(key + " must be more than 0 and at most " + maxSeconds + " seconds, got " + value);
        }
    }

    /** Mutable builder of {@link ProxyPolicy}; {@link #build()} validates. */
    public static final class Builder {
        private final List<DomainPattern> allow;
        private final List<DomainPattern> deny;
        private final List<InetSocketAddress> upstreamDns;
        private Duration dnsTtl;
        private Duration connectTimeout;
        private Duration idleTimeout;
        private boolean allowLocalDestinations;
        private int maxConnections;

        private Builder(ProxyPolicy from) {
            allow = new ArrayList<>(from.allowlist);
            deny = new ArrayList<>(from.denylist);
            upstreamDns = new ArrayList<>(from.upstreamDns);
            dnsTtl = from.dnsTtl;
            connectTimeout = from.connectTimeout;
            idleTimeout = from.idleTimeout;
            allowLocalDestinations = from.allowLocalDestinations;
            maxConnections = from.maxConnections;
        }

        /** Adds allowlist entries. */
        public Builder allow(DomainPattern... patterns) {
            allow.addAll(List.of(patterns));
            return this;
        }

        /**
         * Adds allowlist entries written as text, parsed here with {@link DomainPattern#parse}.
         *
         * @throws IllegalArgumentException naming the first bad entry
         */
        public Builder allow(String... patterns) {
            for (var p : patterns) allow.add(DomainPattern.parse(p));
            return this;
        }

        /** Adds denylist entries. */
        public Builder deny(DomainPattern... patterns) {
            deny.addAll(List.of(patterns));
            return this;
        }

        /**
         * Adds denylist entries written as text, parsed here with {@link DomainPattern#parse}.
         *
         * @throws IllegalArgumentException naming the first bad entry
         */
        public Builder deny(String... patterns) {
            for (var p : patterns) deny.add(DomainPattern.parse(p));
            return this;
        }

        /** Adds a nameserver ({@link Nameservers#parse} reads one from text). */
        public Builder upstreamDns(InetSocketAddress nameserver) {
            upstreamDns.add(Objects.requireNonNull(nameserver, "nameserver"));
            return this;
        }

        /** {@code dns_ttl_seconds}. */
        public Builder dnsTtl(Duration value) {
            dnsTtl = value;
            return this;
        }

        /** {@code tcp_connect_timeout_secs}. */
        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** {@code tcp_idle_timeout_secs}. */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        /** {@code allow_local_destinations}. */
        public Builder allowLocalDestinations(boolean value) {
            allowLocalDestinations = value;
            return this;
        }

        /** {@code max_connections}. */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every bad value */
        public ProxyPolicy build() {
            return new ProxyPolicy(allow, deny, upstreamDns, dnsTtl, connectTimeout, idleTimeout,
                    allowLocalDestinations, maxConnections);
        }
    }
}
