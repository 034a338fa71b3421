package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The proxy port: HTTP (CONNECT and plain HTTP in absolute form) and SOCKS5, told apart by the
 * first byte (5 is SOCKS5; HTTP methods start with a letter). SOCKS4 is refused in its own format.
 */
final class ProxyPortHandler {
    private final Engine e;
    private final HttpSession http;
    private final Socks5Handler socks5;

    ProxyPortHandler(Engine e, HttpSession http) {
        this.e = e;
        this.http = http;
        this.socks5 = new Socks5Handler(e);
    }

    void handle(Connections.Conn conn, SocketChannel ch) {
        String client = "?";
        try {
            client = Engine.describe(ch.getRemoteAddress());
            var in = new InBuf(HttpHead.MAX_REQUEST_HEAD);
            int n;
            while ((n = in.fill(conn, ch)) == 0) {
                // a zero-length read on a blocking channel only happens when full; not here
            }
            if (n < 0) {
                return;
            }
            int first = in.b[0] & 0xff;
            if (first == Socks5.VERSION) {
                socks5.handle(conn, ch, in, client);
            } else if (first == 4) {
                // SOCKS4 has no domain support worth having and no auth: refuse in its own format.
                Relay.writeFully(conn, ch, ByteBuffer.wrap(new byte[] {0, 0x5b, 0, 0, 0, 0, 0, 0}));
                e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "SOCKS version 4 is not supported (only 5)", 0, 0, 0);
            } else {
                http.serve(conn, ch, in, client, null);
            }
        } catch (IOException ex) {
            // the client went away or the connection was closed (idle, shutdown): nothing to answer
        } finally {
            conn.close();
        }
    }
}
