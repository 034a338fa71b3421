package dev.halt.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Every open client connection: the concurrency cap, the idle timeout and shutdown.
 *
 * <p>The idle timeout is enforced by one sweeper thread that closes connections whose last
 * byte (either way) is older than the timeout; closing a channel wakes the threads blocked on
 * it. Reads and writes only store a timestamp, so the relay's hot path takes no lock.
 */
final class Connections implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Connections.class.getName());

    /** One client connection and whatever it opened upstream. */
    final class Conn implements Closeable {
        final Channel client;
        private volatile Channel upstream;
        /** The allowed name the upstream was dialled for, and its port: what a live deny cuts by. */
        private volatile String host;
        private volatile int port;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean closed;

        private Conn(Channel client) {
            this.client = client;
        }

        /** Notes that bytes moved. */
        void touch() {
            lastActivity = System.nanoTime();
        }

        /** Attaches the upstream channel, closed with this connection. */
        void upstream(Channel ch) throws IOException {
            upstream = ch;
            if (closed) {
                ch.close();
            }
        }

        /** Attaches the upstream a dial connected, remembering the name and port it was allowed for. */
        void upstream(Engine.Outcome.Connected connected, int port) throws IOException {
            this.host = connected.host();
            this.port = port;
            upstream(connected.channel());
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            quietClose(client);
            Channel up = upstream;
            if (up != null) {
                quietClose(up);
            }
            if (live.remove(this)) {
                permits.release();
            }
        }
    }

    private final Semaphore permits;
    private final long idleNanos;
    private final Set<Conn> live = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private volatile boolean open = true;

    Connections(int maxConnections, Duration idleTimeout) {
        this.permits = new Semaphore(maxConnections);
        this.idleNanos = idleTimeout.toNanos();
        long period = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 4));
        this.sweeper = Thread.ofPlatform().daemon(true).name("halt-proxy-idle").start(() -> sweep(period));
    }

    /** Registers a new connection, or returns {@code null} when the cap is reached. */
    Conn admit(Channel client) {
        if (!open || !permits.tryAcquire()) {
            return null;
        }
        var c = new Conn(client);
        live.add(c);
        if (!open) {
            c.close();
        }
        return c;
    }

    int active() {
        return live.size();
    }

    /**
     * Closes every connection whose upstream was dialled for a name and port that {@code cut}
     * picks (a name the denylist now refuses); returns how many. Closing wakes the threads relaying
     * it, which log its end.
     */
    int closeWhere(java.util.function.BiPredicate<String, Integer> cut) {
        int closed = 0;
        for (Conn c : live) {
            String h = c.host;
            if (h != null && cut.test(h, c.port)) {
                c.close();
                closed++;
            }
        }
        return closed;
    }

    private void sweep(long periodMillis) {
        while (open) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Conn c : live) {
                if (now - c.lastActivity > idleNanos) {
                    LOG.log(System.Logger.Level.DEBUG, "closing idle connection");
                    c.close();
                }
            }
        }
    }

    /** Closes every connection and stops the sweeper. */
    @Override
    public void close() {
        open = false;
        sweeper.interrupt();
        for (Conn c : live) {
            c.close();
        }
        try {
            sweeper.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void quietClose(Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already broken: nothing left to release
        }
    }
}
