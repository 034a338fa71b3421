package dev.halt.proxy;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the proxy needs to run, immutable: the {@link ProxyPolicy} it enforces, and how it is
 * wired into this process (decision-log sinks, where the hosts file and resolv.conf are, how its
 * DNS client retries, how it dials). Only the policy comes from the user; the rest is the
 * embedder's. Build one with {@link #builder()}.
 *
 * @param policy what the child may reach, and the limits (the one source of their defaults and
 *     their validation)
 * @param dnsTimeout how long to wait for one upstream DNS answer before trying the next server
 * @param dnsAttempts how many rounds over the upstream servers before giving up
 * @param peekTimeout how long the transparent listener waits for the client's first bytes (TLS
 *     ClientHello or HTTP head) before deciding on the address alone (server-speaks-first protocols)
 * @param hostAddresses this machine's own addresses (of the namespace the proxy connects from):
 *     a destination among them is local too. Asked at start, then again at most once a second
 *     when a destination is not in the last answer; it may throw to say it cannot tell, and the
 *     proxy then refuses what it cannot check. Default: the interfaces the JDK lists
 * @param hostsFile the hosts file consulted before DNS, or {@code null} for none
 * @param resolvConf where to find nameservers when the policy names none
 * @param log where decisions go
 * @param dialer how allowed destinations are connected to; {@link Dialer#DIRECT} but in tests,
 *     which route them to loopback origins
 */
public record ProxyConfig(
        ProxyPolicy policy,
        Duration dnsTimeout,
        int dnsAttempts,
        Duration peekTimeout,
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

    /** Validates. */
    public ProxyConfig {
        Objects.requireNonNull(policy, "policy");
        requirePositive(dnsTimeout, "dnsTimeout");
        requirePositive(peekTimeout, "peekTimeout");
        if (dnsAttempts < 1) {
            throw new IllegalArgumentException("dnsAttempts must be >= 1, got " + dnsAttempts);
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

    /** A builder with {@link ProxyPolicy#DEFAULTS} and this process's files, stderr, direct dialing. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a changed copy. */
    public Builder toBuilder() {
        var b = new Builder();
        b.policy = policy.toBuilder();
        b.dnsTimeout = dnsTimeout;
        b.dnsAttempts = dnsAttempts;
        b.peekTimeout = peekTimeout;
        b.hostAddresses = hostAddresses;
        b.hostsFile = hostsFile;
        b.resolvConf = resolvConf;
        b.log = log;
        b.dialer = dialer;
        return b;
    }

    /**
     * Mutable builder of {@link ProxyConfig}. The policy's setters ({@link #allow}, {@link #maxConnections}, ...)
     * are shortcuts to the {@link ProxyPolicy.Builder} it holds, which keeps the defaults and validates.
     */
    public static final class Builder {
        private ProxyPolicy.Builder policy = ProxyPolicy.builder();
        private Duration dnsTimeout = Duration.ofSeconds(2);
        private int dnsAttempts = 2;
        private Duration peekTimeout = Duration.ofSeconds(1);
        private Supplier<Set<InetAddress>> hostAddresses = HostAddresses::ofInterfaces;
        private Path hostsFile = Path.of("/etc/hosts");
        private Path resolvConf = Path.of("/etc/resolv.conf");
        private LogOptions log = LogOptions.defaults();
        private Dialer dialer = Dialer.DIRECT;

        private Builder() {}

        /** The policy to enforce, replacing what the shortcuts set so far. */
        public Builder policy(ProxyPolicy p) { policy = p.toBuilder(); return this; }

        /** Adds allowlist entries ({@link ProxyPolicy.Builder#allow(String...)}). */
        public Builder allow(String... patterns) { policy.allow(patterns); return this; }

        /** Adds denylist entries ({@link ProxyPolicy.Builder#deny(String...)}). */
        public Builder deny(String... patterns) { policy.deny(patterns); return this; }

        /** Adds an upstream DNS server. */
        public Builder upstreamDns(InetSocketAddress server) { policy.upstreamDns(server); return this; }

        /** {@code dns_ttl_seconds}. */
        public Builder dnsTtl(Duration d) { policy.dnsTtl(d); return this; }

        /** {@code tcp_connect_timeout_secs}. */
        public Builder connectTimeout(Duration d) { policy.connectTimeout(d); return this; }

        /** {@code tcp_idle_timeout_secs}. */
        public Builder idleTimeout(Duration d) { policy.idleTimeout(d); return this; }

        /** {@code max_connections}. */
        public Builder maxConnections(int n) { policy.maxConnections(n); return this; }

        /** {@code allow_local_destinations}. */
        public Builder allowLocalDestinations(boolean b) { policy.allowLocalDestinations(b); return this; }

        /** Per-server upstream DNS timeout. */
        public Builder dnsTimeout(Duration d) { dnsTimeout = d; return this; }

        /** Rounds over the upstream servers. */
        public Builder dnsAttempts(int n) { dnsAttempts = n; return this; }

        /** Transparent listener's wait for the client's first bytes. */
        public Builder peekTimeout(Duration d) { peekTimeout = d; return this; }

        /** Where this machine's own addresses come from (see {@link ProxyConfig#hostAddresses()}). */
        public Builder hostAddresses(Supplier<Set<InetAddress>> s) { hostAddresses = s; return this; }

        /** Hosts file, or {@code null} for none. */
        public Builder hostsFile(Path p) { hostsFile = p; return this; }

        /** resolv.conf used when the policy names no upstream DNS server. */
        public Builder resolvConf(Path p) { resolvConf = p; return this; }

        /** Decision-log sinks. */
        public Builder log(LogOptions l) { log = l; return this; }

        /** How allowed destinations are connected to (see {@link ProxyConfig#dialer()}). */
        public Builder dialer(Dialer d) { dialer = d; return this; }

        /** The immutable config. */
        public ProxyConfig build() {
            return new ProxyConfig(policy.build(), dnsTimeout, dnsAttempts, peekTimeout, hostAddresses, hostsFile, resolvConf,
                    log, dialer);
        }
    }
}
