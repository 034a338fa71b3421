package dev.halt.core.linux.net;

import dev.halt.core.LaunchException;
import dev.halt.core.launch.LoopbackProxy;
import dev.halt.core.launch.RunLog;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.supervisor.NetworkRules;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.Mechanism;
import dev.halt.proxy.DecisionLog;
import dev.halt.proxy.HostPortRelay;
import dev.halt.core.live.RunNetwork;
import dev.halt.proxy.JsonLinesFile;
import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyPolicy;
import dev.halt.proxy.ProxyServer;
import dev.halt.proxy.dns.DnsRefuser;
import dev.halt.proxy.dns.ResolvConf;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

import static dev.halt.core.ExitStatus.HALT_FAILED;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_BIND_TCP;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_CONNECT_TCP;

/**
 * What one run's network mode needs, with the mechanism the enforcement plan names for it
 * ({@link dev.halt.core.probe.EnforcementPlan#require}), and while the child runs (the proxy).
 * {@link Mechanism#NETNS}: network namespaces; the Landlock mechanisms: Landlock TCP rules plus the
 * seccomp filter's socket restrictions, and with the supervisor its exact addresses
 * ({@link #supervisedRules()}): then Landlock allows the child no TCP connect or bind of its own at
 * all, and every one it is allowed is made by halt. Closing it stops the proxy.
 */
public final class NetworkSetup implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("halt");

    /**
     * Said at a rootless proxy_only launch without the supervisor, which makes the rule an address:
     * Landlock's TCP rule names a port.
     */
    static final String PROXY_PORT_ON_ANY_ADDRESS = "proxy_only without privileges: Landlock allows TCP connect to the"
        + " proxy's port %d but cannot tell addresses apart, so the command can connect to port %<d of any address"
        + " (127.0.0.2, ::1, a remote host) directly, past the proxy's allowlist (run as root for a namespace whose only"
        + " way out is the proxy)";

    /** The proxy port inside the proxy namespace: the namespace is the run's own, so it never clashes. */
    static final int NAMESPACE_PROXY_PORT = 3128;
    private static final Duration NAMESPACE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REAPER_WARM_UP_PERIOD = Duration.ofSeconds(30);
    /** {@link System#nanoTime()} of the last reaper warm-up, 0 before the first. */
    private static volatile long lastReaperWarmUp;

    private final Mechanism mechanism;
    private final Landlock.TcpRules tcpRules;
    private final SandboxPolicy policy;
    private final JsonLinesFile logFile;
    /** Privileged proxy mode: the namespace holding the proxy's listeners, and what the jailer makes there. */
    private final NetworkNamespace proxyNamespace;
    private final CompletableFuture<ProxyServer.Listeners> listeners = new CompletableFuture<>();
    /** Privileged blocked and localhost_only: the DNS sockets the jailer makes in the sandbox namespace. */
    private final CompletableFuture<RefuserSockets> refuserSockets = new CompletableFuture<>();
    /** What answers the sandbox's DNS queries there, once started. */
    private volatile DnsRefuser refuser;
    private final InetSocketAddress proxyAddress;
    private volatile ProxyServer proxy;
    /** Rootless with the supervisor: what it serves; else null. */
    private NetworkRules supervisedRules;
    /** The host's own addresses for the proxy's destination check; null without a proxy or with allow_local_destinations. */
    private volatile HostAddressReader hostAddresses;
    /** The run's network as it changes live; given the proxy once it runs. */
    private RunNetwork live;
    /** With a namespace and host ports: the listeners the jailer makes in the sandbox namespace. */
    private final CompletableFuture<List<ServerSocketChannel>> hostPortSockets = new CompletableFuture<>();
    /** What relays them, once started. */
    private volatile HostPortRelay hostPortRelay;
    /** Where the host ports' connections are recorded in a run without a proxy; else null. */
    private volatile DecisionLog hostPortLog;

    private NetworkSetup(Mechanism mechanism, Landlock.TcpRules tcpRules, ProxyServer proxy,
                         SandboxPolicy policy, JsonLinesFile logFile, NetworkNamespace proxyNamespace, InetSocketAddress proxyAddress) {
        this.mechanism = mechanism;
        this.tcpRules = tcpRules;
        this.proxy = proxy;
        this.policy = policy;
        this.logFile = logFile;
        this.proxyNamespace = proxyNamespace;
        this.proxyAddress = proxy != null ? proxy.proxyAddress() : proxyAddress;
    }

    private static NetworkSetup simple(Mechanism mechanism, Landlock.TcpRules rules, ProxyServer proxy) {
        return new NetworkSetup(mechanism, rules, proxy, null, null, null, null);
    }

    /**
     * Starts what {@code mechanism}, the plan's for the policy's mode, needs.
     *
     * @param mechanism     from {@link dev.halt.core.probe.EnforcementPlan#require}: {@link Mechanism#NONE} for
     *                      {@code unrestricted} and for an unavailable mode under {@code --best-effort}
     * @param unsupervised  with {@link Mechanism#LANDLOCK_TCP_SECCOMP}, why the supervisor cannot run here; else null
     * @param bestEffort    port rules with a warning where {@code exact = true} asks for the supervisor
     * @param logFile       the run's JSON-lines file ({@code --log}), which the proxy's decisions go to, or null
     * @param live          the run's network as it will change live: this setup gives it the proxy
     */
    public static NetworkSetup prepare(SandboxPolicy policy, Mechanism mechanism, String unsupervised, boolean bestEffort,
                                       JsonLinesFile logFile, RunNetwork live) throws LaunchException {
        ExposedPortListeners.check(policy.hostPorts(), policy.networkMode(), mechanism == Mechanism.NETNS);
        var setup = prepare(policy, mechanism, unsupervised, bestEffort, logFile);
        setup.live = live;
        if (setup.proxy != null) live.attach(setup.proxy);
        return setup;
    }

    private static NetworkSetup prepare(SandboxPolicy policy, Mechanism mechanism, String unsupervised, boolean bestEffort,
                                        JsonLinesFile logFile) throws LaunchException {
        var mode = policy.networkMode();
        switch (mechanism) {
            case NONE -> {
                return simple(Mechanism.NONE, Landlock.TcpRules.NONE, null);
            }
            case NETNS -> {
                return prepareNamespaces(policy, logFile);
            }
            case LANDLOCK_TCP_SECCOMP, LANDLOCK_TCP_SECCOMP_SUPERVISOR -> { }
            case SEATBELT -> throw new IllegalArgumentException("not a Linux mechanism: " + mechanism);
        }
        boolean supervised = mechanism == Mechanism.LANDLOCK_TCP_SECCOMP_SUPERVISOR;
        long connectAndBind = LANDLOCK_ACCESS_NET_CONNECT_TCP() | LANDLOCK_ACCESS_NET_BIND_TCP();
        // With the supervisor, halt makes every allowed connect and bind: the child may make none, so
        // a descriptor swapped after a CONTINUE (a unix socket's) meets Landlock's refusal. Without it,
        // allow_local_binding leaves bind unhandled, so every port may be bound.
        long handled = supervised || !policy.allowLocalBinding() ? connectAndBind : LANDLOCK_ACCESS_NET_CONNECT_TCP();
        var ports = new LinkedHashMap<Integer, Long>();
        ProxyServer proxy = null;
        HostAddressReader hostAddresses = null;
        var without = supervised ? "" : " (halt's supervisor, which makes it exact, cannot run here: " + unsupervised + ")";
        boolean byPortOnly = mode == NetworkMode.PROXY_ONLY || (mode == NetworkMode.LOCALHOST_ONLY && !policy.localhostPorts().isEmpty())
            || (policy.allowUnixSockets() && !policy.allowLocalBinding());
        if (!supervised && byPortOnly && policy.exactNetwork()) {
            var what = "network mode " + mode.configName() + " with exact = true: without halt's supervisor, which cannot run here ("
                + unsupervised + "), Landlock's TCP rules name ports, not addresses";
            if (!bestEffort) {
                throw new LaunchException(HALT_FAILED, what + ". Nothing was run (run as root for a network namespace, or"
                    + " --best-effort to run with port rules and a warning).");
            }
            LOG.log(Level.WARNING, "best effort: " + what + ": running with port rules");
        }
        if (!supervised && !policy.hostPorts().isEmpty()) {
            // Landlock's rule names the port: the same port of every address.
            policy.hostPorts().forEach(p -> ports.merge(p.hostPort(), LANDLOCK_ACCESS_NET_CONNECT_TCP(), (a, b) -> a | b));
            LOG.log(Level.WARNING, "host_ports without privileges: Landlock allows TCP connect to ports "
                + policy.hostPorts().stream().map(p -> p.hostPort()).toList() + " but cannot tell addresses apart, so those"
                + " ports are reachable on every address, not only loopback" + without);
        }
        switch (mode) {
            case BLOCKED -> { }
            case LOCALHOST_ONLY -> {
                if (!supervised) {
                    policy.localhostPorts().forEach(p -> ports.put(p, connectAndBind & handled));
                    if (!policy.localhostPorts().isEmpty()) {
                        LOG.log(Level.WARNING, "localhost_only without privileges: Landlock allows TCP to ports "
                            + policy.localhostPorts() + " but cannot tell addresses apart, so those ports are reachable on every"
                            + " address, not only loopback (run as root for a namespace that has only lo)" + without);
                    }
                }
            }
            case PROXY_ONLY -> {
                hostAddresses = openHostAddresses(policy.proxy());
                try {
                    proxy = LoopbackProxy.start(proxyConfig(policy.proxy(), hostAddresses), logFile);
                } catch (LaunchException e) {
                    if (hostAddresses != null) hostAddresses.close();
                    throw e;
                }
                int port = proxy.proxyAddress().getPort();
                if (!supervised) {
                    ports.put(port, LANDLOCK_ACCESS_NET_CONNECT_TCP());
                    LOG.log(Level.WARNING, PROXY_PORT_ON_ANY_ADDRESS.formatted(port) + without);
                }
            }
            case UNRESTRICTED -> throw new AssertionError("handled above");
        }
        var rules = new Landlock.TcpRules(handled, ports);
        var setup = simple(mechanism, rules, proxy);
        setup.hostAddresses = hostAddresses;
        if (supervised) {
            setup.supervisedRules = new NetworkRules(mode, proxy == null ? null : proxy.proxyAddress(),
                java.util.Set.copyOf(policy.localhostPorts()), policy.allowLocalBinding(), policy.allowUnixSockets(),
                policy.hostPorts().stream().map(p -> p.hostPort()).collect(java.util.stream.Collectors.toSet()));
            LOG.log(Level.INFO, "network " + mode.configName() + ": halt's supervisor makes every allowed connect and bind ("
                + switch (mode) {
                    case PROXY_ONLY -> "connect to the proxy at " + proxy.proxyAddress().getAddress().getHostAddress() + ":"
                        + proxy.proxyAddress().getPort() + " only";
                    case LOCALHOST_ONLY -> "connect to loopback on ports " + policy.localhostPorts() + " only";
                    default -> "no connect";
                } + (policy.allowLocalBinding() ? "; bind on loopback" : "; no bind")
                + "); Landlock refuses every TCP connect and bind of the command's own; seccomp: no UDP, raw or packet sockets");
        } else {
            LOG.log(Level.INFO, "network " + mode.configName() + ": Landlock TCP rules (handled "
                + (handled == connectAndBind ? "connect and bind" : "connect") + ", allowed ports " + ports.keySet()
                + ") and seccomp (no UDP, raw or packet sockets)" + without);
        }
        return setup;
    }

    /**
     * With privileges: the jailer will move into a new namespace. In proxy mode a second
     * namespace, owned by a parked thread, will hold the proxy's listeners at the far end of a
     * veth pair (see {@link ProxyLink}).
     */
    private static NetworkSetup prepareNamespaces(SandboxPolicy policy, JsonLinesFile logFile) throws LaunchException {
        var mode = policy.networkMode();
        if (mode != NetworkMode.PROXY_ONLY) {
            LOG.log(Level.INFO, "network " + mode.configName() + ": a new network namespace with only lo");
            return new NetworkSetup(Mechanism.NETNS, Landlock.TcpRules.NONE, null, policy, logFile, null, null);
        }
        warmUpProcessReaper();
        try {
            var namespace = NetworkNamespace.create("halt-proxy-ns");
            var address = new InetSocketAddress(ProxyLink.DEFAULT.proxyV4(), NAMESPACE_PROXY_PORT);
            LOG.log(Level.INFO, "network proxy_only: sandbox namespace -- veth " + ProxyLink.DEFAULT.sandboxName() + "/"
                + ProxyLink.DEFAULT.proxyName() + " -- proxy namespace; proxy on " + address.getAddress().getHostAddress()
                + ":" + NAMESPACE_PROXY_PORT + ", transparent ports " + transparentPorts(policy.proxy()));
            return new NetworkSetup(Mechanism.NETNS, Landlock.TcpRules.NONE, null, policy, logFile, namespace, address);
        } catch (ErrnoException e) {
            throw new LaunchException(HALT_FAILED, "cannot create the proxy's network namespace: " + e.getMessage()
                + ". Nothing was run.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(HALT_FAILED, "interrupted while creating the proxy's network namespace", e);
        }
    }

    /**
     * The JDK's process reaper threads are created by whichever thread starts a process when none
     * is idle, and a thread inherits its creator's namespace: starting two short processes at
     * once from this (host) thread first leaves two idle reapers, for the jailer's tether and child.
     * Idle reapers live 60 s, so a JVM that launches often warms them every 30 s at most.
     */
    private static void warmUpProcessReaper() {
        long now = System.nanoTime();
        long last = lastReaperWarmUp;
        if (last != 0 && now - last < REAPER_WARM_UP_PERIOD.toNanos()) return;
        lastReaperWarmUp = now;
        for (var tru : List.of("/usr/bin/true", "/bin/true")) {
            if (!java.nio.file.Files.isExecutable(Path.of(tru))) continue;
            try {
                var first = new ProcessBuilder(tru).start();
                var second = new ProcessBuilder(tru).start();
                first.waitFor();
                second.waitFor();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "reaper warm-up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
    }

    /** 80, 443 and every port an allowlist entry names. */
    static java.util.SortedSet<Integer> transparentPorts(ProxyPolicy proxy) {
        return proxy.transparentPorts();
    }

    /** Whether the jailer moves into a network namespace of the run's own. */
    public boolean ownNamespace() {
        return mechanism == Mechanism.NETNS;
    }

    /**
     * Runs on the jailer, before it restricts itself: moves it into a new network namespace and
     * brings {@code lo} up; in proxy mode also wires the veth to the proxy namespace and makes the
     * proxy's listening sockets (DNS on loopback nameservers here, the rest in the proxy
     * namespace). Starts no thread: see {@link NetworkNamespace} for why.
     */
    public void enterFromJailer() throws Exception {
        if (mechanism != Mechanism.NETNS) return;
        try {
            NetworkNamespace.unshareCallingThread();
            if (proxyNamespace == null) {
                try (var netlink = Netlink.open()) {
                    netlink.linkUp("lo");
                    var sockets = openRefuserSockets(netlink);
                    if (!refuserSockets.complete(sockets)) closeRefuserSockets(sockets); // the launch was given up
                }
            } else {
                ProxyLink.DEFAULT.wire(proxyNamespace, NAMESPACE_TIMEOUT);
                var made = openListeners();
                if (!listeners.complete(made)) made.close(); // the launch was given up
            }
            var hostPorts = ExposedPortListeners.listen(policy.hostPorts());
            if (!hostPortSockets.complete(hostPorts)) ExposedPortListeners.close(hostPorts); // the launch was given up
        } catch (Exception e) {
            listeners.completeExceptionally(e);
            refuserSockets.completeExceptionally(e);
            hostPortSockets.completeExceptionally(e);
            throw e;
        }
    }

    /** The DNS sockets of a namespace with only {@code lo}, for the {@link DnsRefuser}. */
    private record RefuserSockets(List<DatagramChannel> udp, List<ServerSocketChannel> tcp) {}

    private static void closeRefuserSockets(RefuserSockets sockets) {
        var all = new java.util.ArrayList<java.nio.channels.NetworkChannel>(sockets.udp());
        all.addAll(sockets.tcp());
        closeAll(all);
    }

    /**
     * On the jailer, in the sandbox namespace (only {@code lo}): DNS sockets on every nameserver
     * address of /etc/resolv.conf (glibc's 127.0.0.1 when it names none). A nameserver that is not
     * on loopback becomes an address of {@code lo} here first, so the child's resolver reaches
     * halt's answer at the address it was told, and nothing else. A nameserver that cannot be
     * served is a warning: lookups to it then fail as before, with "network unreachable".
     */
    private static RefuserSockets openRefuserSockets(Netlink netlink) {
        var udp = new java.util.ArrayList<DatagramChannel>();
        var tcp = new java.util.ArrayList<ServerSocketChannel>();
        var servers = nameservers();
        if (servers.isEmpty()) servers = List.of(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 53));
        int lo = -1;
        for (var nameserver : new LinkedHashSet<>(servers)) {
            var address = nameserver.getAddress();
            var opened = new java.util.ArrayList<java.nio.channels.NetworkChannel>();
            try {
                if (!address.isLoopbackAddress()) {
                    if (address instanceof java.net.Inet6Address && !ProxyLink.ipv6Available()) {
                        throw new IOException("this kernel has no IPv6");
                    }
                    if (lo < 0) lo = netlink.linkIndex("lo");
                    netlink.addAddress(lo, address, address instanceof java.net.Inet6Address ? 128 : 32);
                }
                var datagram = track(opened, DatagramChannel.open(address instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET)).bind(nameserver);
                var stream = track(opened, ServerSocketChannel.open()).bind(nameserver, 16);
                udp.add(datagram);
                tcp.add(stream);
            } catch (IOException | ErrnoException | RuntimeException e) {
                closeAll(opened);
                LOG.log(Level.WARNING, "cannot answer DNS lookups in the sandbox at " + address.getHostAddress()
                    + " (" + e.getMessage() + "): a lookup there fails with \"network unreachable\", which clients may retry");
            }
        }
        return new RefuserSockets(List.copyOf(udp), List.copyOf(tcp));
    }

    private ProxyServer.Listeners openListeners() throws Exception {
        var opened = new java.util.ArrayList<java.nio.channels.NetworkChannel>();
        try {
            var dnsUdp = new java.util.ArrayList<DatagramChannel>();
            var dnsTcp = new java.util.ArrayList<ServerSocketChannel>();
            var remoteNameservers = new java.util.ArrayList<InetSocketAddress>();
            for (var nameserver : nameservers()) {
                if (nameserver.getAddress().isLoopbackAddress()) {
                    // The child's own loopback: bound here, in the sandbox namespace.
                    dnsUdp.add(track(opened, DatagramChannel.open()).bind(nameserver));
                    dnsTcp.add(track(opened, ServerSocketChannel.open()).bind(nameserver, 128));
                } else if (nameserver.getAddress() instanceof java.net.Inet4Address) {
                    remoteNameservers.add(nameserver);
                } else {
                    LOG.log(Level.WARNING, "nameserver " + nameserver + " of /etc/resolv.conf is IPv6 and not on"
                        + " loopback: the sandbox's DNS goes through the IPv4 nameservers only");
                }
            }
            var transparentPorts = transparentPorts(policy.proxy());
            boolean ipv6 = ProxyLink.ipv6Available();
            var made = proxyNamespace.call(NAMESPACE_TIMEOUT, () -> {
                var inside = new java.util.ArrayList<java.nio.channels.NetworkChannel>();
                try {
                    var proxyPort = track(inside, ServerSocketChannel.open()).bind(proxyAddress, 1024);
                    // With IPv6 wired, :: (dual stack) takes the child's IPv4 and IPv6 connections alike;
                    // an IPv4 one shows its destination as an IPv4 address all the same.
                    var wildcard = java.net.InetAddress.getByAddress(new byte[ipv6 ? 16 : 4]);
                    var transparent = new java.util.ArrayList<ServerSocketChannel>();
                    for (int port : transparentPorts) {
                        transparent.add(track(inside, ServerSocketChannel.open()).bind(new InetSocketAddress(wildcard, port), 1024));
                    }
                    var udp = new java.util.ArrayList<DatagramChannel>();
                    var tcp = new java.util.ArrayList<ServerSocketChannel>();
                    for (var nameserver : remoteNameservers) {
                        udp.add(track(inside, DatagramChannel.open()).bind(nameserver));
                        tcp.add(track(inside, ServerSocketChannel.open()).bind(nameserver, 128));
                    }
                    return new ProxyServer.Listeners(List.of(proxyPort), transparent, udp, tcp);
                } catch (Exception e) {
                    closeAll(inside);
                    throw e;
                }
            });
            dnsUdp.addAll(made.dnsUdp());
            dnsTcp.addAll(made.dnsTcp());
            return new ProxyServer.Listeners(made.proxy(), made.transparent(), dnsUdp, dnsTcp);
        } catch (Exception e) {
            closeAll(opened);
            throw e;
        }
    }

    private static List<InetSocketAddress> nameservers() {
        try {
            return ResolvConf.nameservers(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read /etc/resolv.conf (" + e.getMessage() + "): the sandbox gets no DNS listener");
            return List.of();
        }
    }

    private static <C extends java.nio.channels.NetworkChannel> C track(List<java.nio.channels.NetworkChannel> opened, C channel) {
        opened.add(channel);
        return channel;
    }

    private static void closeAll(List<java.nio.channels.NetworkChannel> channels) {
        for (var c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing what a failed setup opened; the first failure is what the user sees
            }
        }
    }

    /**
     * Runs on halt's own (host-namespace) thread while the jailer works: in privileged proxy mode,
     * waits for the listeners the jailer made and starts the proxy on them, so its accept threads
     * and upstream connections live in the host namespace.
     */
    public void serveFromHost(Duration timeout) throws LaunchException {
        if (mechanism != Mechanism.NETNS) return;
        if (proxyNamespace == null) {
            serveRefuser(timeout);
        } else {
            serveProxy(timeout);
        }
        serveHostPorts(timeout);
    }

    /**
     * With a namespace: relays the host ports from the listeners the jailer made, each connection
     * recorded in the proxy's decision log, or without a proxy in one of their own (its console
     * lines, the run's {@code --log} file, the counts).
     */
    private void serveHostPorts(Duration timeout) throws LaunchException {
        if (policy.hostPorts().isEmpty()) return;
        try {
            var sockets = fromJailer(hostPortSockets, timeout, "cannot expose the host ports in the sandbox",
                "interrupted while exposing the host ports");
            var server = proxy;
            DecisionLog log;
            if (server != null) {
                log = server.decisionLog();
            } else {
                log = new DecisionLog(RunLog.proxyLog(logFile));
                hostPortLog = log;
                live.attach(log);
            }
            hostPortRelay = ExposedPortListeners.serve(policy.hostPorts(), sockets, log);
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(HALT_FAILED, "cannot relay the host ports: " + e.getMessage() + ". Nothing was run.", e);
        }
    }

    /**
     * What the jailer made, within {@code timeout}; its failure is a {@link LaunchException} that
     * starts with {@code failure}, an interruption one that says {@code interrupted}.
     */
    private static <T> T fromJailer(java.util.concurrent.Future<T> made, Duration timeout, String failure, String interrupted)
            throws LaunchException {
        try {
            return made.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LaunchException(HALT_FAILED, failure + ": " + e.getCause().getMessage() + ". Nothing was run.", e.getCause());
        } catch (TimeoutException e) {
            throw new LaunchException(HALT_FAILED, "the sandbox's network was not ready in " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(HALT_FAILED, interrupted, e);
        }
    }

    /** Privileged proxy mode: starts the proxy on the listeners the jailer made. */
    private void serveProxy(Duration timeout) throws LaunchException {
        try {
            var made = fromJailer(listeners, timeout, "cannot build the sandbox's network", "interrupted while starting the proxy");
            // This thread is in the host namespace, where the proxy's upstream connections are made.
            hostAddresses = openHostAddresses(policy.proxy());
            proxy = ProxyServer.start(proxyConfig(policy.proxy(), hostAddresses).log(RunLog.proxyLog(logFile)).build(), made);
            live.attach(proxy);
            LOG.log(Level.INFO, "proxy serving " + proxy.proxyAddresses() + ", transparent " + proxy.transparentAddresses()
                + ", DNS " + proxy.dnsAddresses());
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(HALT_FAILED, "cannot start the proxy: " + e.getMessage() + ". Nothing was run.", e);
        }
    }

    /**
     * Privileged blocked and localhost_only: answers the sandbox's DNS queries with NXDOMAIN from
     * a host thread, and names each host once on stderr.
     */
    private void serveRefuser(Duration timeout) throws LaunchException {
        var sockets = fromJailer(refuserSockets, timeout, "cannot build the sandbox's network",
            "interrupted while building the sandbox's network");
        if (sockets.udp().isEmpty()) return;
        var mode = policy.networkMode().configName();
        var err = System.err;
        refuser = DnsRefuser.start(sockets.udp(), sockets.tcp(),
            host -> err.println("halt: refused DNS lookup of " + host + ": network mode " + mode));
        LOG.log(Level.INFO, "network " + mode + ": every DNS lookup gets NXDOMAIN from halt at " + sockets.udp().stream()
            .map(c -> {
                try {
                    return String.valueOf(c.getLocalAddress());
                } catch (IOException e) {
                    return "?";
                }
            }).toList() + " in the sandbox namespace");
    }

    /** The proxy's counts so far, for the run's summary; null when the run has no proxy. */
    public DecisionLog.Summary proxySummary() {
        var server = proxy;
        var own = hostPortLog;
        return server != null ? server.decisionLog().summary() : own != null ? own.summary() : null;
    }

    /** The run's network as it changes live. */
    public RunNetwork live() {
        return live;
    }

    /**
     * On a host-namespace thread: the reader of the host's own addresses, which the proxy refuses
     * as destinations like loopback ones; null when {@code allow_local_destinations} permits them.
     */
    private static HostAddressReader openHostAddresses(ProxyPolicy settings) throws LaunchException {
        if (settings.allowLocalDestinations()) return null;
        try {
            return HostAddressReader.open();
        } catch (ErrnoException e) {
            throw new LaunchException(HALT_FAILED, "cannot read this machine's addresses for the proxy's destination check: "
                + e.getMessage() + ". Nothing was run.", e);
        }
    }

    /**
     * The proxy's configuration: the policy's proxy value as it is (validated when the policy was
     * built), and the host's own addresses from {@code hostAddresses} when given (else the proxy's
     * default).
     */
    static ProxyConfig.Builder proxyConfig(ProxyPolicy proxy, HostAddressReader hostAddresses) {
        var builder = ProxyConfig.builder().policy(proxy);
        if (hostAddresses != null) builder.hostAddresses(hostAddresses);
        return builder;
    }

    public Landlock.TcpRules tcpRules() { return tcpRules; }

    /** Whether the seccomp filter must restrict socket types (isolated mode without a namespace). */
    public boolean restrictSockets() { return mechanism.landlockTcp(); }

    /** Rootless with the supervisor: the exact-address policy it serves; else null. */
    public NetworkRules supervisedRules() { return supervisedRules; }

    /** Where the child reaches the proxy, for its proxy variables; null when the run has no proxy. */
    public InetSocketAddress childProxyAddress() { return proxyAddress; }

    @Override
    public void close() {
        var relay = hostPortRelay;
        if (relay != null) relay.close();
        else if (!hostPortSockets.cancel(false) && !hostPortSockets.isCompletedExceptionally()) ExposedPortListeners.close(hostPortSockets.join());
        var own = hostPortLog;
        if (own != null) own.close();
        var server = proxy;
        if (server != null) server.close();
        var dns = refuser;
        if (dns != null) {
            dns.close();
        } else if (!refuserSockets.cancel(false) && !refuserSockets.isCompletedExceptionally()) {
            // Made by the jailer but never served: the launch failed in between.
            closeRefuserSockets(refuserSockets.join());
        }
        var reader = hostAddresses;
        if (reader != null) reader.close();
        if (proxyNamespace != null) {
            // A launch that failed before the proxy took them still owns the listeners; a jailer
            // that has not made them yet never will (cancelling wins over its later complete).
            boolean madeEarlier = !listeners.cancel(false) && !listeners.isCompletedExceptionally();
            if (madeEarlier && server == null) listeners.join().close();
            proxyNamespace.close();
        }
    }
}
