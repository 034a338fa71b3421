package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsFormatException;
import dev.halt.proxy.dns.DnsMessage;
import dev.halt.proxy.dns.HostsFile;
import dev.halt.proxy.dns.ResolvConf;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand-written parsers, on well-formed and hostile input. */
class WireParsersTest {

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void httpRequestHead() {
        byte[] b = ascii("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nX-A:  b \r\n\r\nrest");
        var p = (Parse.Done<HttpHead.Request>) HttpHead.parseRequest(b, b.length, 16384);
        assertEquals("CONNECT", p.value().method());
        assertEquals("example.com:443", p.value().target());
        assertEquals("b", p.value().header("x-a"));
        assertEquals(b.length - 4, p.length());
        byte[] lf = ascii("GET http://a/ HTTP/1.0\nHost: a\n\n");
        assertInstanceOf(Parse.Done.class, HttpHead.parseRequest(lf, lf.length, 16384));
        byte[] partial = ascii("GET http://a/ HTTP/1.1\r\nHost: a\r\n");
        assertInstanceOf(Parse.More.class, HttpHead.parseRequest(partial, partial.length, 16384));
    }

    @Test
    void httpRequestHeadRejections() {
        for (String s : List.of("GET http://a/\r\n\r\n", "GET http://a/ HTTP/1.1 x\r\n\r\n", "G(T http://a/ HTTP/1.1\r\n\r\n",
                "GET http://a/ HTTP/1.1\r\nNoColon\r\n\r\n", "GET http://a/ HTTP/1.1\r\n: empty\r\n\r\n",
                "GET http://a/ HTTP/1.1\r\nA: b\u0000c\r\n\r\n", "GET http://a/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                "GET http://a/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")) {
            byte[] b = ascii(s);
            assertInstanceOf(Parse.Bad.class, HttpHead.parseRequest(b, b.length, 16384), s);
        }
        byte[] big = ascii("GET http://a/ HTTP/1.1\r\nX: " + "y".repeat(100));
        var bad = (Parse.Bad<HttpHead.Request>) HttpHead.parseRequest(big, big.length, 64);
        assertEquals(431, bad.code());
    }

    @Test
    void httpResponseHead() {
        byte[] b = ascii("HTTP/1.1 204 No Content\r\nA: b\r\n\r\n");
        var p = (Parse.Done<HttpHead.Response>) HttpHead.parseResponse(b, b.length, 1024);
        assertEquals(204, p.value().status());
        byte[] bad = ascii("HTTP/1.1 2x4 Nope\r\n\r\n");
        assertInstanceOf(Parse.Bad.class, HttpHead.parseResponse(bad, bad.length, 1024));
    }

    @Test
    void chunkSizeLines() {
        assertEquals(0x1a, HttpBody.chunkSize(ascii("1a\r\n"), 4));
        assertEquals(5, HttpBody.chunkSize(ascii("5;name=v\r\n"), 10));
        assertEquals(5, HttpBody.chunkSize(ascii("5 ;x\n"), 5));
        assertEquals(0, HttpBody.chunkSize(ascii("0\r\n"), 3));
        for (String bad : List.of("\r\n", "x\r\n", "2 junk\r\n", "2\u00d4\r\n", "-1\r\n", "1111111111111\r\n", "5\r\r\n", "5;a\u0001\r\n", "5")) {
            byte[] b = ascii(bad);
            assertEquals(-1, HttpBody.chunkSize(b, b.length), bad);
        }
    }

    @Test
    void authorities() {
        assertEquals(new HostPort("example.com", 443, null), HostPort.parseAuthority("example.com:443", -1));
        assertEquals(80, HostPort.parseAuthority("example.com", 80).port());
        var v6 = HostPort.parseAuthority("[::1]:8080", -1);
        assertEquals(InetAddress.ofLiteral("::1"), v6.address());
        assertNotNull(HostPort.parseAuthority("127.0.0.1:1", -1).address());
        assertNull(HostPort.parseAuthority("1.example:1", -1).address());
        for (String s : List.of("", "a", "a:", "a:0", "a:65536", "a:x", "::1:80", "[::1", "[a]:1", "u@a:1", ":80", "[::1]x")) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parseAuthority(s, -1), s);
        }
    }

    @Test
    void socks5() {
        byte[] g = {5, 2, 0, 2};
        var greeting = (Parse.Done<Socks5.Greeting>) Socks5.parseGreeting(g, g.length);
        assertTrue(greeting.value().offers(0));
        assertInstanceOf(Parse.More.class, Socks5.parseGreeting(g, 3));
        assertInstanceOf(Parse.Bad.class, Socks5.parseGreeting(new byte[] {4, 1, 0}, 3));
        byte[] r = {5, 1, 0, 3, 3, 'a', '.', 'b', 1, (byte) 0xbb, 9};
        var req = (Parse.Done<Socks5.Request>) Socks5.parseRequest(r, r.length);
        assertEquals(new HostPort("a.b", 443, null), req.value().destination());
        assertEquals(10, req.length());
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(Parse.More.class, Socks5.parseRequest(r, i), "prefix " + i);
        }
        assertEquals(8, ((Parse.Bad<Socks5.Request>) Socks5.parseRequest(new byte[] {5, 1, 0, 7}, 4)).code());
        assertInstanceOf(Parse.Bad.class, Socks5.parseRequest(new byte[] {5, 1, 0, 3, 0, 0, 80}, 7));
        assertInstanceOf(Parse.Bad.class, Socks5.parseRequest(new byte[] {5, 1, 0, 1, 1, 2, 3, 4, 0, 0}, 10));
    }

    @Test
    void tlsSni() throws Exception {
        byte[] hello = TlsHellos.clientHello("sni.example.com");
        var p = (Parse.Done<Optional<String>>) TlsClientHello.parse(hello, hello.length);
        assertEquals(Optional.of("sni.example.com"), p.value());
        for (int i = 0; i < hello.length; i += 7) {
            assertInstanceOf(Parse.More.class, TlsClientHello.parse(hello, i), "prefix " + i);
        }
        byte[] none = TlsHellos.clientHello(null);
        assertEquals(Optional.empty(), ((Parse.Done<Optional<String>>) TlsClientHello.parse(none, none.length)).value());
        // The same hello split across two records.
        int body = hello.length - 5;
        int first = body / 2;
        byte[] split = new byte[hello.length + 5];
        System.arraycopy(hello, 0, split, 0, 5 + first);
        split[3] = (byte) (first >> 8);
        split[4] = (byte) first;
        split[5 + first] = 0x16;
        split[6 + first] = 3;
        split[7 + first] = hello[2];
        split[8 + first] = (byte) ((body - first) >> 8);
        split[9 + first] = (byte) (body - first);
        System.arraycopy(hello, 5 + first, split, 10 + first, body - first);
        assertEquals(Optional.of("sni.example.com"), ((Parse.Done<Optional<String>>) TlsClientHello.parse(split, split.length)).value());
        assertInstanceOf(Parse.Bad.class, TlsClientHello.parse(ascii("GET / HTTP/1.1\r\n"), 16));
    }

    @Test
    void dnsNamesWithCompression() throws Exception {
        // Question "www.example.com", answer name = pointer to offset 12, CNAME target "cdn" + pointer to "example.com".
        byte[] m = {0, 1, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
                3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
                (byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'c', 'd', 'n', (byte) 0xc0, 16};
        DnsMessage msg = DnsMessage.parse(m, m.length);
        assertEquals("www.example.com", msg.questions().getFirst().name());
        assertEquals("www.example.com", msg.answers().getFirst().name());
        assertEquals("cdn.example.com", msg.answers().getFirst().target());
        assertEquals(60, msg.answers().getFirst().ttl());
    }

    @Test
    void dnsHostileInput() {
        List<byte[]> bad = List.of(
                new byte[11],
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0},
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1},
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0},
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 1, 0, 1},
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, '.', 0, 0, 1, 0, 1},
                new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                new byte[] {0, 1, 1, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0},
                // A record with 5 data bytes.
                new byte[] {0, 1, (byte) 0x81, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 5, 1, 2, 3, 4, 5});
        for (byte[] b : bad) {
            assertThrows(DnsFormatException.class, () -> DnsMessage.parse(b, b.length), java.util.Arrays.toString(b));
        }
        // A name made of 200 one-byte labels (402 bytes on the wire) exceeds 255.
        byte[] longName = new byte[12 + 200 * 2 + 1 + 4];
        longName[5] = 1;
        for (int i = 0; i < 200; i++) {
            longName[12 + 2 * i] = 1;
            longName[13 + 2 * i] = 'a';
        }
        assertThrows(DnsFormatException.class, () -> DnsMessage.parse(longName, longName.length));
    }

    @Test
    void dnsErrorResponsesEchoTheQuestion() throws Exception {
        byte[] q = DnsMessage.query(0xbeef, "x.test", DnsMessage.TYPE_AAAA);
        byte[] r = DnsMessage.errorResponse(q, q.length, DnsMessage.RCODE_NXDOMAIN);
        DnsMessage m = DnsMessage.parse(r, r.length);
        assertTrue(m.isResponse());
        assertEquals(0xbeef, m.id());
        assertEquals(DnsMessage.RCODE_NXDOMAIN, m.rcode());
        assertEquals(new DnsMessage.Question("x.test", DnsMessage.TYPE_AAAA, 1), m.questions().getFirst());
        assertNull(DnsMessage.errorResponse(q, 11, 1));
        byte[] t = DnsMessage.truncated(DnsMessage.parse(q, q.length).addressResponse(List.of(InetAddress.ofLiteral("::1")), 5));
        assertTrue(DnsMessage.parse(t, t.length).isTruncated());
    }

    @Test
    void hostsAndResolvConf() {
        var h = HostsFile.parse("127.0.0.1 localhost Local.Test. # c\n# x\n::1 localhost\nbogus line\n10.0.0.300 broken\n");
        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1")), h.lookup("localhost"));
        assertEquals(1, h.lookup("local.test").size());
        assertTrue(h.lookup("broken").isEmpty());
        var ns = ResolvConf.parse("search x\nnameserver 127.0.0.53\nnameserver ::1\nnameserver fe80::1%eth0\nnameserver bogus\n");
        assertEquals(3, ns.size());
        assertEquals(53, ns.getFirst().getPort());
    }

    @Test
    void localAddresses() {
        for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.1.1",
                "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1",
                "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::10.0.0.1", "64:ff9b::a00:1")) {
            assertTrue(Addresses.isLocal(InetAddress.ofLiteral(a)), a);
        }
        for (String a : List.of("8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2001:db8::1", "2606:4700::1111", "64:ff9b::808:808")) {
            assertFalse(Addresses.isLocal(InetAddress.ofLiteral(a)), a);
        }
    }
}
