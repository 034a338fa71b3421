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
 * TLS SNI must be allowed too (domain fronting). Plain HTTP is served request by request, each
 * Host checked. Anything else is relayed on the address's merit. No TLS is terminated.
 */
final class TransparentHandler {
    private static final int PEEK_MAX = 16 * 1024;
    private final Engine e;
    private final HttpSession http;

    /** What the first bytes of a connection are. */
    private sealed interface Peeked {
        /** A TLS ClientHello, with its server name if any. */
        record Tls(Optional<String> sni) implements Peeked {}

        /** A complete HTTP request head. */
        record Http() implements Peeked {}

        /** Nothing within the peek timeout (server speaks first), or another protocol. */
        record Opaque() implements Peeked {}

        /** Bytes that must not be waved through. */
        record Refuse(String reason) implements Peeked {}
    }

    TransparentHandler(Engine e, HttpSession http) {
        this.e = e;
        this.http = http;
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
            String host = name;
            switch (peek(conn, ch, peeked)) {
                case Peeked.Refuse r -> {
                    e.event(Via.TRANSPARENT, client, name, port, ip, REFUSED, r.reason(), 0, 0, 0);
                    return;
                }
                case Peeked.Http h -> {
                    http.serve(conn, ch, peeked, client, local);
                    return;
                }
                case Peeked.Tls(Optional<String> sni) when sni.isPresent() -> {
                    String n = HostNames.normalizeOrNull(sni.get());
                    var verdict = n == null ? new DomainMatcher.Verdict.NotAllowed("not a valid host name")
                            : e.matcher().checkNormalized(n, port);
                    if (!verdict.allowed()) {
                        e.event(Via.TRANSPARENT, client, n == null ? sni.get() : n, port, ip, REFUSED, "connection to "
                                + ip.getHostAddress() + " (" + name + ") names " + sni.get() + ": " + verdict.reason()
                                + " (domain fronting defence)", 0, 0, 0);
                        return;
                    }
                    host = n;
                }
                case Peeked.Tls t -> { /* no SNI: decided on the address */ }
                case Peeked.Opaque o -> { /* server speaks first, or not TLS/HTTP: decided on the address */ }
            }
            long start = System.nanoTime();
            Outcome o = e.dial(new HostPort(ip.getHostAddress(), port, ip));
            switch (o) {
                case Outcome.Refused r -> e.event(Via.TRANSPARENT, client, host, port, ip, REFUSED, r.reason(), 0, 0, 0);
                case Outcome.Failed f -> e.logOutcome(Via.TRANSPARENT, client, port, new Outcome.Failed(host, ip, f.failure(), f.reason()));
                case Outcome.Connected c -> {
                    conn.upstream(c, port);
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

    /** Reads the client's first bytes for up to the peek timeout and classifies them. */
    private Peeked peek(Connections.Conn conn, SocketChannel ch, InBuf in) throws IOException {
        var socket = ch.socket();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, e.config.peekTimeout().toMillis())));
        InputStream is = socket.getInputStream();
        try {
            while (!in.isFull()) {
                int n;
                try {
                    in.ensureRoom();
                    n = is.read(in.b, in.len, in.b.length - in.len);
                } catch (SocketTimeoutException t) {
                    return incomplete(in, "after " + e.config.peekTimeout().toMillis() + " ms");
                }
                if (n < 0) {
                    return incomplete(in, "before end of stream");
                }
                in.len += n;
                conn.touch();
                if ((in.b[0] & 0xff) == 0x16) {
                    switch (TlsClientHello.parse(in.b, in.len)) {
                        case Parse.Done<Optional<String>> d -> {
                            return new Peeked.Tls(d.value());
                        }
                        case Parse.Bad<Optional<String>> b -> {
                            return new Peeked.Refuse("unparseable TLS ClientHello: " + b.reason());
                        }
                        case Parse.More<Optional<String>> m -> { }
                    }
                } else if (looksLikeHttp(in)) {
                    switch (HttpHead.parseRequest(in.b, in.len, in.max)) {
                        case Parse.Done<HttpHead.Request> d -> {
                            return new Peeked.Http();
                        }
                        case Parse.Bad<HttpHead.Request> b -> {
                            // An origin may read a head we call malformed more leniently, Host
                            // included: refusing is the only safe answer.
                            return new Peeked.Refuse("malformed HTTP request: " + b.reason());
                        }
                        case Parse.More<HttpHead.Request> m -> { }
                    }
                } else if (in.len >= 8) {
                    return new Peeked.Opaque();
                }
            }
            return new Peeked.Refuse("first bytes too long to classify");
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /**
     * Silence is a server-speaks-first protocol. Half a ClientHello or request head is not:
     * deciding on the address alone then would let a client dodge the name check.
     */
    private static Peeked incomplete(InBuf in, String when) {
        if (in.len == 0) {
            return new Peeked.Opaque();
        }
        if ((in.b[0] & 0xff) == 0x16) {
            return new Peeked.Refuse("incomplete TLS ClientHello " + when);
        }
        if (looksLikeHttp(in)) {
            return new Peeked.Refuse("incomplete HTTP request head " + when);
        }
        return new Peeked.Opaque();
    }

    /** An upper-case token then a space (or not enough bytes yet to tell otherwise). */
    private static boolean looksLikeHttp(InBuf in) {
        for (int i = 0; i < in.len && i < 12; i++) {
            byte c = in.b[i];
            if (c == ' ') {
                return i >= 3;
            }
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }
}
