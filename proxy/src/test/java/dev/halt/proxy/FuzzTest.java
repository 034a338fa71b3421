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
                        try {
                            HostPort.parseAuthority(d.value() instanceof HttpHead.Request r ? r.target() : "" + ((HttpHead.Response) d.value()).status(), 80);
                        } catch (IllegalArgumentException expected) {
                            // a parse error is a fine answer
                        }
                    }
                    case Parse.Bad<? extends HttpHead> bad -> assertNotNull(bad.reason());
                    case Parse.More<? extends HttpHead> more -> assertTrue(b.length < 256);
                }
            }
        });
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
