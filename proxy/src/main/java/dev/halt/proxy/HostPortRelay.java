package dev.halt.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Host ports exposed into a sandbox ({@code --expose-host-port}): each listener, made by the
 * caller inside the sandbox's network namespace, accepts the child's connections, and each is
 * relayed to one fixed address of the host (its loopback) with the proxy's {@link Relay}, from a
 * thread of the host's namespace. Nothing is decided by name: the listener's port is the grant.
 * Each connection is one {@link DecisionEvent} ({@link DecisionEvent.Via#HOST_PORT}) in the given
 * log, allowed when it ends (with its byte counts) or failed when the host's service refused it.
 *
 * <p>Threads: a platform thread per listener accepts; a virtual thread per connection (two while
 * relaying). Start it from a thread of the host's namespace, as {@link ProxyServer}.
 */
public final class HostPortRelay implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HostPortRelay.class.getName());
    /** Host services (a database pool) keep connections idle for long: only a day of silence ends one. */
    private static final Duration IDLE = Duration.ofDays(1);
    private static final int CONNECT_MILLIS = 10_000;

    /**
     * One exposed port.
     *
     * @param listener    bound in the sandbox's namespace (127.0.0.1:sandboxPort); the relay closes it
     * @param sandboxPort the port the child connects to
     * @param target      the host's address it reaches (127.0.0.1:hostPort)
     */
    public record Forward(ServerSocketChannel listener, int sandboxPort, InetSocketAddress target) {
        public Forward {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(target, "target");
        }
    }

    private final List<Forward> forwards;
    private final DecisionLog log;
    private final Connections connections;
    private final BufferPool buffers = new BufferPool();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    private HostPortRelay(List<Forward> forwards, DecisionLog log, int maxConnections) {
        this.forwards = List.copyOf(forwards);
        this.log = log;
        this.connections = new Connections(maxConnections, IDLE);
    }

    /**
     * Starts relaying; the listeners are the relay's from now on, closed with it.
     *
     * @param log            where each connection's event goes (the proxy's, so that it is counted, shown by
     *                       {@code halt watch} and written to {@code --log} with the rest)
     * @param maxConnections the cap on concurrent connections, all ports together
     */
    public static HostPortRelay start(List<Forward> forwards, DecisionLog log, int maxConnections) throws IOException {
        var relay = new HostPortRelay(forwards, log, maxConnections);
        try {
            for (var f : relay.forwards) relay.accept(f);
        } catch (IOException | RuntimeException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    private void accept(Forward f) throws IOException {
        f.listener().configureBlocking(true);
        threads.add(Thread.ofPlatform().daemon(true).name("halt-host-port-" + f.sandboxPort()).start(() -> {
            while (open) {
                SocketChannel ch;
                try {
                    ch = f.listener().accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!open) return;
                    LOG.log(System.Logger.Level.WARNING, "accept on host port " + f.sandboxPort() + " failed: " + e.getMessage());
                    try { Thread.sleep(50); } catch (InterruptedException ie) { return; }
                    continue;
                }
                var conn = connections.admit(ch);
                if (conn == null) {
                    event(f, describe(ch), DecisionEvent.Decision.REFUSED, "connection limit reached", 0, 0, 0);
                    Connections.quietClose(ch);
                    continue;
                }
                Thread.ofVirtual().name("halt-host-port").start(() -> relay(f, conn, ch));
            }
        }));
    }

    private void relay(Forward f, Connections.Conn conn, SocketChannel ch) {
        String client = describe(ch);
        long start = System.nanoTime();
        try (conn) {
            SocketChannel up;
            try {
                up = SocketChannel.open();
                conn.upstream(up);
                up.socket().connect(f.target(), CONNECT_MILLIS);
                up.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                event(f, client, DecisionEvent.Decision.FAILED, "host port " + f.target().getPort() + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused" : String.valueOf(e.getMessage())), 0, 0, 0);
                return;
            }
            var t = Relay.run(conn, ch, up, buffers);
            event(f, client, DecisionEvent.Decision.ALLOWED, reason(f), t.up(), t.down(), start);
        }
    }

    private static String reason(Forward f) {
        return "host port " + f.target().getPort() + " exposed" + (f.sandboxPort() == f.target().getPort() ? ""
            : " as " + f.sandboxPort());
    }

    private void event(Forward f, String client, DecisionEvent.Decision decision, String reason, long up, long down, long startNanos) {
        long d = startNanos == 0 ? 0 : Math.max(0, System.nanoTime() - startNanos);
        log.record(new DecisionEvent(Instant.now().minusNanos(d), DecisionEvent.Via.HOST_PORT, client, null,
            f.target().getPort(), f.target().getAddress().getHostAddress(), decision, reason, up, down, Duration.ofNanos(d)));
    }

    private static String describe(SocketChannel ch) {
        try {
            return Engine.describe(ch.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    /** The exposed ports. */
    public List<Forward> forwards() {
        return forwards;
    }

    /** Stops accepting and closes every listener and connection. */
    @Override
    public void close() {
        open = false;
        for (var f : forwards) Connections.quietClose(f.listener());
        connections.close();
        for (var t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
