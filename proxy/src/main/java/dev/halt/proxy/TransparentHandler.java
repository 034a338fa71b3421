package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.ALLOWED;
import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.Engine.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * Connections that arrive at a transparent listener: the accepted socket's local address is
 * the address the child dialled (see DESIGN.md, network topology). The address must be one
 * halt's resolver recently gave out for an allowed name; the first bytes are peeked at and a
 * TLS SNI or HTTP Host they name must be allowed too (domain fronting). No TLS is terminated.
 */
final class TransparentHandler {
    private static final int PEEK_MAX = 16 * 1024;
    private final Engine e;

    TransparentHandler(Engine e) {
        this.e = e;
    }

    void handle(Connections.Conn conn, SocketChannel ch) {
        String client = "?";
        try {
            client = Engine.describe(ch.getRemoteAddress());
            var local = (InetSocketAddress) ch.getLocalAddress();
            InetAddress ip = local.getAddress();
            int port = local.getPort();
            String name = e.allowedNameFor(ip, port);
            if (name == null) {
                e.event(Via.TRANSPARENT, client, null, port, ip, REFUSED, "address " + ip.getHostAddress()
                        + " was not recently resolved by halt from an allowed name", 0, 0, 0);
                return;
            }
            var peeked = new InBuf(PEEK_MAX);
            String named = peek(conn, ch, peeked);
            if (named != null && named.startsWith("!")) {
                e.event(Via.TRANSPARENT, client, name, port, ip, REFUSED, named.substring(1), 0, 0, 0);
                return;
            }
            String host = name;
            if (named != null) {
                String n = HostNames.normalizeOrNull(named);
                var verdict = n == null ? new DomainMatcher.Verdict.NotAllowed("not a valid host name")
                        : e.matcher.checkNormalized(n, port);
                if (!verdict.allowed()) {
                    e.event(Via.TRANSPARENT, client, n == null ? named : n, port, ip, REFUSED, "connection to "
                            + ip.getHostAddress() + " (" + name + ") names " + named + ": " + verdict.reason()
                            + " (domain fronting defence)", 0, 0, 0);
                    return;
                }
                host = n;
            }
            long start = System.nanoTime();
            Outcome o = e.dial(new HostPort(ip.getHostAddress(), port, ip));
            switch (o) {
                case Outcome.Refused r -> e.event(Via.TRANSPARENT, client, host, port, ip, REFUSED, r.reason(), 0, 0, 0);
                case Outcome.Failed f -> e.logOutcome(Via.TRANSPARENT, client, port, new Outcome.Failed(host, ip, f.failure(), f.reason()));
                case Outcome.Connected c -> {
                    conn.upstream(c.channel());
                    long pre = peeked.len;
                    if (peeked.len > 0) {
                        Relay.writeFully(conn, c.channel(), ByteBuffer.wrap(peeked.b, 0, peeked.len));
                    }
                    var t = Relay.run(conn, ch, c.channel(), e.buffers);
                    e.event(Via.TRANSPARENT, client, host, port, ip, ALLOWED, c.reason(), pre + t.up(), t.down(), start);
                }
            }
        } catch (IOException ex) {
            // client gone, or closed by the idle sweeper or shutdown
        } finally {
            conn.close();
        }
    }

    /**
     * Reads the client's first bytes for up to the peek timeout. Returns the host they name
     * (SNI or Host), {@code null} when they name none (or the client waits for the server), or
     * {@code "!" + reason} when they are a TLS handshake that cannot be parsed.
     */
    private String peek(Connections.Conn conn, SocketChannel ch, InBuf in) throws IOException {
        var socket = ch.socket();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, e.config.peekTimeout().toMillis())));
        InputStream is = socket.getInputStream();
        try {
            while (!in.isFull()) {
                int n;
                try {
                    n = is.read(in.b, in.len, in.b.length - in.len);
                } catch (SocketTimeoutException t) {
                    if (in.len == 0) {
                        return null; // a server-speaks-first protocol: decide on the address
                    }
                    // Deciding on the address alone here would let a client dodge the name check
                    // by sending half a ClientHello and waiting.
                    return "!incomplete " + ((in.b[0] & 0xff) == 0x16 ? "TLS ClientHello" : "request head")
                            + " after " + e.config.peekTimeout().toMillis() + " ms";
                }
                if (n < 0) {
                    return null;
                }
                in.len += n;
                conn.touch();
                if ((in.b[0] & 0xff) == 0x16) {
                    switch (TlsClientHello.parse(in.b, in.len)) {
                        case Parse.Done<Optional<String>> d -> {
                            return d.value().orElse(null);
                        }
                        case Parse.Bad<Optional<String>> b -> {
                            return "!unparseable TLS ClientHello: " + b.reason();
                        }
                        case Parse.More<Optional<String>> m -> { }
                    }
                } else {
                    switch (HttpHead.parseRequest(in.b, in.len, in.b.length)) {
                        case Parse.Done<HttpHead.Head> d -> {
                            String h = d.value().header("Host");
                            if (h == null) return null;
                            try {
                                return HostPort.parseAuthority(h, 80).host();
                            } catch (IllegalArgumentException ex) {
                                return "!bad Host header: " + ex.getMessage();
                            }
                        }
                        case Parse.Bad<HttpHead.Head> b -> {
                            return null; // not HTTP: some other client-speaks-first protocol
                        }
                        case Parse.More<HttpHead.Head> m -> { }
                    }
                }
            }
            return "!first bytes too long to classify";
        } finally {
            socket.setSoTimeout(0);
        }
    }
}
