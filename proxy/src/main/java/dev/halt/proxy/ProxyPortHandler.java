package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.ALLOWED;
import static dev.halt.proxy.DecisionEvent.Decision.FAILED;
import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.Engine.Outcome;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The proxy port: HTTP CONNECT, plain HTTP in absolute form, and SOCKS5, told apart by the
 * first byte (5 is SOCKS5; HTTP methods start with a letter).
 */
final class ProxyPortHandler {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_RESPONSE_HEAD = 64 * 1024;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade", "expect", "host");

    private final Engine e;

    ProxyPortHandler(Engine e) {
        this.e = e;
    }

    void handle(Connections.Conn conn, SocketChannel ch) {
        String client = "?";
        try {
            client = Engine.describe(ch.getRemoteAddress());
            var in = new InBuf(MAX_HEAD);
            int n;
            while ((n = in.fill(conn, ch)) == 0) {
                // a zero-length read on a blocking channel only happens when full; not here
            }
            if (n < 0) {
                return;
            }
            int first = in.b[0] & 0xff;
            if (first == Socks5.VERSION) {
                socks(conn, ch, in, client);
            } else if (first == 4) {
                // SOCKS4 has no domain support worth having and no auth: refuse in its own format.
                write(conn, ch, new byte[] {0, 0x5b, 0, 0, 0, 0, 0, 0});
                e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "SOCKS version 4 is not supported (only 5)", 0, 0, 0);
            } else {
                http(conn, ch, in, client, null);
            }
        } catch (IOException ex) {
            // the client went away or the connection was closed (idle, shutdown): nothing to answer
        } finally {
            conn.close();
        }
    }

    // ---------------------------------------------------------------- HTTP

    /**
     * Serves HTTP requests until the connection ends. With {@code fixed} set (a transparent
     * connection that turned out to be HTTP), every request goes to that address and must name
     * (Host, or an absolute URL) a host the policy allows: the check runs on each request of a
     * keep-alive connection, not just the first.
     */
    void http(Connections.Conn conn, SocketChannel ch, InBuf in, String client, InetSocketAddress fixed) throws IOException {
        Via via = fixed == null ? Via.HTTP : Via.TRANSPARENT;
        while (true) {
            Parse<HttpHead.Head> p;
            while ((p = HttpHead.parseRequest(in.b, in.len, MAX_HEAD)) instanceof Parse.More) {
                if (in.fill(conn, ch) < 0) {
                    return;
                }
            }
            switch (p) {
                case Parse.Bad<HttpHead.Head> bad -> {
                    respond(conn, ch, bad.code(), "malformed request: " + bad.reason());
                    e.event(via, client, null, 0, null, REFUSED, "malformed request: " + bad.reason(), 0, 0, 0);
                    return;
                }
                case Parse.Done<HttpHead.Head> done -> {
                    in.consume(done.length());
                    HttpHead.Head head = done.value();
                    if (head.method().equals("CONNECT")) {
                        if (fixed != null) {
                            respond(conn, ch, 400, "CONNECT sent to an origin server");
                            e.event(via, client, null, fixed.getPort(), fixed.getAddress(), REFUSED, "CONNECT sent to an origin server", 0, 0, 0);
                            return;
                        }
                        connect(conn, ch, in, head, client);
                        return;
                    }
                    if (!plain(conn, ch, in, head, client, fixed)) {
                        return;
                    }
                }
                case Parse.More<HttpHead.Head> more -> throw new IllegalStateException();
            }
        }
    }

    private void connect(Connections.Conn conn, SocketChannel ch, InBuf in, HttpHead.Head head, String client) throws IOException {
        HostPort dest;
        try {
            dest = HostPort.parseAuthority(head.target(), -1);
        } catch (IllegalArgumentException ex) {
            respond(conn, ch, 400, "bad CONNECT target: " + ex.getMessage());
            e.event(Via.CONNECT, client, null, 0, null, REFUSED, "bad CONNECT target: " + ex.getMessage(), 0, 0, 0);
            return;
        }
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        switch (o) {
            case Outcome.Refused r -> {
                e.logOutcome(Via.CONNECT, client, dest.port(), o);
                respond(conn, ch, 403, r.reason(), dest + " refused");
            }
            case Outcome.Failed f -> {
                e.logOutcome(Via.CONNECT, client, dest.port(), o);
                respond(conn, ch, f.failure().httpStatus(), f.reason(), dest + " allowed but unreachable");
            }
            case Outcome.Connected c -> {
                conn.upstream(c.channel());
                try {
                    write(conn, ch, "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    var t = Relay.run(conn, ch, c.channel(), e.buffers, e.sniInspector(dest.port()), in);
                    tunnelEvent(Via.CONNECT, client, c, dest.port(), 0, t, start);
                } catch (IOException ex) {
                    e.event(Via.CONNECT, client, c.host(), dest.port(), c.ip(), ALLOWED, c.reason(), 0, 0, start);
                    throw ex;
                }
            }
        }
    }

    /** One plain-HTTP request; returns whether the client connection stays open for another. */
    private boolean plain(Connections.Conn conn, SocketChannel ch, InBuf in, HttpHead.Head head, String client,
                          InetSocketAddress fixed) throws IOException {
        Via via = fixed == null ? Via.HTTP : Via.TRANSPARENT;
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
                String why = "a request to an origin needs exactly one Host header";
                respond(conn, ch, 400, why);
                e.event(via, client, null, fixed.getPort(), fixed.getAddress(), REFUSED, why, 0, 0, 0);
                return false;
            }
            path = target;
        } else {
            String why = target.regionMatches(true, 0, "https://", 0, 8)
                    ? "https:// URLs must go through CONNECT"
                    : "a proxy request needs an absolute http:// URL";
            respond(conn, ch, 400, why);
            e.event(via, client, null, 0, null, REFUSED, why, 0, 0, 0);
            return false;
        }
        HostPort dest;
        try {
            dest = HostPort.parseAuthority(authority, fixed == null ? 80 : fixed.getPort());
        } catch (IllegalArgumentException ex) {
            respond(conn, ch, 400, "bad URL or Host: " + ex.getMessage());
            e.event(via, client, null, 0, null, REFUSED, "bad URL or Host: " + ex.getMessage(), 0, 0, 0);
            return false;
        }
        String namedHost = null;
        if (fixed != null) {
            // Transparent: the destination is the address the child dialled; the name it sends
            // must be allowed too (domain fronting defence), on the port actually dialled.
            InetAddress ip = fixed.getAddress();
            String refusal = null;
            String named = dest.host();
            if (dest.address() != null) {
                if (!dest.address().equals(ip)) {
                    refusal = "request names address " + dest.host() + " but was sent to " + ip.getHostAddress();
                }
            } else {
                String n = HostNames.normalizeOrNull(dest.host());
                var verdict = n == null ? new DomainMatcher.Verdict.NotAllowed("not a valid host name")
                        : e.matcher.checkNormalized(n, fixed.getPort());
                if (!verdict.allowed()) {
                    refusal = "connection to " + ip.getHostAddress() + " names " + dest.host() + ": " + verdict.reason()
                            + " (domain fronting defence)";
                } else {
                    named = n;
                    namedHost = n;
                }
            }
            if (refusal != null) {
                respond(conn, ch, 403, refusal);
                e.event(via, client, named, fixed.getPort(), ip, REFUSED, refusal, 0, 0, 0);
                return false;
            }
            dest = new HostPort(ip.getHostAddress(), fixed.getPort(), ip);
        }
        String te = head.header("Transfer-Encoding");
        boolean chunkedBody = te != null;
        if (chunkedBody && !lastToken(head, "Transfer-Encoding").equalsIgnoreCase("chunked")) {
            // RFC 9112 6.3: a request whose final transfer coding is not chunked cannot be framed.
            String why = "request Transfer-Encoding must end in chunked";
            respond(conn, ch, 400, why);
            e.event(via, client, dest.host(), dest.port(), null, REFUSED, why, 0, 0, 0);
            return false;
        }
        String cl = head.header("Content-Length");
        long bodyLen = cl == null ? 0 : Long.parseLong(cl);
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        if (!(o instanceof Outcome.Connected c)) {
            e.logOutcome(via, client, dest.port(), o);
            switch (o) {
                case Outcome.Refused r -> respond(conn, ch, 403, r.reason(), dest + " refused");
                case Outcome.Failed f -> respond(conn, ch, f.failure().httpStatus(), f.reason(), dest + " allowed but unreachable");
                case Outcome.Connected x -> throw new IllegalStateException();
            }
            return false;
        }
        SocketChannel up = c.channel();
        String logHost = namedHost != null ? namedHost : c.host();
        conn.upstream(up);
        long upBytes = 0;
        long downBytes = 0;
        boolean keep = head.version().equals("HTTP/1.1") && !head.hasToken("Connection", "close");
        try {
            var sb = new StringBuilder(512);
            sb.append(head.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
            sb.append("Host: ").append(authority).append("\r\n");
            for (HttpHead.Header h : head.headers()) {
                String name = h.name().toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || head.hasToken("Connection", name)) {
                    continue;
                }
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            if (head.hasToken("Expect", "100-continue") && (bodyLen > 0 || chunkedBody)) {
                // Answer for the origin: it never sees Expect, so it would never say 100 itself.
                write(conn, ch, "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            byte[] reqHead = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            Relay.writeFully(conn, up, ByteBuffer.wrap(reqHead));
            upBytes += reqHead.length;
            ByteBuffer buf = e.buffers.take();
            try {
                long sent = chunkedBody ? forwardChunked(conn, ch, up, in, buf) : forwardExactly(conn, ch, up, in, bodyLen, buf);
                if (sent < 0) {
                    e.event(via, client, logHost, dest.port(), c.ip(), FAILED,
                            "request body cut short or malformed", upBytes, 0, start);
                    return false;
                }
                upBytes += sent;
                // The response head.
                var rin = new InBuf(MAX_RESPONSE_HEAD);
                HttpHead.Head resp;
                while (true) {
                    Parse<HttpHead.Head> p;
                    while ((p = HttpHead.parseResponse(rin.b, rin.len, MAX_RESPONSE_HEAD)) instanceof Parse.More) {
                        if (rin.fill(conn, up) < 0) {
                            respond(conn, ch, 502, "origin closed the connection before a response");
                            e.event(via, client, logHost, dest.port(), c.ip(), FAILED, "no response from origin", upBytes, 0, start);
                            return false;
                        }
                    }
                    if (p instanceof Parse.Bad<HttpHead.Head> bad) {
                        respond(conn, ch, 502, "bad response from origin: " + bad.reason());
                        e.event(via, client, logHost, dest.port(), c.ip(), FAILED, "bad response: " + bad.reason(), upBytes, 0, start);
                        return false;
                    }
                    var done = (Parse.Done<HttpHead.Head>) p;
                    resp = done.value();
                    int status = resp.status();
                    if (status >= 100 && status < 200 && status != 101) {
                        // Interim response: pass it on and read the final one.
                        if (status != 100) {
                            write(conn, ch, java.util.Arrays.copyOf(rin.b, done.length()));
                        }
                        rin.consume(done.length());
                        continue;
                    }
                    rin.consume(done.length());
                    break;
                }
                int status = resp.status();
                boolean noBody = head.method().equals("HEAD") || status == 204 || status == 304;
                boolean chunked = resp.header("Transfer-Encoding") != null;
                String rcl = resp.header("Content-Length");
                boolean closeDelimited = !noBody && !chunked && rcl == null;
                keep = keep && !closeDelimited && status != 101;
                var rb = new StringBuilder(512);
                rb.append("HTTP/1.1 ").append(resp.b()).append(' ').append(resp.c()).append("\r\n");
                for (HttpHead.Header h : resp.headers()) {
                    String name = h.name().toLowerCase(Locale.ROOT);
                    if (name.equals("connection") || name.equals("keep-alive") || name.equals("proxy-connection")
                            || resp.hasToken("Connection", name)) {
                        continue;
                    }
                    rb.append(h.name()).append(": ").append(h.value()).append("\r\n");
                }
                if (!keep) {
                    rb.append("Connection: close\r\n");
                }
                rb.append("\r\n");
                byte[] respHead = rb.toString().getBytes(StandardCharsets.ISO_8859_1);
                write(conn, ch, respHead);
                downBytes += respHead.length;
                // Chunked and close-delimited bodies run to the origin's end of stream: we asked it
                // for Connection: close, and chunked framing reaches the client intact.
                boolean untilEof = !noBody && rcl == null;
                long remaining = noBody ? 0 : untilEof ? Long.MAX_VALUE : Long.parseLong(rcl);
                int first = (int) Math.min(remaining, rin.len);
                if (first > 0) {
                    write(conn, ch, java.util.Arrays.copyOf(rin.b, first));
                    remaining -= first;
                    downBytes += first;
                }
                while (remaining > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), remaining));
                    int n = up.read(buf);
                    if (n < 0) {
                        if (!untilEof) {
                            keep = false; // origin cut the body short: the client must not reuse this stream
                        }
                        break;
                    }
                    conn.touch();
                    buf.flip();
                    Relay.writeFully(conn, ch, buf);
                    remaining -= n;
                    downBytes += n;
                }
            } finally {
                e.buffers.give(buf);
            }
            e.event(via, client, logHost, dest.port(), c.ip(), ALLOWED, c.reason(), upBytes, downBytes, start);
            return keep;
        } finally {
            Connections.quietClose(up);
        }
    }

    private static String lastToken(HttpHead.Head head, String name) {
        String last = "";
        for (HttpHead.Header h : head.headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String t : h.value().split(",")) {
                    if (!t.isBlank()) last = t.strip();
                }
            }
        }
        return last;
    }

    /** Forwards exactly {@code n} bytes, first from the buffer, then from the client; -1 if it ends early. */
    private static long forwardExactly(Connections.Conn conn, SocketChannel ch, SocketChannel up, InBuf in, long n,
                                       ByteBuffer buf) throws IOException {
        long left = n;
        int buffered = (int) Math.min(left, in.len);
        if (buffered > 0) {
            Relay.writeFully(conn, up, ByteBuffer.wrap(in.b, 0, buffered));
            in.consume(buffered);
            left -= buffered;
        }
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int r = ch.read(buf);
            if (r < 0) {
                return -1;
            }
            conn.touch();
            buf.flip();
            Relay.writeFully(conn, up, buf);
            left -= r;
        }
        return n;
    }

    /**
     * Forwards a chunked request body verbatim, parsing just enough to find its end, so the
     * next request on the connection is read (and checked) as a request. -1 when malformed or
     * cut short.
     */
    private static long forwardChunked(Connections.Conn conn, SocketChannel ch, SocketChannel up, InBuf in,
                                       ByteBuffer buf) throws IOException {
        long total = 0;
        while (true) {
            int len = readLine(conn, ch, in);
            if (len < 0) return -1;
            long size = chunkSize(in.b, len);
            if (size < 0) return -1;
            Relay.writeFully(conn, up, ByteBuffer.wrap(in.b, 0, len));
            in.consume(len);
            total += len;
            if (size == 0) {
                while (true) { // trailer fields, then the empty line
                    int t = readLine(conn, ch, in);
                    if (t < 0) return -1;
                    boolean empty = t == 1 || (t == 2 && in.b[0] == '\r');
                    Relay.writeFully(conn, up, ByteBuffer.wrap(in.b, 0, t));
                    in.consume(t);
                    total += t;
                    if (empty) return total;
                }
            }
            if (forwardExactly(conn, ch, up, in, size, buf) < 0) return -1;
            total += size;
            int crlf = readLine(conn, ch, in);
            if (crlf < 0 || !(crlf == 1 || (crlf == 2 && in.b[0] == '\r'))) return -1;
            Relay.writeFully(conn, up, ByteBuffer.wrap(in.b, 0, crlf));
            in.consume(crlf);
            total += crlf;
        }
    }

    /** Length of the next line including its LF, reading more as needed; -1 at end of stream or if too long. */
    private static int readLine(Connections.Conn conn, SocketChannel ch, InBuf in) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = scanned; i < in.len; i++) {
                if (in.b[i] == '\n') return i + 1;
            }
            scanned = in.len;
            if (in.isFull() || in.fill(conn, ch) < 0) return -1;
        }
    }

    /**
     * The size of a chunk-size line ({@code hex [BWS] [;ext] CRLF}), or -1. Strict: whatever we
     * accept is forwarded verbatim, and an origin that reads it differently would see a
     * different body boundary than we did.
     */
    static long chunkSize(byte[] b, int len) {
        long size = 0;
        int i = 0;
        for (; i < len; i++) {
            int d = Character.digit(b[i] & 0xff, 16);
            if (d < 0 || (b[i] & 0xff) >= 0x80) {
                break;
            }
            if (i >= 12) return -1;
            size = size * 16 + d;
        }
        if (i == 0) return -1;
        while (i < len && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i < len && b[i] == ';') {
            for (i++; i < len && b[i] != '\r' && b[i] != '\n'; i++) {
                int c = b[i] & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) return -1;
            }
        }
        if (i < len && b[i] == '\r') i++;
        return i == len - 1 && b[i] == '\n' ? size : -1;
    }

    private void tunnelEvent(Via via, String client, Outcome.Connected c, int port, long pre, Relay.Totals t, long start) {
        if (t.refused() != null) {
            e.event(via, client, c.host(), port, c.ip(), REFUSED, t.refused(), pre + t.up(), t.down(), start);
        } else {
            e.event(via, client, c.host(), port, c.ip(), ALLOWED, c.reason(), pre + t.up(), t.down(), start);
        }
    }

    // ---------------------------------------------------------------- SOCKS5

    private void socks(Connections.Conn conn, SocketChannel ch, InBuf in, String client) throws IOException {
        Parse<Socks5.Greeting> g;
        while ((g = Socks5.parseGreeting(in.b, in.len)) instanceof Parse.More) {
            if (in.fill(conn, ch) < 0) return;
        }
        if (g instanceof Parse.Bad<Socks5.Greeting> bad) {
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "malformed SOCKS5 greeting: " + bad.reason(), 0, 0, 0);
            return;
        }
        var greeting = (Parse.Done<Socks5.Greeting>) g;
        in.consume(greeting.length());
        if (!greeting.value().offers(Socks5.METHOD_NO_AUTH)) {
            write(conn, ch, new byte[] {5, (byte) 0xff});
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "client offers no 'no authentication' method", 0, 0, 0);
            return;
        }
        write(conn, ch, new byte[] {5, 0});
        Parse<Socks5.Request> r;
        while ((r = Socks5.parseRequest(in.b, in.len)) instanceof Parse.More) {
            if (in.fill(conn, ch) < 0) return;
        }
        if (r instanceof Parse.Bad<Socks5.Request> bad) {
            socksReply(conn, ch, bad.code(), null);
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "malformed SOCKS5 request: " + bad.reason(), 0, 0, 0);
            return;
        }
        var req = (Parse.Done<Socks5.Request>) r;
        in.consume(req.length());
        HostPort dest = req.value().destination();
        if (req.value().command() != Socks5.CMD_CONNECT) {
            socksReply(conn, ch, Socks5.REP_COMMAND_NOT_SUPPORTED, null);
            e.event(Via.SOCKS5, client, dest.host(), dest.port(), null, REFUSED,
                    "SOCKS5 command " + req.value().command() + " is not supported (only CONNECT)", 0, 0, 0);
            return;
        }
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        switch (o) {
            case Outcome.Refused x -> {
                e.logOutcome(Via.SOCKS5, client, dest.port(), o);
                socksReply(conn, ch, Socks5.REP_NOT_ALLOWED, null);
            }
            case Outcome.Failed f -> {
                e.logOutcome(Via.SOCKS5, client, dest.port(), o);
                socksReply(conn, ch, f.failure().socksReply(), null);
            }
            case Outcome.Connected c -> {
                conn.upstream(c.channel());
                socksReply(conn, ch, Socks5.REP_SUCCEEDED, (InetSocketAddress) c.channel().getLocalAddress());
                var t = Relay.run(conn, ch, c.channel(), e.buffers, e.sniInspector(dest.port()), in);
                tunnelEvent(Via.SOCKS5, client, c, dest.port(), 0, t, start);
            }
        }
    }

    private static void socksReply(Connections.Conn conn, SocketChannel ch, int code, InetSocketAddress bound) throws IOException {
        byte[] addr = bound == null ? new byte[4] : bound.getAddress().getAddress();
        int port = bound == null ? 0 : bound.getPort();
        var b = ByteBuffer.allocate(6 + addr.length);
        b.put((byte) 5).put((byte) code).put((byte) 0).put((byte) (bound == null || bound.getAddress() instanceof Inet4Address ? 1 : 4));
        b.put(addr).putShort((short) port).flip();
        Relay.writeFully(conn, ch, b);
    }

    // ---------------------------------------------------------------- helpers

    static void respond(Connections.Conn conn, SocketChannel ch, int status, String reason) throws IOException {
        respond(conn, ch, status, reason, null);
    }

    /**
     * A complete error response that closes the connection. {@code X-Halt-Reason} carries the
     * short reason (for programs); the body says what was refused and, when the allowlist is
     * the cause, how to change it (for people reading an agent's log).
     */
    static void respond(Connections.Conn conn, SocketChannel ch, int status, String reason, String what) throws IOException {
        String safe = sanitize(reason);
        String hint = reason.equals("not in allowlist")
                ? " (halt's network policy: add the host to [proxy] domain_allowlist, or run with --allow HOST)"
                : "";
        byte[] body = ("halt: " + (what == null ? "" : sanitize(what) + ": ") + safe + hint + "\n").getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + " " + phrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Halt-Reason: " + safe + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        var b = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
        Relay.writeFully(conn, ch, b);
    }

    static String sanitize(String s) {
        return HostNames.printable(s, 300);
    }

    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 411 -> "Length Required";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    static void write(Connections.Conn conn, SocketChannel ch, byte[] b) throws IOException {
        Relay.writeFully(conn, ch, ByteBuffer.wrap(b));
    }
}
