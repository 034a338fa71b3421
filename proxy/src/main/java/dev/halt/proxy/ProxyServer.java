package dev.halt.proxy;

import dev.halt.proxy.dns.DnsClient;
import dev.halt.proxy.dns.HostsFile;
import dev.halt.proxy.dns.ResolvConf;
import dev.halt.proxy.dns.Resolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * A running proxy: DNS server, proxy port (CONNECT, plain HTTP, SOCKS5) and transparent
 * listeners over one policy, resolver and decision log.
 *
 * <p>Listening sockets are either supplied by the caller ({@link #start(ProxyConfig, Listeners)}),
 * which is how privileged mode creates them inside the proxy network namespace on a dedicated
 * thread, or bound on 127.0.0.1 ephemeral ports by {@link #startOnLoopback(ProxyConfig)}. Call
 * {@code start} from an ordinary thread of the host namespace: the accept threads and the
 * virtual threads that open upstream connections inherit that thread's namespace.
 *
 * <p>Threads: one platform thread per listening socket accepts or receives; one virtual thread
 * per connection (two while relaying); one idle sweeper. {@link #close()} closes every socket
 * the proxy opened or was given.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    private static final int MAX_UDP_IN_FLIGHT = 1024;

    /**
     * Listening sockets to serve; the server takes ownership and closes them. Any list may be
     * empty. TCP channels must be bound; they are switched to blocking mode.
     *
     * @param proxy proxy ports (CONNECT, plain HTTP, SOCKS5)
     * @param transparent transparent listeners (original destination = local address)
     * @param dnsUdp DNS over UDP
     * @param dnsTcp DNS over TCP
     */
    public record Listeners(List<ServerSocketChannel> proxy, List<ServerSocketChannel> transparent,
                            List<DatagramChannel> dnsUdp, List<ServerSocketChannel> dnsTcp) {
        /** Copies the lists. */
        public Listeners {
            proxy = List.copyOf(proxy);
            transparent = List.copyOf(transparent);
            dnsUdp = List.copyOf(dnsUdp);
            dnsTcp = List.copyOf(dnsTcp);
        }

        /** Closes every channel; for listeners made but never served (a launch given up). */
        public void close() {
            var all = new ArrayList<NetworkChannel>();
            all.addAll(proxy);
            all.addAll(transparent);
            all.addAll(dnsUdp);
            all.addAll(dnsTcp);
            for (var c : all) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing a listener cannot fail in a way we could act on
                }
            }
        }

        /**
         * Binds a proxy port, DNS over UDP and TCP on one port, and optionally a transparent
         * listener, all on 127.0.0.1 with ephemeral ports.
         */
        public static Listeners loopback(boolean withTransparent) throws IOException {
            var lo = InetAddress.getLoopbackAddress();
            var opened = new ArrayList<NetworkChannel>();
            try {
                var proxy = ServerSocketChannel.open();
                opened.add(proxy);
                proxy.bind(new InetSocketAddress(lo, 0), 1024);
                List<ServerSocketChannel> transparent = List.of();
                if (withTransparent) {
                    var t = ServerSocketChannel.open();
                    opened.add(t);
                    t.bind(new InetSocketAddress(lo, 0), 1024);
                    transparent = List.of(t);
                }
                // UDP and TCP DNS share a port number, as resolvers expect.
                for (int attempt = 0; ; attempt++) {
                    var udp = DatagramChannel.open();
                    opened.add(udp);
                    udp.bind(new InetSocketAddress(lo, 0));
                    int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
                    var tcp = ServerSocketChannel.open();
                    try {
                        tcp.bind(new InetSocketAddress(lo, port), 128);
                        opened.add(tcp);
                        return new Listeners(List.of(proxy), transparent, List.of(udp), List.of(tcp));
                    } catch (IOException e) {
                        tcp.close();
                        udp.close();
                        opened.remove(udp);
                        if (attempt > 20) throw e;
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (var c : opened) {
                    try { c.close(); } catch (IOException ignored) { /* best effort */ }
                }
                throw e;
            }
        }
    }

    private final Engine engine;
    private final Listeners listeners;
    private final List<Thread> threads = new ArrayList<>();
    private final List<InetSocketAddress> proxyAddresses = new ArrayList<>();
    private final List<InetSocketAddress> transparentAddresses = new ArrayList<>();
    private final List<InetSocketAddress> dnsAddresses = new ArrayList<>();
    private final Semaphore udpInFlight = new Semaphore(MAX_UDP_IN_FLIGHT);
    private final java.util.concurrent.atomic.AtomicInteger handlers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean open = true;
    private volatile boolean started;

    private ProxyServer(Engine engine, Listeners listeners) {
        this.engine = engine;
        this.listeners = listeners;
    }

    /**
     * Binds a proxy port and DNS (UDP and TCP, one port) on 127.0.0.1 ephemeral ports and
     * starts serving: rootless mode and tests. No transparent listener: without a network
     * namespace routing every destination to it, it would only ever see its own address.
     */
    public static ProxyServer startOnLoopback(ProxyConfig config) throws IOException {
        return start(config, Listeners.loopback(false), true);
    }

    /**
     * Starts serving on the given listening sockets.
     *
     * @throws IOException when the log file cannot be opened, resolv.conf cannot be read, or a
     *     socket is unusable; the given sockets are closed in that case
     * @throws IllegalArgumentException when the configuration is unusable (no upstream DNS)
     * @throws IllegalStateException when this machine's own addresses cannot be read
     *     ({@link ProxyConfig#hostAddresses()}, unless local destinations are allowed)
     */
    public static ProxyServer start(ProxyConfig config, Listeners listeners) throws IOException {
        // Supplied listeners may live in another network namespace, where the same address
        // (127.0.0.53, say) is a different socket: no self-loop check is possible here.
        return start(config, listeners, false);
    }

    private static ProxyServer start(ProxyConfig config, Listeners listeners, boolean selfCheck) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listeners, "listeners");
        DecisionLog log = null;
        try {
            var policy = config.policy();
            var upstream = policy.upstreamDns().isEmpty() ? ResolvConf.nameservers(config.resolvConf()) : policy.upstreamDns();
            if (selfCheck) {
                for (var d : listeners.dnsUdp()) {
                    if (upstream.contains((InetSocketAddress) d.getLocalAddress())) {
                        throw new IllegalArgumentException("upstream DNS server " + d.getLocalAddress() + " is halt's own DNS listener");
                    }
                }
            }
            var client = new DnsClient(upstream, config.dnsTimeout(), config.dnsAttempts());
            var resolver = new Resolver(client, HostsFile.load(config.hostsFile()), policy.dnsTtl());
            log = new DecisionLog(config.log());
            var server = new ProxyServer(new Engine(config, resolver, log), listeners);
            try {
                server.startThreads();
                server.started = true;
            } catch (IOException | RuntimeException e) {
                server.close(); // stops what did start: accept threads, the idle sweeper
                throw e;
            }
            return server;
        } catch (IOException | RuntimeException e) {
            listeners.close();
            if (log != null) log.close();
            throw e;
        }
    }

    private void startThreads() throws IOException {
        var http = new HttpSession(engine);
        var proxyHandler = new ProxyPortHandler(engine, http);
        var transparentHandler = new TransparentHandler(engine, http);
        var dns = new DnsService(engine);
        for (var ssc : listeners.proxy()) {
            proxyAddresses.add(accept(ssc, "proxy", DecisionEvent.Via.CONNECT, proxyHandler::handle));
        }
        for (var ssc : listeners.transparent()) {
            transparentAddresses.add(accept(ssc, "transparent", DecisionEvent.Via.TRANSPARENT, transparentHandler::handle));
        }
        for (var ssc : listeners.dnsTcp()) {
            accept(ssc, "dns-tcp", DecisionEvent.Via.DNS, (conn, ch) -> dnsTcp(dns, conn, ch));
        }
        for (var udp : listeners.dnsUdp()) {
            udp.configureBlocking(true);
            var a = (InetSocketAddress) udp.getLocalAddress();
            if (a == null) {
                throw new IOException("DNS UDP listener is not bound");
            }
            dnsAddresses.add(a);
            threads.add(Thread.ofPlatform().daemon(true).name("halt-dns-udp-" + a).start(() -> dnsUdp(dns, udp)));
        }
    }

    private InetSocketAddress accept(ServerSocketChannel ssc, String kind, DecisionEvent.Via via,
                                     BiConsumer<Connections.Conn, SocketChannel> handler)
            throws IOException {
        ssc.configureBlocking(true);
        var a = (InetSocketAddress) ssc.getLocalAddress();
        if (a == null) {
            throw new IOException(kind + " listener is not bound");
        }
        engine.addOwnListener(a);
        threads.add(Thread.ofPlatform().daemon(true).name("halt-" + kind + "-accept-" + a).start(() -> {
            while (open) {
                SocketChannel ch;
                try {
                    ch = ssc.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!open) return;
                    // Out of file descriptors, typically: back off instead of spinning.
                    LOG.log(System.Logger.Level.WARNING, "accept on " + a + " failed: " + e.getMessage());
                    try { Thread.sleep(50); } catch (InterruptedException ie) { return; }
                    continue;
                }
                var conn = engine.connections.admit(ch);
                if (conn == null) {
                    String client = "?";
                    try { client = Engine.describe(ch.getRemoteAddress()); } catch (IOException ignored) { /* gone */ }
                    engine.event(via, client, null, a.getPort(), null, DecisionEvent.Decision.REFUSED,
                            "connection limit of " + engine.config.policy().maxConnections() + " reached", 0, 0, 0);
                    Connections.quietClose(ch);
                    continue;
                }
                try {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException ignored) {
                    // not fatal
                }
                handlers.incrementAndGet();
                Thread.ofVirtual().name("halt-" + kind).start(() -> {
                    try {
                        handler.accept(conn, ch);
                    } finally {
                        handlers.decrementAndGet();
                    }
                });
            }
        }));
        return a;
    }

    private void dnsTcp(DnsService dns, Connections.Conn conn, SocketChannel ch) {
        try {
            String client = Engine.describe(ch.getRemoteAddress());
            var len = ByteBuffer.allocate(2);
            while (true) {
                len.clear();
                if (!readFully(conn, ch, len)) return;
                int n = len.flip().getShort() & 0xffff;
                var body = ByteBuffer.allocate(n);
                if (!readFully(conn, ch, body)) return;
                byte[] r = dns.answer(body.array(), n, client, false);
                if (r == null) return;
                var out = ByteBuffer.allocate(2 + r.length).putShort((short) r.length).put(r).flip();
                Relay.writeFully(conn, ch, out);
            }
        } catch (IOException e) {
            // client gone or closed on idle/shutdown
        } finally {
            conn.close();
        }
    }

    private static boolean readFully(Connections.Conn conn, SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) return false;
            conn.touch();
        }
        return true;
    }

    private void dnsUdp(DnsService dns, DatagramChannel udp) {
        var buf = ByteBuffer.allocate(65535);
        while (open) {
            InetSocketAddress from;
            try {
                buf.clear();
                from = (InetSocketAddress) udp.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!open) return;
                LOG.log(System.Logger.Level.DEBUG, "DNS receive failed: " + e.getMessage());
                continue;
            }
            if (from == null) continue;
            if (!udpInFlight.tryAcquire()) {
                continue; // overloaded: dropping is what a busy resolver does, clients retry
            }
            byte[] q = java.util.Arrays.copyOf(buf.array(), buf.position());
            Thread.ofVirtual().name("halt-dns").start(() -> {
                try {
                    byte[] r = dns.answer(q, q.length, Engine.describe(from), true);
                    if (r != null && open) {
                        udp.send(ByteBuffer.wrap(r), from);
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "DNS send failed: " + e.getMessage());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "DNS query handling failed", e);
                } finally {
                    udpInFlight.release();
                }
            });
        }
    }

    /** The bound proxy port(s) (CONNECT, plain HTTP, SOCKS5). */
    public List<InetSocketAddress> proxyAddresses() { return List.copyOf(proxyAddresses); }

    /** The first proxy port, or {@code null} when there is none. */
    public InetSocketAddress proxyAddress() { return proxyAddresses.isEmpty() ? null : proxyAddresses.getFirst(); }

    /** The transparent listeners' addresses. */
    public List<InetSocketAddress> transparentAddresses() { return List.copyOf(transparentAddresses); }

    /** The DNS (UDP) listeners' addresses; TCP listeners share them when bound by {@link Listeners#loopback}. */
    public List<InetSocketAddress> dnsAddresses() { return List.copyOf(dnsAddresses); }

    /** The decision log, for the summary. */
    public DecisionLog decisionLog() { return engine.log; }

    /** The resolver (its IP-to-name record is what transparent mode decides by). */
    public Resolver resolver() { return engine.resolver; }

    /** The policy in force. */
    public ProxyPolicy policy() { return engine.policy(); }

    /** The matcher in force, compiled from the policy's allow- and denylist. */
    public DomainMatcher matcher() { return engine.matcher(); }

    /**
     * Puts {@code policy}'s allow- and denylist in force at once, for every request decided from now
     * on (halt allow, deny, --ask); its limits and timeouts stay those the proxy started with. What is
     * already open stays (see {@link #closeConnections} and {@link #forgetNames}).
     */
    public void replacePolicy(ProxyPolicy policy) {
        engine.replace(policy);
    }

    /**
     * Closes every open connection whose upstream was dialled for a name and port {@code cut}
     * picks; returns how many.
     */
    public int closeConnections(java.util.function.BiPredicate<String, Integer> cut) {
        return engine.connections.closeWhere(cut);
    }

    /** See {@link Resolver#forget}: the addresses of the names {@code refused} picks stop being theirs. */
    public int forgetNames(java.util.function.Predicate<String> refused) {
        return engine.resolver.forget(refused);
    }

    /** Sets (or with null removes) the approver asked about names no allowlist entry matches. */
    public void approver(Approver approver) {
        engine.approver = approver;
    }

    /** Client connections currently open. */
    public int activeConnections() { return engine.connections.active(); }

    /**
     * Stops accepting, closes every listening socket and every open connection (their final
     * events are logged), waits briefly for the threads, and prints the summary if configured and
     * the proxy decided anything.
     */
    @Override
    public void close() {
        if (!open) return;
        open = false;
        listeners.close();
        engine.connections.close();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Handlers log their final event after their sockets close: let them, briefly.
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (handlers.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        var opts = engine.config.log();
        if (opts.summaryOnClose() && started) {
            String summary = engine.log.summary().format();
            if (!summary.isEmpty()) {
                opts.console().println(summary); // none for a run that made no request
            }
        }
        engine.log.close();
    }
}
