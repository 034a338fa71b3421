package dev.halt.proxy;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the proxy needs to run, immutable. Build one with {@link #builder()}.
 *
 * @param allowlist names the child may reach
 * @param denylist names refused even if the allowlist matches them
 * @param upstreamDns DNS servers to ask; empty means the nameservers of {@code /etc/resolv.conf}
 * @param dnsTtlCap the longest time an answer is cached and handed out ({@code dns_ttl_seconds})
 * @param dnsTimeout how long to wait for one upstream DNS answer before trying the next server
 * @param dnsAttempts how many rounds over the upstream servers before giving up
 * @param connectTimeout {@code tcp_connect_timeout_secs}
 * @param idleTimeout {@code tcp_idle_timeout_secs}: a connection with no bytes either way for this
 *     long is closed
 * @param peekTimeout how long the transparent listener waits for the client's first bytes (TLS
 *     ClientHello or HTTP head) before deciding on the address alone (server-speaks-first protocols)
 * @param maxConnections the cap on concurrent client connections, all listeners together
 * @param allowLocalDestinations whether names may resolve to loopback, private, link-local,
 *     CGNAT, ULA, unspecified or multicast addresses, or this machine's own ({@code allow_local_destinations})
 * @param hostAddresses this machine's own addresses (of the namespace the proxy connects from):
 *     a destination among them is local too. Asked at start, then again at most once a second
 *     when a destination is not in the last answer; it may throw to say it cannot tell, and the
 *     proxy then refuses what it cannot check. Default: the interfaces the JDK lists
 * @param hostsFile the hosts file consulted before DNS, or {@code null} for none
 * @param resolvConf where to find nameservers when {@code upstreamDns} is empty
 * @param log where decisions go
 * @param dialer how allowed destinations are connected to; {@link Dialer#DIRECT} but in tests,
 *     which route them to loopback origins
 */
public record ProxyConfig(
        List<DomainPattern> allowlist,
        List<DomainPattern> denylist,
        List<InetSocketAddress> upstreamDns,
        Duration dnsTtlCap,
        Duration dnsTimeout,
        int dnsAttempts,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration peekTimeout,
        int maxConnections,
        boolean allowLocalDestinations,
        Supplier<Set<InetAddress>> hostAddresses,
        Path hostsFile,
        Path resolvConf,
        LogOptions log,
        Dialer dialer) {

    /**
     * Decision-log sinks.
     *
     * @param jsonLinesFile a file that receives one JSON object per decision ({@code --log FILE}),
     *     or {@code null}
     * @param console where the one-line-per-refused-host notices and the exit summary go
     *     (normally {@code System.err}; never {@code null}: this sink is always on)
     * @param consoleLinesPerMinute rate limit of refusal notices on the console
     * @param summaryOnClose whether {@link ProxyServer#close()} prints the summary to the console
     * @param listener an extra in-process observer of every event (tests, the CLI), or {@code null}
     */
    public record LogOptions(Path jsonLinesFile, PrintStream console, int consoleLinesPerMinute,
                             boolean summaryOnClose, Consumer<DecisionEvent> listener) {
        /** Validates. */
        public LogOptions {
            Objects.requireNonNull(console, "console");
            if (consoleLinesPerMinute < 0) {
                throw new IllegalArgumentException("consoleLinesPerMinute must be >= 0");
            }
        }

        /** stderr, 60 lines a minute, summary on close, no file. */
        public static LogOptions defaults() {
            return new LogOptions(null, System.err, 60, true, null);
        }
    }

    /** Validates and copies. */
    public ProxyConfig {
        allowlist = List.copyOf(allowlist);
        denylist = List.copyOf(denylist);
        upstreamDns = List.copyOf(upstreamDns);
        requirePositive(dnsTtlCap, "dnsTtlCap");
        requirePositive(dnsTimeout, "dnsTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(peekTimeout, "peekTimeout");
        if (dnsAttempts < 1) {
            throw new IllegalArgumentException("dnsAttempts must be >= 1, got " + dnsAttempts);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        Objects.requireNonNull(hostAddresses, "hostAddresses");
        Objects.requireNonNull(resolvConf, "resolvConf");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(dialer, "dialer");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /**
     * Parses one {@code upstream_dns} entry: an IP address with an optional port, default 53
     * ({@code 8.8.8.8}, {@code 8.8.8.8:53}, {@code 2001:db8::1}, {@code [2001:db8::1]:5353}).
     *
     * @throws IllegalArgumentException naming the entry and the problem (host names are refused:
     *     resolving the resolver would need a resolver)
     */
    public static InetSocketAddress parseDnsServer(String text) {
        String quoted = "\"" + text + "\"";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(quoted + ": empty DNS server");
        }
        var bare = HostPort.literal(text);
        if (bare != null && text.indexOf(':') >= 0 && !text.startsWith("[")) {
            return new InetSocketAddress(bare, 53); // an unbracketed IPv6 address
        }
        HostPort hp;
        try {
            hp = HostPort.parseAuthority(text, 53);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + ": not an address[:port] (" + e.getMessage() + ")");
        }
        if (hp.address() == null) {
            throw new IllegalArgumentException(quoted + ": a DNS server must be an IP address, not a host name");
        }
        return new InetSocketAddress(hp.address(), hp.port());
    }

    /** A builder with the defaults of halt's README (TTL 300 s, connect 30 s, idle 60 s). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a changed copy (the CLI's {@code --log}). */
    public Builder toBuilder() {
        var b = new Builder();
        b.allow.addAll(allowlist);
        b.deny.addAll(denylist);
        b.dns.addAll(upstreamDns);
        b.dnsTtlCap = dnsTtlCap;
        b.dnsTimeout = dnsTimeout;
        b.dnsAttempts = dnsAttempts;
        b.connectTimeout = connectTimeout;
        b.idleTimeout = idleTimeout;
        b.peekTimeout = peekTimeout;
        b.maxConnections = maxConnections;
        b.allowLocal = allowLocalDestinations;
        b.hostAddresses = hostAddresses;
        b.hostsFile = hostsFile;
        b.resolvConf = resolvConf;
        b.log = log;
        b.dialer = dialer;
        return b;
    }

    /** Mutable builder of {@link ProxyConfig}. */
    public static final class Builder {
        private final List<DomainPattern> allow = new ArrayList<>();
        private final List<DomainPattern> deny = new ArrayList<>();
        private final List<InetSocketAddress> dns = new ArrayList<>();
        private Duration dnsTtlCap = Duration.ofSeconds(300);
        private Duration dnsTimeout = Duration.ofSeconds(2);
        private int dnsAttempts = 2;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration peekTimeout = Duration.ofSeconds(1);
        private int maxConnections = 4096;
        private boolean allowLocal;
        private Supplier<Set<InetAddress>> hostAddresses = HostAddresses::ofInterfaces;
        private Path hostsFile = Path.of("/etc/hosts");
        private Path resolvConf = Path.of("/etc/resolv.conf");
        private LogOptions log = LogOptions.defaults();
        private Dialer dialer = Dialer.DIRECT;

        private Builder() {}

        /** Adds allowlist entries, parsed with {@link DomainPattern#parse(String)}. */
        public Builder allow(String... patterns) {
            for (String p : patterns) allow.add(DomainPattern.parse(p));
            return this;
        }

        /** Adds denylist entries, parsed with {@link DomainPattern#parse(String)}. */
        public Builder deny(String... patterns) {
            for (String p : patterns) deny.add(DomainPattern.parse(p));
            return this;
        }

        /** Adds allowlist entries. */
        public Builder allowPatterns(List<DomainPattern> patterns) { allow.addAll(patterns); return this; }

        /** Adds denylist entries. */
        public Builder denyPatterns(List<DomainPattern> patterns) { deny.addAll(patterns); return this; }

        /** Adds an upstream DNS server. */
        public Builder upstreamDns(InetSocketAddress server) { dns.add(server); return this; }

        /** {@code dns_ttl_seconds}. */
        public Builder dnsTtlCap(Duration d) { dnsTtlCap = d; return this; }

        /** Per-server upstream DNS timeout. */
        public Builder dnsTimeout(Duration d) { dnsTimeout = d; return this; }

        /** Rounds over the upstream servers. */
        public Builder dnsAttempts(int n) { dnsAttempts = n; return this; }

        /** {@code tcp_connect_timeout_secs}. */
        public Builder connectTimeout(Duration d) { connectTimeout = d; return this; }

        /** {@code tcp_idle_timeout_secs}. */
        public Builder idleTimeout(Duration d) { idleTimeout = d; return this; }

        /** Transparent listener's wait for the client's first bytes. */
        public Builder peekTimeout(Duration d) { peekTimeout = d; return this; }

        /** Concurrent connection cap. */
        public Builder maxConnections(int n) { maxConnections = n; return this; }

        /** {@code allow_local_destinations}. */
        public Builder allowLocalDestinations(boolean b) { allowLocal = b; return this; }

        /** Where this machine's own addresses come from (see {@link ProxyConfig#hostAddresses()}). */
        public Builder hostAddresses(Supplier<Set<InetAddress>> s) { hostAddresses = s; return this; }

        /** Hosts file, or {@code null} for none. */
        public Builder hostsFile(Path p) { hostsFile = p; return this; }

        /** resolv.conf used when no upstream DNS server is given. */
        public Builder resolvConf(Path p) { resolvConf = p; return this; }

        /** Decision-log sinks. */
        public Builder log(LogOptions l) { log = l; return this; }

        /** How allowed destinations are connected to (see {@link ProxyConfig#dialer()}). */
        public Builder dialer(Dialer d) { dialer = d; return this; }

        /** The immutable config. */
        public ProxyConfig build() {
            return new ProxyConfig(allow, deny, dns, dnsTtlCap, dnsTimeout, dnsAttempts, connectTimeout, idleTimeout,
                    peekTimeout, maxConnections, allowLocal, hostAddresses, hostsFile, resolvConf, log, dialer);
        }
    }
}
