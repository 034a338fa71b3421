package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The HTTP requests of one client connection, read head by head: a CONNECT goes to the
 * {@link ConnectHandler} (and ends the session as a tunnel), any other method to the
 * {@link HttpForwarder}, for as long as the connection stays open.
 */
final class HttpSession {
    private final Engine e;
    private final ConnectHandler connect;
    private final HttpForwarder forwarder;

    HttpSession(Engine e) {
        this.e = e;
        this.connect = new ConnectHandler(e);
        this.forwarder = new HttpForwarder(e);
    }

    /**
     * Serves HTTP requests until the connection ends. With {@code fixed} set (a transparent
     * connection that turned out to be HTTP), every request goes to that address and must name
     * (Host, or an absolute URL) a host the policy allows: the check runs on each request of a
     * keep-alive connection, not just the first.
     */
    void serve(Connections.Conn conn, SocketChannel ch, InBuf in, String client, InetSocketAddress fixed) throws IOException {
        Via via = fixed == null ? Via.HTTP : Via.TRANSPARENT;
        while (true) {
            Parse<HttpHead.Request> p;
            while ((p = HttpHead.parseRequest(in.b, in.len, HttpHead.MAX_REQUEST_HEAD)) instanceof Parse.More) {
                if (in.fill(conn, ch) < 0) {
                    return;
                }
            }
            switch (p) {
                case Parse.Bad<HttpHead.Request> bad -> {
                    HttpResponses.error(conn, ch, bad.code(), "malformed request: " + bad.reason());
                    e.event(via, client, null, 0, null, REFUSED, "malformed request: " + bad.reason(), 0, 0, 0);
                    return;
                }
                case Parse.Done<HttpHead.Request> done -> {
                    in.consume(done.length());
                    HttpHead.Request head = done.value();
                    if (head.method().equals("CONNECT")) {
                        if (fixed != null) {
                            HttpResponses.error(conn, ch, 400, "CONNECT sent to an origin server");
                            e.event(via, client, null, fixed.getPort(), fixed.getAddress(), REFUSED, "CONNECT sent to an origin server", 0, 0, 0);
                            return;
                        }
                        connect.tunnel(conn, ch, in, head, client);
                        return;
                    }
                    if (!forwarder.forward(conn, ch, in, head, client, fixed)) {
                        return;
                    }
                }
                case Parse.More<HttpHead.Request> more -> throw new IllegalStateException();
            }
        }
    }
}
