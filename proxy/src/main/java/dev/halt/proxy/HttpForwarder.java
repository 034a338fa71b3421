package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.ALLOWED;
import static dev.halt.proxy.DecisionEvent.Decision.FAILED;
import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.Engine.Outcome;
import dev.halt.proxy.HttpBody.Framing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Plain HTTP, one request at a time: where it goes (an absolute {@code http://} URL on the proxy
 * port; the Host of a transparent connection, which must name an allowed host: the domain
 * fronting defence), then a new connection to the origin for the request, which gets a
 * rewritten head (origin form, hop-by-hop fields dropped, {@code Connection: close}) and its
 * body framed exactly; the response head is rewritten for the client and its body relayed to
 * its end. Each step is a method of its own, tested on its own.
 */
final class HttpForwarder {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade", "expect", "host");
    /**
     * The fields that frame the body the proxy relays: kept even when {@code Connection} names
     * them, or the receiver would frame the body differently from the proxy (a request's body
     * read as a second request, to whatever Host it names).
     */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");

    /** Where a request goes, or why it may not go anywhere. */
    sealed interface Route {
        /**
         * @param authority the Host the origin is sent, as the client named it
         * @param path the target in origin form
         * @param dest what to dial: the named host, or the address a transparent connection was made to
         * @param namedHost the allowed name a transparent request carries, logged instead of the address's; else null
         */
        record Upstream(String authority, String path, HostPort dest, String namedHost) implements Route {}

        /** Refused before anything is dialled: the status and reason to answer; the event's host, port and address. */
        record Refused(int status, String reason, String host, int port, InetAddress ip) implements Route {}
    }

    private final Engine e;

    HttpForwarder(Engine e) {
        this.e = e;
    }

    /**
     * Forwards one request whose head was just read; {@code in} holds what the client sent after
     * it. With {@code fixed} set, the connection is transparent and was made to that address.
     *
     * @return whether the client connection stays open for another request
     */
    boolean forward(Connections.Conn conn, SocketChannel ch, InBuf in, HttpHead.Request head, String client,
                    InetSocketAddress fixed) throws IOException {
        Via via = fixed == null ? Via.HTTP : Via.TRANSPARENT;
        Route.Upstream route;
        switch (route(head, fixed, e.matcher())) {
            case Route.Refused r -> {
                HttpResponses.error(conn, ch, r.status(), r.reason());
                e.event(via, client, r.host(), r.port(), r.ip(), REFUSED, r.reason(), 0, 0, 0);
                return false;
            }
            case Route.Upstream u -> route = u;
        }
        HostPort dest = route.dest();
        Framing body = HttpBody.ofRequest(head);
        if (body instanceof Framing.Unframeable u) {
            HttpResponses.error(conn, ch, 400, u.reason());
            e.event(via, client, dest.host(), dest.port(), null, REFUSED, u.reason(), 0, 0, 0);
            return false;
        }
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        if (!(o instanceof Outcome.Connected c)) {
            e.logOutcome(via, client, dest.port(), o);
            HttpResponses.notConnected(conn, ch, dest, o);
            return false;
        }
        SocketChannel up = c.channel();
        conn.upstream(c, dest.port());
        try {
            return exchange(conn, ch, in, head, body, route, c, via, client, start);
        } finally {
            Connections.quietClose(up);
        }
    }

    /** The request to the connected origin, and its response to the client. */
    private boolean exchange(Connections.Conn conn, SocketChannel ch, InBuf in, HttpHead.Request head, Framing body,
                             Route.Upstream route, Outcome.Connected c, Via via, String client, long start) throws IOException {
        SocketChannel up = c.channel();
        String logHost = route.namedHost() != null ? route.namedHost() : c.host();
        int port = route.dest().port();
        long upBytes = 0;
        long downBytes = 0;
        boolean keep = head.version().equals("HTTP/1.1") && !head.hasToken("Connection", "close");
        boolean hasBody = body instanceof Framing.Chunked || body instanceof Framing.Length l && l.bytes() > 0;
        if (head.hasToken("Expect", "100-continue") && hasBody) {
            // Answer for the origin: it never sees Expect, so it would never say 100 itself.
            HttpResponses.write(conn, ch, HttpResponses.CONTINUE);
        }
        byte[] reqHead = requestHead(head, route.path(), route.authority());
        Relay.writeFully(conn, up, ByteBuffer.wrap(reqHead));
        upBytes += reqHead.length;
        ByteBuffer buf = e.buffers.take();
        try {
            long sent = HttpBody.forwardRequest(conn, ch, up, in, body, buf);
            if (sent < 0) {
                e.event(via, client, logHost, port, c.ip(), FAILED, "request body cut short or malformed", upBytes, 0, start);
                return false;
            }
            upBytes += sent;
            var rin = new InBuf(HttpHead.MAX_RESPONSE_HEAD);
            HttpHead.Response resp;
            switch (finalResponseHead(conn, up, ch, rin)) {
                case Parse.More<HttpHead.Response> m -> {
                    HttpResponses.error(conn, ch, 502, "origin closed the connection before a response");
                    e.event(via, client, logHost, port, c.ip(), FAILED, "no response from origin", upBytes, 0, start);
                    return false;
                }
                case Parse.Bad<HttpHead.Response> bad -> {
                    HttpResponses.error(conn, ch, 502, "bad response from origin: " + bad.reason());
                    e.event(via, client, logHost, port, c.ip(), FAILED, "bad response: " + bad.reason(), upBytes, 0, start);
                    return false;
                }
                case Parse.Done<HttpHead.Response> d -> resp = d.value();
            }
            Framing respBody = HttpBody.ofResponse(head.method(), resp);
            keep = keep && !(respBody instanceof Framing.UntilClose) && resp.status() != 101;
            byte[] respHead = responseHead(resp, keep);
            HttpResponses.write(conn, ch, respHead);
            downBytes += respHead.length;
            var relayed = HttpBody.relayResponse(conn, up, ch, rin, respBody, buf);
            downBytes += relayed.bytes();
            keep = keep && relayed.complete(); // a body cut short: the client must not reuse this stream
        } finally {
            e.buffers.give(buf);
        }
        e.event(via, client, logHost, port, c.ip(), ALLOWED, c.reason(), upBytes, downBytes, start);
        return keep;
    }

    /**
     * Where a request goes. On the proxy port the target must be an absolute {@code http://}
     * URL. On a transparent connection (to {@code fixed}) an origin-form target takes its host
     * from the one Host header; a host named either way must be an allowed name, on the port
     * dialled, or the address dialled itself.
     */
    static Route route(HttpHead.Request head, InetSocketAddress fixed, DomainMatcher matcher) {
        String target = head.target();
        String authority;
        String path;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            String rest = target.substring(7);
            int cut = rest.length();
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '/' || c == '?' || c == '#') {
                    cut = i;
                    break;
                }
            }
            authority = rest.substring(0, cut);
            path = rest.substring(cut);
            int hash = path.indexOf('#');
            if (hash >= 0) path = path.substring(0, hash);
            if (path.isEmpty()) path = "/";
            if (path.startsWith("?")) path = "/" + path;
        } else if (fixed != null && (target.startsWith("/") || target.equals("*"))) {
            // Origin form: the Host header names the site. Two of them could be read
            // differently by us and by the origin, which is how fronting hides.
            authority = head.header("Host");
            if (authority == null || head.count("Host") != 1) {
                return new Route.Refused(400, "a request to an origin needs exactly one Host header",
                        null, fixed.getPort(), fixed.getAddress());
            }
            path = target;
        } else {
            String why = target.regionMatches(true, 0, "https://", 0, 8)
                    ? "https:// URLs must go through CONNECT"
                    : "a proxy request needs an absolute http:// URL";
            return new Route.Refused(400, why, null, 0, null);
        }
        HostPort dest;
        try {
            dest = HostPort.parseAuthority(authority, fixed == null ? 80 : fixed.getPort());
        } catch (IllegalArgumentException ex) {
            return new Route.Refused(400, "bad URL or Host: " + ex.getMessage(), null, 0, null);
        }
        return fixed == null ? new Route.Upstream(authority, path, dest, null) : fronting(authority, path, dest, fixed, matcher);
    }

    /**
     * A transparent request: the destination is the address the child dialled, and the name it
     * sends must be allowed too, on the port actually dialled (domain fronting defence).
     */
    private static Route fronting(String authority, String path, HostPort named, InetSocketAddress fixed, DomainMatcher matcher) {
        InetAddress ip = fixed.getAddress();
        String namedHost = null;
        String refusal = null;
        String logged = named.host();
        if (named.address() != null) {
            if (!named.address().equals(ip)) {
                refusal = "request names address " + named.host() + " but was sent to " + ip.getHostAddress();
            }
        } else {
            String n = HostNames.normalizeOrNull(named.host());
            var verdict = n == null ? new DomainMatcher.Verdict.NotAllowed("not a valid host name")
                    : matcher.checkNormalized(n, fixed.getPort());
            if (!verdict.allowed()) {
                refusal = "connection to " + ip.getHostAddress() + " names " + named.host() + ": " + verdict.reason()
                        + " (domain fronting defence)";
            } else {
                logged = n;
                namedHost = n;
            }
        }
        if (refusal != null) {
            return new Route.Refused(403, refusal, logged, fixed.getPort(), ip);
        }
        return new Route.Upstream(authority, path, new HostPort(ip.getHostAddress(), fixed.getPort(), ip), namedHost);
    }

    /**
     * The head sent to the origin: origin-form target, the client's Host, no hop-by-hop or
     * {@code Proxy-*} fields nor any other the client's Connection names but the framing ones,
     * and {@code Connection: close}
     * (one request per origin connection, so a response always ends where the proxy thinks).
     */
    static byte[] requestHead(HttpHead.Request head, String path, String authority) {
        var sb = new StringBuilder(512);
        sb.append(head.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(authority).append("\r\n");
        for (HttpHead.Header h : head.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || !FRAMING.contains(name) && head.hasToken("Connection", name)) {
                continue;
            }
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the origin's final response head into {@code rin}, passing the interim (1xx but
     * 101) responses before it on to the client as they are, except 100 (the proxy answered
     * {@code Expect} itself). On return {@code rin} holds what followed the final head.
     *
     * @return the head; {@code Bad} when malformed; {@code More} when the origin closed first
     */
    static Parse<HttpHead.Response> finalResponseHead(Connections.Conn conn, ReadableByteChannel origin,
                                                      WritableByteChannel client, InBuf rin) throws IOException {
        while (true) {
            Parse<HttpHead.Response> p;
            while ((p = HttpHead.parseResponse(rin.b, rin.len, HttpHead.MAX_RESPONSE_HEAD)) instanceof Parse.More) {
                if (rin.fill(conn, origin) < 0) {
                    return p;
                }
            }
            if (!(p instanceof Parse.Done<HttpHead.Response> done)) {
                return p;
            }
            int status = done.value().status();
            if (status >= 100 && status < 200 && status != 101) {
                if (status != 100) {
                    Relay.writeFully(conn, client, ByteBuffer.wrap(rin.b, 0, done.length()));
                }
                rin.consume(done.length());
                continue;
            }
            rin.consume(done.length());
            return p;
        }
    }

    /**
     * The head sent to the client: HTTP/1.1, the origin's status and fields without its
     * connection-scoped ones (the framing ones stay), and {@code Connection: close} unless the client may send another
     * request on this connection.
     */
    static byte[] responseHead(HttpHead.Response resp, boolean keep) {
        var rb = new StringBuilder(512);
        rb.append("HTTP/1.1 ");
        int status = resp.status();
        if (status < 100) rb.append('0');
        if (status < 10) rb.append('0');
        rb.append(status).append(' ').append(resp.reason()).append("\r\n");
        for (HttpHead.Header h : resp.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.equals("connection") || name.equals("keep-alive") || name.equals("proxy-connection")
                    || !FRAMING.contains(name) && resp.hasToken("Connection", name)) {
                continue;
            }
            rb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (!keep) {
            rb.append("Connection: close\r\n");
        }
        rb.append("\r\n");
        return rb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
