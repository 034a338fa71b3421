package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsFormatException;
import dev.halt.proxy.dns.DnsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Property: the parsers of untrusted bytes only ever return a value, a "more", or a parse
 * error. Random and mutated inputs, fixed seeds, bounded counts; each call is also bounded in
 * time (assertTimeoutPreemptively) so a loop shows up as a failure, not a hang.
 */
class FuzzTest {
    static final int ROUNDS = 20_000;

    static byte[] mutate(Random r, byte[] seed) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits; i++) {
            switch (r.nextInt(5)) {
                case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 1 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 3 -> {
                    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
                    for (int k = b.length; k < longer.length; k++) longer[k] = (byte) r.nextInt(256);
                    b = longer;
                }
                default -> {
                    // pointer-ish bytes: the interesting case for DNS
                    if (b.length > 1) {
                        int at = r.nextInt(b.length - 1);
                        b[at] = (byte) (0xc0 | r.nextInt(64));
                        b[at + 1] = (byte) r.nextInt(256);
                    }
                }
            }
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
            }
        }
        return b;
    }

    static void run(long seed, List<byte[]> seeds, Consumer<byte[]> parser) {
        var r = new Random(seed);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] input;
                if (i % 4 == 0) {
                    input = new byte[r.nextInt(600)];
                    r.nextBytes(input);
                } else {
                    input = mutate(r, seeds.get(r.nextInt(seeds.size())));
                }
                try {
                    parser.accept(input);
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("round " + i + " input " + java.util.HexFormat.of().formatHex(input), e);
                }
            }
        });
    }

    @Test
    void dnsParserOnlyReturnsOrReportsFormatErrors() throws Exception {
        byte[] q = DnsMessage.query(1, "www.example.com", DnsMessage.TYPE_A);
        byte[] compressed = {0, 1, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
                3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
                (byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'c', 'd', 'n', (byte) 0xc0, 16,
                (byte) 0xc0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4};
        DnsMessage.parse(compressed, compressed.length); // the seed itself is valid
        run(1, List.of(q, compressed), b -> {
            try {
                DnsMessage m = DnsMessage.parse(b, b.length);
                m.addresses();
                m.udpPayloadLimit();
                DnsMessage.errorResponse(b, b.length, DnsMessage.RCODE_FORMERR);
            } catch (DnsFormatException e) {
                assertNotNull(e.getMessage());
                DnsMessage.errorResponse(b, b.length, DnsMessage.RCODE_FORMERR);
            }
        });
    }

    @Test
    void httpHeadParserOnlyReturnsParseResults() {
        List<byte[]> seeds = List.of(
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "GET http://a.test:8080/x?y HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        run(2, seeds, b -> {
            for (Parse<? extends HttpHead> p : List.of(HttpHead.parseRequest(b, b.length, 256), HttpHead.parseResponse(b, b.length, 256))) {
                switch (p) {
                    case Parse.Done<? extends HttpHead> d -> {
                        assertTrue(d.length() > 0 && d.length() <= b.length);
                        switch (d.value()) {
                            case HttpHead.Request r -> {
                                try {
                                    HostPort.parseAuthority(r.target(), 80);
                                } catch (IllegalArgumentException expected) {
                                    // a parse error is a fine answer
                                }
                            }
                            case HttpHead.Response r -> assertTrue(r.status() >= 0 && r.status() <= 999, r.toString());
                        }
                    }
                    case Parse.Bad<? extends HttpHead> bad -> assertNotNull(bad.reason());
                    case Parse.More<? extends HttpHead> more -> assertTrue(b.length < 256);
                }
            }
        });
    }

    static final List<byte[]> REQUEST_SEEDS = List.of(
            ascii("GET http://allowed.test:8080/x?y HTTP/1.1\r\nHost: evil.test\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n"
                    + "Proxy-Authorization: Basic eDp5\r\nKeep-Alive: 5\r\n\r\n"),
            ascii("POST http://a.allowed.test/ HTTP/1.0\r\nContent-Length: 3\r\nConnection: content-length, te\r\nExpect: 100-continue\r\n\r\nabc"),
            ascii("PUT / HTTP/1.1\r\nHost: allowed.test\r\nTransfer-Encoding: gzip, chunked\r\nConnection: transfer-encoding\r\n\r\n"),
            ascii("GET / HTTP/1.1\r\nHost: 127.0.0.2:80\r\nTE: trailers\r\nUpgrade: h2c\r\n\r\n"),
            ascii("OPTIONS * HTTP/1.1\r\nhost: ported.test:8443\r\n\r\n"));

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whatever a client sends, a transparent request goes to the address it was sent to, and
     * names that address or a host the policy allows on that port; a forwarded head parses back
     * to the same framing, so the origin finds the body's end where the proxy did.
     */
    @Test
    void routedRequestsStayOnTheDialledAddressAndKeepTheirFraming() {
        var matcher = HttpForwarderTest.MATCHER;
        var fixed = HttpForwarderTest.FIXED;
        run(7, REQUEST_SEEDS, b -> {
            if (!(HttpHead.parseRequest(b, b.length, HttpHead.MAX_REQUEST_HEAD) instanceof Parse.Done<HttpHead.Request> d)) {
                return;
            }
            var head = d.value();
            for (var dialled : java.util.Arrays.asList(null, fixed)) {
                switch (HttpForwarder.route(head, dialled, matcher)) {
                    case HttpForwarder.Route.Refused r -> assertTrue(r.status() == 400 || r.status() == 403, r.toString());
                    case HttpForwarder.Route.Upstream u -> {
                        if (dialled != null) {
                            assertEquals(new HostPort(fixed.getAddress().getHostAddress(), fixed.getPort(), fixed.getAddress()), u.dest());
                            if (u.namedHost() != null) {
                                assertTrue(matcher.checkNormalized(u.namedHost(), fixed.getPort()).allowed(), u.toString());
                            } else {
                                assertEquals(fixed.getAddress(), HostPort.parseAuthority(u.authority(), 80).address(), u.toString());
                            }
                        }
                        byte[] sent = HttpForwarder.requestHead(head, u.path(), u.authority());
                        var back = assertInstanceOf(Parse.Done.class, HttpHead.parseRequest(sent, sent.length, Integer.MAX_VALUE),
                                () -> new String(sent, StandardCharsets.ISO_8859_1));
                        var reparsed = (HttpHead.Request) back.value();
                        assertEquals(sent.length, back.length());
                        assertEquals(1, reparsed.count("Host"));
                        assertEquals(u.authority(), reparsed.header("Host"));
                        assertEquals(HttpBody.ofRequest(head), HttpBody.ofRequest(reparsed), () -> new String(sent, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        });
    }

    /** A response head rewritten for the client frames its body as the origin's did. */
    @Test
    void rewrittenResponseHeadsKeepTheirFraming() {
        List<byte[]> seeds = List.of(
                ascii("HTTP/1.1 200 OK\r\nConnection: keep-alive, content-length, X-B\r\nX-B: 1\r\nContent-Length: 3\r\n\r\n"),
                ascii("HTTP/1.0 304 Not Modified\r\nKeep-Alive: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
                ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
        run(8, seeds, b -> {
            if (!(HttpHead.parseResponse(b, b.length, HttpHead.MAX_RESPONSE_HEAD) instanceof Parse.Done<HttpHead.Response> d)) {
                return;
            }
            for (boolean keep : new boolean[] {true, false}) {
                byte[] sent = HttpForwarder.responseHead(d.value(), keep);
                var back = (HttpHead.Response) assertInstanceOf(Parse.Done.class, HttpHead.parseResponse(sent, sent.length, Integer.MAX_VALUE),
                        () -> new String(sent, StandardCharsets.ISO_8859_1)).value();
                assertEquals(d.value().status(), back.status());
                for (String method : List.of("GET", "HEAD")) {
                    assertEquals(HttpBody.ofResponse(method, d.value()), HttpBody.ofResponse(method, back));
                }
                assertEquals(!keep, back.hasToken("Connection", "close"));
            }
        });
    }

    private static final java.util.regex.Pattern CHUNK_SIZE_LINE =
            java.util.regex.Pattern.compile("([0-9A-Fa-f]{1,12})[ \\t]*(?:;[\\t\\x20-\\x7e\\x80-\\xff]*)?\\r?\\n");
    private static final java.util.regex.Pattern LINE_END = java.util.regex.Pattern.compile("\\r?\\n");

    /**
     * Where a chunked body ends, written independently of the proxy from RFC 9112 7.1 with the
     * proxy's strictness (sizes of at most 12 hex digits, extensions without control characters,
     * CRLF or a bare LF, trailer lines up to an empty one): the length, or -1.
     */
    static long chunkedLength(String s) {
        int i = 0;
        while (true) {
            var size = CHUNK_SIZE_LINE.matcher(s).region(i, s.length());
            if (!size.lookingAt()) return -1;
            long n = Long.parseLong(size.group(1), 16);
            i = size.end();
            if (n == 0) {
                while (true) {
                    int lf = s.indexOf('\n', i);
                    if (lf < 0) return -1;
                    boolean empty = lf == i || lf == i + 1 && s.charAt(i) == '\r';
                    i = lf + 1;
                    if (empty) return i;
                }
            }
            if (s.length() - i < n) return -1;
            i += (int) n;
            var end = LINE_END.matcher(s).region(i, s.length());
            if (!end.lookingAt()) return -1;
            i = end.end();
        }
    }

    /**
     * A chunked request body, mutated: the proxy finds its end where an independent reading of
     * the grammar does (or refuses it when that does), forwards exactly the bytes before it and
     * leaves every later byte, unread, for the next request. Fed in random pieces.
     */
    @Test
    void chunkedFramingForwardsExactlyWhatItConsumes() {
        String next = "GET http://evil.test/ HTTP/1.1\r\n\r\n";
        List<byte[]> seeds = List.of(ascii("5;e=1\r\nhello\r\n1a\r\n" + "x".repeat(26) + "\r\n0\r\nT: t\r\n\r\n" + next),
                ascii("3\nabc\n0\n\n" + next), ascii("0\r\n\r\n" + next));
        var pieces = new Random(9);
        try (var channels = new MemoryChannels()) {
            run(9, seeds, b -> {
                int split = pieces.nextInt(b.length + 1);
                var in = HttpBodyTest.buffered(new String(b, 0, split, StandardCharsets.ISO_8859_1), HttpHead.MAX_REQUEST_HEAD);
                var client = new MemoryChannels.Source(java.util.Arrays.copyOfRange(b, split, b.length), 1 + pieces.nextInt(40));
                var origin = new MemoryChannels.Sink();
                long n;
                try {
                    n = HttpBody.forwardRequest(channels.conn(), client, origin, in, new HttpBody.Framing.Chunked(), java.nio.ByteBuffer.allocate(16));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                String all = new String(b, StandardCharsets.ISO_8859_1);
                assertEquals(chunkedLength(all), n);
                if (n >= 0) {
                    assertEquals(all.substring(0, (int) n), origin.text());
                    assertEquals(all.substring((int) n), HttpBodyTest.left(in) + client.unread());
                } else {
                    assertTrue(all.startsWith(origin.text()), "forwarded bytes it never read");
                }
            });
        }
    }

    @Test
    void socksParsersOnlyReturnParseResults() {
        List<byte[]> seeds = List.of(new byte[] {5, 2, 0, 2}, new byte[] {5, 1, 0, 3, 3, 'a', '.', 'b', 1, (byte) 0xbb},
                new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 80}, new byte[] {5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80});
        run(3, seeds, b -> {
            for (Parse<?> p : List.of(Socks5.parseGreeting(b, b.length), Socks5.parseRequest(b, b.length))) {
                if (p instanceof Parse.Done<?> d) {
                    assertTrue(d.length() <= b.length);
                }
            }
        });
    }

    @Test
    void tlsParserOnlyReturnsParseResults() throws Exception {
        byte[] hello = TlsHellos.clientHello("fuzz.example.com");
        run(4, List.of(hello), b -> {
            if (TlsClientHello.parse(b, b.length) instanceof Parse.Done<?> d) {
                assertTrue(d.length() <= b.length);
            }
        });
    }

    @Test
    void hostNameFastPathAgreesWithTheGeneralPath() {
        var r = new Random(6);
        String alphabet = "aZ-_.9x";
        for (int i = 0; i < ROUNDS; i++) {
            var sb = new StringBuilder();
            int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 24);
            for (int k = 0; k < n; k++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            String s = sb.toString();
            String slow;
            try {
                slow = HostNames.slowPath(s);
            } catch (IllegalArgumentException e) {
                slow = null;
            }
            assertEquals(slow, HostNames.normalizeOrNull(s), s);
        }
    }

    @Test
    void domainPatternParserOnlyThrowsIllegalArgument() {
        var r = new Random(5);
        String alphabet = "ab.*:-_9ü。 \u0000/é[]@";
        for (int i = 0; i < ROUNDS; i++) {
            var sb = new StringBuilder();
            int n = r.nextInt(20);
            for (int k = 0; k < n; k++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            try {
                var p = DomainPattern.parse(sb.toString());
                assertEquals(p, DomainPattern.parse(p.toString()), sb.toString());
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("\""), e.getMessage());
            }
        }
    }
}
