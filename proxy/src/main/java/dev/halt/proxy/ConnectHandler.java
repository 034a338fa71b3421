package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.ALLOWED;
import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.Engine.Outcome;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * HTTP CONNECT: the target names a host and port; once {@link Engine#dial} connects, the client
 * gets its 200 and the connection becomes a tunnel, whose first bytes, if a TLS ClientHello, must
 * name an allowed server too.
 */
final class ConnectHandler {
    private final Engine e;

    ConnectHandler(Engine e) {
        this.e = e;
    }

    /** Serves a CONNECT whose head was just read; {@code in} holds what the client sent after it. */
    void tunnel(Connections.Conn conn, SocketChannel ch, InBuf in, HttpHead.Request head, String client) throws IOException {
        HostPort dest;
        try {
            dest = HostPort.parseAuthority(head.target(), -1);
        } catch (IllegalArgumentException ex) {
            HttpResponses.error(conn, ch, 400, "bad CONNECT target: " + ex.getMessage());
            e.event(Via.CONNECT, client, null, 0, null, REFUSED, "bad CONNECT target: " + ex.getMessage(), 0, 0, 0);
            return;
        }
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        if (!(o instanceof Outcome.Connected c)) {
            e.logOutcome(Via.CONNECT, client, dest.port(), o);
            HttpResponses.notConnected(conn, ch, dest, o);
            return;
        }
        conn.upstream(c, dest.port());
        try {
            HttpResponses.write(conn, ch, HttpResponses.CONNECTION_ESTABLISHED);
            var t = Relay.run(conn, ch, c.channel(), e.buffers, e.sniInspector(dest.port(), c.host()), in);
            e.tunnelEnded(Via.CONNECT, client, c, dest.port(), t, start);
        } catch (IOException ex) {
            e.event(Via.CONNECT, client, c.host(), dest.port(), c.ip(), ALLOWED, c.reason(), 0, 0, start);
            throw ex;
        }
    }
}
