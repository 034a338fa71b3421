package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy port: CONNECT, plain HTTP, SOCKS5, their refusals and malformed input. */
class ProxyPortTest {
    FakeDns dns;
    Origin echo;
    Origin http;
    ProxyServer proxy;
    List<DecisionEvent> events;

    @BeforeEach
    void setUp() throws IOException {
        dns = new FakeDns();
        dns.answer("allowed.test", "127.0.0.1");
        dns.answer("evil.test", "127.0.0.1");
        dns.answer("blocked.allowed.test", "127.0.0.1");
        dns.answer("a.wild.test", "127.0.0.1");
        dns.silent.add("slow.allowed.test");
        echo = new Origin(Origin.Mode.ECHO);
        http = new Origin(Origin.Mode.HTTP);
        events = events();
        proxy = ProxyServer.startOnLoopback(base(dns, events)
                .allow("allowed.test", "*.allowed.test", "*.wild.test")
                .deny("blocked.allowed.test")
                .build());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) proxy.close();
        echo.close();
        http.close();
        dns.close();
    }

    // ------------------------------------------------------------ CONNECT

    @Test
    void connectToAllowedNameTunnelsBytes() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            send(s, "ping");
            assertEquals("ping", new String(readN(s, 4), StandardCharsets.US_ASCII));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e.via() == DecisionEvent.Via.CONNECT && e.decision() == DecisionEvent.Decision.ALLOWED
                        && "allowed.test".equals(e.host()) && e.bytesUp() == 4 && e.bytesDown() >= 4)), events.toString());
        assertEquals(1, dns.count("allowed.test"));
    }

    @Test
    void connectToUnlistedNameIs403AndNeverAskedUpstream() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT evil.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 403 "), r[0]);
            assertEquals("not in allowlist", header(r[0], "X-Halt-Reason"));
            assertTrue(r[1].startsWith("halt: evil.test:" + echo.port() + " refused: not in allowlist"), r[1]);
            assertTrue(r[1].contains("domain_allowlist"), r[1]);
            assertEquals(r[1].length(), Integer.parseInt(header(r[0], "Content-Length")));
            assertTrue(closedByPeer(s));
        }
        assertEquals(0, dns.count("evil.test"), dns.log.toString());
        assertEquals(0, echo.accepted.get());
        var refused = events.stream().filter(e -> e.decision() == DecisionEvent.Decision.REFUSED).toList();
        assertEquals(1, refused.size());
        assertEquals("evil.test", refused.getFirst().host());
    }

    @Test
    void denylistWinsOverWildcardAllow() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT blocked.allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 403 "), head);
            assertEquals("denied by blocked.allowed.test", header(head, "X-Halt-Reason"));
        }
        assertEquals(0, dns.count("blocked.allowed.test"));
    }

    @Test
    void wildcardAllowsSubdomainsButNotApex() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT a.wild.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT wild.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 403 "));
        }
    }

    @Test
    void ipLiteralIsRefusedUntilResolvedFromAnAllowedName() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 403 "), head);
            assertTrue(header(head, "X-Halt-Reason").contains("not recently resolved"), head);
        }
        assertEquals(0, echo.accepted.get());
        proxy.resolver().addresses("allowed.test");
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            send(s, "x");
            assertEquals("x", new String(readN(s, 1), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void neverConnectsToItsOwnListener() throws Exception {
        int own = proxy.proxyAddress().getPort();
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + own + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 403 "), head);
            assertTrue(header(head, "X-Halt-Reason").contains("own listener"), head);
        }
    }

    @Test
    void connectionRefusedUpstreamIs502() throws Exception {
        int closedPort;
        try (var ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = ss.getLocalPort();
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + closedPort + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 502 "), head);
            assertTrue(header(head, "X-Halt-Reason").contains("refused"), head);
        }
        assertTrue(events.stream().anyMatch(e -> e.decision() == DecisionEvent.Decision.FAILED));
    }

    @Test
    void connectTimeoutIs504() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).connectTimeout(Duration.ofMillis(300)).allow("allowed.test").build());
        // A loopback listener that never accepts: once its accept queue is full the kernel drops
        // further SYNs, so a connect hangs until the timeout, without leaving loopback.
        var fillers = new java.util.ArrayList<Socket>();
        try (var full = new java.net.ServerSocket()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            boolean hung = false;
            for (int i = 0; i < 16 && !hung; i++) {
                var f = new Socket();
                fillers.add(f);
                try {
                    f.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException e) {
                    hung = true;
                }
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(hung, "[syn-drop] this kernel does not drop SYNs on a full accept queue");
            try (Socket s = connect(proxy.proxyAddress())) {
                send(s, "CONNECT allowed.test:" + full.getLocalPort() + " HTTP/1.1\r\n\r\n");
                String head = readHead(s);
                assertTrue(head.startsWith("HTTP/1.1 504 "), head);
                assertTrue(header(head, "X-Halt-Reason").contains("timed out"), head);
            }
        } finally {
            for (Socket f : fillers) f.close();
        }
    }

    @Test
    void dnsTimeoutIs504() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT slow.allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 504 "), head);
        }
        assertEquals(1, dns.count("slow.allowed.test"));
    }

    @Test
    void localDestinationsAreRefusedByDefault() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allowLocalDestinations(false).allow("allowed.test").build());
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 403 "), head);
            assertTrue(header(head, "X-Halt-Reason").contains("local address 127.0.0.1"), head);
        }
        // Resolved (the name is allowed) but never connected to.
        assertEquals(1, dns.count("allowed.test"));
        assertEquals(0, echo.accepted.get());
    }

    @Test
    void largeButLegalHeadsAreAccepted() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            // Sent in pieces, so the head buffer grows across reads.
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n");
            for (int i = 0; i < 10; i++) {
                send(s, "X-Pad-" + i + ": " + "p".repeat(1000) + "\r\n");
                Thread.sleep(5);
            }
            send(s, "\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            send(s, "big");
            assertEquals("big", new String(readN(s, 3), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void bytesPipelinedAfterConnectHeadReachTheOrigin() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\nearly");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            assertEquals("early", new String(readN(s, 5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void tunnelCarryingAHandshakeForARefusedNameIsCut() throws Exception {
        byte[] evil = TlsHellos.clientHello("evil.test");
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            s.getOutputStream().write(evil);
            assertEquals("", readToEnd(s), "not one byte of the hello may reach the origin (it would echo it)");
        }
        // Pipelined right behind the CONNECT head: inspected all the same.
        try (Socket s = connect(proxy.proxyAddress())) {
            byte[] head = ("CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] both = java.util.Arrays.copyOf(head, head.length + evil.length);
            System.arraycopy(evil, 0, both, head.length, evil.length);
            s.getOutputStream().write(both);
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            assertEquals("", readToEnd(s));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(0, socksHandshake(s, socksDomain("allowed.test", echo.port())));
            s.getOutputStream().write(evil);
            assertEquals("", readToEnd(s));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.decision() == DecisionEvent.Decision.REFUSED
                && e.reason().contains("TLS server name evil.test")).count() == 3), events.toString());
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void tunnelWithAnAllowedHandshakeOrAServerThatSpeaksFirstFlows() throws Exception {
        byte[] good = TlsHellos.clientHello("a.wild.test");
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            s.getOutputStream().write(good);
            assertArrayEquals(good, readN(s, good.length));
        }
        try (var banner = new Origin(Origin.Mode.BANNER); Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.test:" + banner.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200 "));
            // The inspector waits for the client's first bytes; the server's must flow meanwhile.
            String line = "HELLO FROM ORIGIN\n";
            assertEquals(line, new String(readN(s, line.length()), StandardCharsets.US_ASCII));
            send(s, "SSH-2.0-test\r\n");
            assertEquals("SSH-2.0-test\r\n", new String(readN(s, 14), StandardCharsets.US_ASCII));
        }
    }

    // ------------------------------------------------------------ plain HTTP

    @Test
    void plainHttpIsForwardedInOriginFormWithoutHopByHopHeaders() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "GET http://allowed.test:" + http.port() + "/path?q=1 HTTP/1.1\r\nHost: allowed.test\r\n"
                    + "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eDp5\r\nX-Keep: 1\r\n\r\n");
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 200 "), r[0]);
            assertEquals("yes", header(r[0], "X-Origin"));
            assertEquals("origin saw GET /path?q=1 HTTP/1.1 body=", r[1]);
        }
        String seen = http.requests.getFirst();
        assertTrue(seen.contains("Host: allowed.test:" + http.port() + "\r\n"), seen);
        assertTrue(seen.contains("X-Keep: 1\r\n"), seen);
        assertFalse(seen.toLowerCase().contains("proxy-"), seen);
    }

    @Test
    void plainHttpChecksTheHostOnEveryRequestOfAKeepAliveConnection() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST http://allowed.test:" + http.port() + "/one HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
            String[] r1 = readResponse(s);
            assertTrue(r1[0].startsWith("HTTP/1.1 200 "), r1[0]);
            assertEquals("origin saw POST /one HTTP/1.1 body=abc", r1[1]);
            send(s, "GET http://a.wild.test:" + http.port() + "/two HTTP/1.1\r\n\r\n");
            String[] r2 = readResponse(s);
            assertTrue(r2[0].startsWith("HTTP/1.1 200 "), r2[0]);
            assertEquals("origin saw GET /two HTTP/1.1 body=", r2[1]);
            send(s, "GET http://evil.test:" + http.port() + "/three HTTP/1.1\r\n\r\n");
            String[] r3 = readResponse(s);
            assertTrue(r3[0].startsWith("HTTP/1.1 403 "), r3[0]);
            assertEquals("not in allowlist", header(r3[0], "X-Halt-Reason"));
        }
        assertEquals(2, http.requests.size());
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void plainHttpChunkedRequestBodyIsFramedSoTheNextRequestIsStillChecked() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST http://allowed.test:" + http.port() + "/up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 100 "));
            // The chunk data holds text that looks like a request for a refused host: it is body, not a request.
            String smuggle = "GET http://evil.test/ HTTP/1.1\r\n\r\n";
            send(s, "5;ext=1\r\nhello\r\n" + Integer.toHexString(smuggle.length()) + "\r\n" + smuggle + "\r\n0\r\nX-Trailer: t\r\n\r\n");
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 200 "), r[0]);
            assertEquals("origin saw POST /up HTTP/1.1 body=hello" + smuggle, r[1]);
            send(s, "GET http://evil.test:" + http.port() + "/next HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 403 "));
        }
        assertEquals(1, http.requests.size());
        assertFalse(http.requests.getFirst().toLowerCase().contains("expect:"), "Expect is answered by the proxy");
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void plainHttpChunkedResponseKeepsTheClientConnection() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "GET http://allowed.test:" + http.port() + "/chunked HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            assertEquals("chunked", header(head, "Transfer-Encoding"));
            assertNull(header(head, "Connection"), head);
            String expect = "origin saw GET /chunked HTTP/1.1 body=";
            String body = Integer.toHexString(expect.length()) + "\r\n" + expect + "\r\n0\r\n\r\n";
            assertEquals(body, new String(readN(s, body.length()), StandardCharsets.ISO_8859_1));
            send(s, "GET http://allowed.test:" + http.port() + "/again HTTP/1.1\r\n\r\n");
            String[] r = readResponse(s);
            assertEquals("origin saw GET /again HTTP/1.1 body=", r[1]);
        }
    }

    @Test
    void plainHttpHeadResponseHasNoBodyAndTheConnectionContinues() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "HEAD http://allowed.test:" + http.port() + "/h HTTP/1.1\r\n\r\n");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            assertNotNull(header(head, "Content-Length"));
            send(s, "GET http://allowed.test:" + http.port() + "/g HTTP/1.1\r\n\r\n");
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 200 "), "the HEAD's body bytes must not be read as the next response: " + r[0]);
            assertEquals("origin saw GET /g HTTP/1.1 body=", r[1]);
        }
    }

    @Test
    void plainHttpMalformedChunkEndsTheConnection() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST http://allowed.test:" + http.port() + "/up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            assertTrue(closedByPeer(s));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST http://allowed.test:" + http.port() + "/up HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 400 "));
        }
    }

    @Test
    void plainHttpRefusesOriginFormAndHttpsUrls() throws Exception {
        for (String line : List.of("GET / HTTP/1.1", "GET https://allowed.test/ HTTP/1.1")) {
            try (Socket s = connect(proxy.proxyAddress())) {
                send(s, line + "\r\nHost: allowed.test\r\n\r\n");
                assertTrue(readHead(s).startsWith("HTTP/1.1 400 "), line);
            }
        }
        assertEquals(0, http.accepted.get());
    }

    // ------------------------------------------------------------ malformed

    @Test
    void malformedRequestsGetCleanErrorsAndTheServerKeepsServing() throws Exception {
        record Case(byte[] bytes, int status) {}
        var cases = List.of(
                new Case("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("GET  http://allowed.test/ HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("GET http://allowed.test/ HTTP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 505),
                new Case("CONNECT allowed.test HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("CONNECT allowed.test:99999 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("GET http://allowed.test/ HTTP/1.1\r\nBad Header: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("GET http://allowed.test/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case("GET http://allowed.test/ HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400),
                new Case(("GET http://allowed.test/ HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 431),
                new Case(new byte[] {(byte) 0x80, 0, 1, 2, 3, (byte) 0xff, '\r', '\n', '\r', '\n'}, 400));
        for (Case c : cases) {
            try (Socket s = connect(proxy.proxyAddress())) {
                s.getOutputStream().write(c.bytes());
                String head = readHead(s);
                assertTrue(head.startsWith("HTTP/1.1 " + c.status() + " "), new String(c.bytes(), 0, Math.min(40, c.bytes().length), StandardCharsets.ISO_8859_1) + " -> " + head);
                assertNotNull(header(head, "X-Halt-Reason"));
            }
        }
        assertEquals(0, echo.accepted.get() + http.accepted.get());
        connectToAllowedNameTunnelsBytes();
    }

    @Test
    void clientThatClosesMidHeadIsForgotten() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.te");
        }
        assertTrue(await(Duration.ofSeconds(5), () -> proxy.activeConnections() == 0));
        connectToAllowedNameTunnelsBytes();
    }

    // ------------------------------------------------------------ SOCKS5

    static byte[] socksDomain(String host, int port) {
        byte[] h = host.getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[7 + h.length];
        r[0] = 5; r[1] = 1; r[2] = 0; r[3] = 3; r[4] = (byte) h.length;
        System.arraycopy(h, 0, r, 5, h.length);
        r[5 + h.length] = (byte) (port >> 8);
        r[6 + h.length] = (byte) port;
        return r;
    }

    static int socksHandshake(Socket s, byte[] request) throws IOException {
        s.getOutputStream().write(new byte[] {5, 1, 0});
        byte[] m = readN(s, 2);
        assertArrayEquals(new byte[] {5, 0}, m);
        s.getOutputStream().write(request);
        byte[] rep = readN(s, 4);
        assertEquals(4, rep.length, "short SOCKS reply");
        assertEquals(5, rep[0]);
        int alen = rep[3] == 1 ? 4 : rep[3] == 4 ? 16 : -1;
        assertTrue(alen > 0);
        readN(s, alen + 2);
        return rep[1];
    }

    @Test
    void socks5DomainConnectTunnels() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(0, socksHandshake(s, socksDomain("allowed.test", echo.port())));
            send(s, "hey");
            assertEquals("hey", new String(readN(s, 3), StandardCharsets.US_ASCII));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.via() == DecisionEvent.Via.SOCKS5
                && e.decision() == DecisionEvent.Decision.ALLOWED)));
    }

    @Test
    void socks5RefusedNameGetsNotAllowedReply() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(2, socksHandshake(s, socksDomain("evil.test", echo.port())));
            assertTrue(closedByPeer(s));
        }
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void socks5Ipv4AndIpv6AddressTypes() throws Exception {
        byte[] v4 = {5, 1, 0, 1, 127, 0, 0, 1, (byte) (echo.port() >> 8), (byte) echo.port()};
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(2, socksHandshake(s, v4), "an address nobody resolved is refused");
        }
        byte[] v6 = new byte[22];
        v6[0] = 5; v6[1] = 1; v6[3] = 4; v6[19] = 1; // ::1
        v6[20] = (byte) (echo.port() >> 8); v6[21] = (byte) echo.port();
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(2, socksHandshake(s, v6));
        }
        proxy.resolver().addresses("allowed.test");
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(0, socksHandshake(s, v4));
            send(s, "v4");
            assertEquals("v4", new String(readN(s, 2), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void socks5UnsupportedCommandAndAddressType() throws Exception {
        byte[] bind = socksDomain("allowed.test", echo.port());
        bind[1] = 2;
        try (Socket s = connect(proxy.proxyAddress())) {
            assertEquals(7, socksHandshake(s, bind));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            s.getOutputStream().write(new byte[] {5, 1, 0});
            readN(s, 2);
            s.getOutputStream().write(new byte[] {5, 1, 0, 9, 1, 2, 3, 4, 0, 80});
            byte[] rep = readN(s, 4);
            assertEquals(8, rep[1]);
        }
    }

    @Test
    void socksWithoutNoAuthMethodOrWithBadVersionIsClosedCleanly() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            s.getOutputStream().write(new byte[] {5, 1, 2}); // username/password only
            assertArrayEquals(new byte[] {5, (byte) 0xff}, readN(s, 2));
            assertTrue(closedByPeer(s));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            s.getOutputStream().write(new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 0});
            byte[] r = readN(s, 8);
            assertEquals(0x5b, r[1], "SOCKS4 rejected in SOCKS4 format");
            assertTrue(closedByPeer(s));
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            s.getOutputStream().write(new byte[] {5, 0});
            assertTrue(closedByPeer(s), "zero methods");
        }
        try (Socket s = connect(proxy.proxyAddress())) {
            s.getOutputStream().write(new byte[] {5, 1, 0});
            readN(s, 2);
            s.getOutputStream().write(new byte[] {4, 1, 0, 1, 127, 0, 0, 1, 0, 80});
            assertEquals(1, readN(s, 4)[1], "request with the wrong version: general failure");
        }
        socks5DomainConnectTunnels();
    }

    // ------------------------------------------------------------ limits

    @Test
    void connectionCapRefusesExtraConnections() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).maxConnections(2).allow("allowed.test").build());
        try (Socket a = connect(proxy.proxyAddress()); Socket b = connect(proxy.proxyAddress())) {
            send(a, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            send(b, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(a).startsWith("HTTP/1.1 200"));
            assertTrue(readHead(b).startsWith("HTTP/1.1 200"));
            try (Socket c = connect(proxy.proxyAddress())) {
                assertTrue(closedByPeer(c));
            }
            assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.reason().contains("connection limit of 2"))));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> proxy.activeConnections() == 0));
        try (Socket c = connect(proxy.proxyAddress())) {
            send(c, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(c).startsWith("HTTP/1.1 200"), "permits are returned");
        }
    }

    @Test
    void closeEndsOpenTunnelsAndStopsListening() throws Exception {
        InetSocketAddress addr = proxy.proxyAddress();
        try (Socket s = connect(addr)) {
            send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 200"));
            proxy.close();
            assertTrue(closedByPeer(s));
        }
        assertThrows(IOException.class, () -> connect(addr).close());
        assertTrue(events.stream().anyMatch(e -> e.decision() == DecisionEvent.Decision.ALLOWED && e.via() == DecisionEvent.Via.CONNECT));
    }
}
