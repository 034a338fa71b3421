package dev.halt.core.linux;

import dev.halt.core.LaunchException;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.ProxySettings;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyServer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.halt.core.LaunchException.HALT_FAILED;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_BIND_TCP;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_CONNECT_TCP;

/**
 * How one run's network mode is enforced, and what it needs while the child runs (the proxy).
 * Privileged runs get network namespaces; rootless runs get Landlock TCP rules plus the seccomp
 * filter's socket restrictions. Closing it stops the proxy.
 */
final class NetworkSetup implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("halt");

    /** The mechanisms, as {@code halt check} names them. */
    enum Mechanism { NONE, NETNS, LANDLOCK_TCP }

    private final NetworkMode mode;
    private final Mechanism mechanism;
    private final LandlockPlan.TcpRules tcpRules;
    private final ProxyServer proxy;

    private NetworkSetup(NetworkMode mode, Mechanism mechanism, LandlockPlan.TcpRules tcpRules, ProxyServer proxy) {
        this.mode = mode;
        this.mechanism = mechanism;
        this.tcpRules = tcpRules;
        this.proxy = proxy;
    }

    /**
     * Decides the mechanism (as {@code halt check} does) and starts what the mode needs.
     *
     * @param logFile the decision log's JSON-lines file, or null
     */
    static NetworkSetup prepare(SandboxPolicy policy, Credentials credentials, int abi, boolean bestEffort, Path logFile)
            throws LaunchException {
        var mode = policy.networkMode();
        if (mode == NetworkMode.UNRESTRICTED) return new NetworkSetup(mode, Mechanism.NONE, LandlockPlan.TcpRules.NONE, null);
        if (credentials.mayManageNetworkNamespaces()) {
            throw new LaunchException(HALT_FAILED, "network mode " + mode.configName() + " runs in network namespaces"
                + " when halt has privileges, and that mechanism is not built yet. Nothing was run.");
        }
        if (abi < 4) {
            if (!bestEffort) {
                throw new LaunchException(HALT_FAILED, "network mode " + mode.configName() + " cannot be enforced here:"
                    + " without privileges it needs Landlock TCP rules (ABI 4, Linux 6.7), and this kernel has ABI " + abi
                    + ". Run as root, or use --best-effort to run with the network NOT restricted. Nothing was run.");
            }
            LOG.log(Level.WARNING, "best effort: the network is NOT restricted (" + mode.configName()
                + " needs Landlock ABI 4 without privileges; this kernel has " + abi + ")");
            return new NetworkSetup(mode, Mechanism.NONE, LandlockPlan.TcpRules.NONE, null);
        }
        long connectAndBind = LANDLOCK_ACCESS_NET_CONNECT_TCP() | LANDLOCK_ACCESS_NET_BIND_TCP();
        // allow_local_binding: leave bind unhandled, so every port may be bound.
        long handled = policy.allowLocalBinding() ? LANDLOCK_ACCESS_NET_CONNECT_TCP() : connectAndBind;
        var ports = new LinkedHashMap<Integer, Long>();
        ProxyServer proxy = null;
        switch (mode) {
            case BLOCKED -> { }
            case LOCALHOST_ONLY -> {
                policy.localhostPorts().forEach(p -> ports.put(p, connectAndBind & handled));
                LOG.log(Level.WARNING, "localhost_only without privileges: Landlock allows TCP to ports "
                    + policy.localhostPorts() + " but cannot tell addresses apart, so those ports are reachable on every"
                    + " address, not only loopback (run as root for a namespace that has only lo)");
            }
            case PROXY_ONLY -> {
                proxy = startLoopbackProxy(policy.proxy(), logFile);
                ports.put(proxy.proxyAddress().getPort(), LANDLOCK_ACCESS_NET_CONNECT_TCP());
            }
            case UNRESTRICTED -> throw new AssertionError("handled above");
        }
        var rules = new LandlockPlan.TcpRules(handled, ports);
        LOG.log(Level.INFO, "network " + mode.configName() + ": Landlock TCP rules (handled "
            + (handled == connectAndBind ? "connect and bind" : "connect") + ", allowed ports " + ports.keySet()
            + ") and seccomp (no UDP, raw or packet sockets)");
        return new NetworkSetup(mode, Mechanism.LANDLOCK_TCP, rules, proxy);
    }

    private static ProxyServer startLoopbackProxy(ProxySettings settings, Path logFile) throws LaunchException {
        var log = ProxyConfig.LogOptions.defaults();
        if (logFile != null) {
            log = new ProxyConfig.LogOptions(logFile, log.console(), log.consoleLinesPerMinute(), log.summaryOnClose(), log.listener());
        }
        try {
            var proxy = ProxyServer.startOnLoopback(proxyConfig(settings).log(log).build());
            LOG.log(Level.INFO, "proxy on " + proxy.proxyAddress() + ", allowing " + settings.domainAllowlist());
            return proxy;
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(HALT_FAILED, "cannot start the proxy: " + e.getMessage() + ". Nothing was run.", e);
        }
    }

    /** The proxy's configuration from the policy's (already validated) settings. */
    static ProxyConfig.Builder proxyConfig(ProxySettings s) {
        var builder = ProxyConfig.builder()
            .allowPatterns(s.domainAllowlist().stream().map(DomainPattern::parse).toList())
            .denyPatterns(s.domainDenylist().stream().map(DomainPattern::parse).toList())
            .dnsTtlCap(s.dnsTtl())
            .connectTimeout(s.tcpConnectTimeout())
            .idleTimeout(s.tcpIdleTimeout())
            .maxConnections(s.maxConnections())
            .allowLocalDestinations(s.allowLocalDestinations());
        s.upstreamDns().forEach(builder::upstreamDns);
        return builder;
    }

    Mechanism mechanism() { return mechanism; }

    LandlockPlan.TcpRules tcpRules() { return tcpRules; }

    /** Whether the seccomp filter must restrict socket types (isolated mode without a namespace). */
    boolean restrictSockets() { return mechanism == Mechanism.LANDLOCK_TCP; }

    Optional<ProxyServer> proxy() { return Optional.ofNullable(proxy); }

    /**
     * The proxy variables common runtimes honour: curl, wget, pip, git, Python and Go read
     * {@code HTTP(S)_PROXY}/{@code ALL_PROXY} and their lowercase forms; Node 24+ needs
     * {@code NODE_USE_ENV_PROXY=1}; the JVM reads system properties, passed in
     * {@code JAVA_TOOL_OPTIONS}. {@code NO_PROXY} keeps the user's entries and adds loopback.
     */
    Map<String, String> childEnvironment(Map<String, String> base) {
        if (proxy == null) return base;
        InetSocketAddress address = proxy.proxyAddress();
        var host = address.getAddress().getHostAddress();
        int port = address.getPort();
        var http = "http://" + host + ":" + port;
        var env = new LinkedHashMap<>(base);
        for (var name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) env.put(name, http);
        for (var name : List.of("ALL_PROXY", "all_proxy")) env.put(name, "socks5h://" + host + ":" + port);
        var noProxy = new LinkedHashSet<String>();
        for (var name : List.of("NO_PROXY", "no_proxy")) {
            var value = base.get(name);
            if (value != null) for (var entry : value.split(",")) if (!entry.isBlank()) noProxy.add(entry.strip());
        }
        noProxy.addAll(List.of("localhost", "127.0.0.1", "::1"));
        var joined = String.join(",", noProxy);
        env.put("NO_PROXY", joined);
        env.put("no_proxy", joined);
        env.put("NODE_USE_ENV_PROXY", "1");
        var jvm = "-Dhttp.proxyHost=" + host + " -Dhttp.proxyPort=" + port + " -Dhttps.proxyHost=" + host
            + " -Dhttps.proxyPort=" + port + " -Dhttp.nonProxyHosts=localhost|127.0.0.1|[::1]";
        var existing = base.get("JAVA_TOOL_OPTIONS");
        env.put("JAVA_TOOL_OPTIONS", existing == null || existing.isBlank() ? jvm : existing + " " + jvm);
        return env;
    }

    NetworkMode mode() { return mode; }

    @Override
    public void close() {
        if (proxy != null) proxy.close();
    }
}
