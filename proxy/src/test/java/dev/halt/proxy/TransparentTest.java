package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transparent listener. Without a network namespace the original destination of a
 * connection is the listener's own address, so the listener sits on 127.0.0.2 (what the fake
 * DNS hands out for allowed names) and the test remaps the decided destination to the origin
 * on 127.0.0.1: everything else (the decision, the peek, the relay) is the real path.
 */
class TransparentTest {
    FakeDns dns;
    Origin echo;
    Origin banner;
    Origin http;
    ProxyServer proxy;
    List<DecisionEvent> events;
    InetSocketAddress listener;
    volatile InetSocketAddress target;

    @BeforeEach
    void setUp() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canBind("127.0.0.2"), "[loopback-alias] 127.0.0.2 is not a local address here");
        dns = new FakeDns();
        dns.answer("allowed.test", "127.0.0.2");
        dns.answer("other.allowed.test", "127.0.0.2");
        echo = new Origin(Origin.Mode.ECHO);
        banner = new Origin(Origin.Mode.BANNER);
        http = new Origin(Origin.Mode.HTTP);
        target = echo.address();
        events = events();
        var t = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        var udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        listener = (InetSocketAddress) t.getLocalAddress();
        proxy = ProxyServer.start(base(dns, events).allow("allowed.test", "*.allowed.test")
                        .dialer(routing(a -> a.equals(listener) ? target : a)).build(),
                new ProxyServer.Listeners(List.of(), List.of(t), List.of(udp), List.of()));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy == null) return; // skipped
        proxy.close();
        echo.close();
        banner.close();
        http.close();
        dns.close();
    }

    void resolveThroughProxy(String name) throws Exception {
        try (var s = new java.net.DatagramSocket()) {
            s.setSoTimeout(3000);
            byte[] q = DnsMessage.query(1, name, DnsMessage.TYPE_A);
            s.send(new java.net.DatagramPacket(q, q.length, proxy.dnsAddresses().getFirst()));
            var p = new java.net.DatagramPacket(new byte[512], 512);
            s.receive(p);
            assertEquals(List.of(InetAddress.getByName("127.0.0.2")), DnsMessage.parse(p.getData(), p.getLength()).addresses());
        }
    }

    @Test
    void addressNotResolvedByHaltIsRefused() throws Exception {
        try (Socket s = connect(listener)) {
            send(s, "GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
            assertTrue(closedByPeer(s));
        }
        assertEquals(0, echo.accepted.get());
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.via() == DecisionEvent.Via.TRANSPARENT
                && e.decision() == DecisionEvent.Decision.REFUSED && e.reason().contains("not recently resolved"))));
    }

    @Test
    void httpIsServedRequestByRequestAndEveryHostIsChecked() throws Exception {
        target = http.address();
        resolveThroughProxy("allowed.test");
        try (Socket s = connect(listener)) {
            send(s, "GET /one HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
            String[] r1 = readResponse(s);
            assertTrue(r1[0].startsWith("HTTP/1.1 200 "), r1[0]);
            assertEquals("origin saw GET /one HTTP/1.1 body=", r1[1]);
            send(s, "GET /two HTTP/1.1\r\nHost: other.allowed.test:80\r\n\r\n");
            assertEquals("origin saw GET /two HTTP/1.1 body=", readResponse(s)[1]);
            // Same connection, same allowed address, but now naming a refused host.
            send(s, "GET /three HTTP/1.1\r\nHost: evil.test\r\n\r\n");
            String[] r3 = readResponse(s);
            assertTrue(r3[0].startsWith("HTTP/1.1 403 "), r3[0]);
            assertTrue(header(r3[0], "X-Halt-Reason").contains("domain fronting"), r3[0]);
        }
        assertEquals(2, http.requests.size());
        assertTrue(http.requests.getFirst().contains("Host: allowed.test\r\n"), http.requests.getFirst());
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.via() == DecisionEvent.Via.TRANSPARENT
                && e.decision() == DecisionEvent.Decision.ALLOWED).count() == 2), events.toString());
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void ambiguousHttpRequestsAreRefused() throws Exception {
        target = http.address();
        resolveThroughProxy("allowed.test");
        for (String req : List.of(
                "GET / HTTP/1.1\r\nHost: allowed.test\r\nHost: evil.test\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET http://evil.test/ HTTP/1.1\r\nHost: allowed.test\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: 127.0.0.9\r\n\r\n",
                "CONNECT allowed.test:443 HTTP/1.1\r\n\r\n")) {
            try (Socket s = connect(listener)) {
                send(s, req);
                String head = readHead(s);
                assertTrue(head.startsWith("HTTP/1.1 4"), req + " -> " + head);
            }
        }
        // A head we cannot parse is not relayed: an origin might read "Host :" leniently.
        try (Socket s = connect(listener)) {
            send(s, "GET / HTTP/1.1\r\nHost : evil.test\r\n\r\n");
            assertTrue(readHead(s).startsWith("HTTP/1.1 400 ") || closedByPeer(s));
        }
        assertEquals(0, http.accepted.get());
    }

    @Test
    void tlsWithAllowedSniIsRelayedUntouched() throws Exception {
        resolveThroughProxy("allowed.test");
        byte[] hello = TlsHellos.clientHello("other.allowed.test");
        try (Socket s = connect(listener)) {
            s.getOutputStream().write(hello);
            assertArrayEquals(hello, readN(s, hello.length));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> "other.allowed.test".equals(e.host())
                && e.decision() == DecisionEvent.Decision.ALLOWED)));
    }

    @Test
    void domainFrontingIsRefused() throws Exception {
        resolveThroughProxy("allowed.test");
        byte[] hello = TlsHellos.clientHello("evil.test");
        try (Socket s = connect(listener)) {
            s.getOutputStream().write(hello);
            assertTrue(closedByPeer(s));
        }
        try (Socket s = connect(listener)) {
            send(s, "GET / HTTP/1.1\r\nHost: evil.test\r\n\r\n");
            assertTrue(readResponse(s)[0].startsWith("HTTP/1.1 403 "));
            assertTrue(closedByPeer(s));
        }
        assertEquals(0, echo.accepted.get());
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.reason().contains("domain fronting")).count() == 2),
                events.toString());
        assertEquals(0, dns.count("evil.test"));
    }

    @Test
    void brokenClientHelloIsRefused() throws Exception {
        resolveThroughProxy("allowed.test");
        byte[] hello = TlsHellos.clientHello("allowed.test");
        byte[] notHello = Arrays.copyOf(hello, hello.length);
        notHello[5] = 2; // a ServerHello
        try (Socket s = connect(listener)) {
            s.getOutputStream().write(notHello);
            assertTrue(closedByPeer(s));
        }
        // Half a ClientHello, then silence: refused when the peek times out, not waved through.
        try (Socket s = connect(listener)) {
            s.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            assertTrue(closedByPeer(s));
        }
        assertEquals(0, echo.accepted.get());
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.reason().contains("incomplete TLS ClientHello"))));
        assertTrue(events.stream().anyMatch(e -> e.reason().contains("not a ClientHello")));
    }

    @Test
    void serverSpeaksFirstProtocolIsDecidedOnTheAddressAfterThePeekTimeout() throws Exception {
        target = banner.address();
        resolveThroughProxy("allowed.test");
        try (Socket s = connect(listener)) {
            String line = "HELLO FROM ORIGIN\n";
            assertEquals(line, new String(readN(s, line.length()), StandardCharsets.US_ASCII));
            send(s, "x");
            assertEquals("x", new String(readN(s, 1), StandardCharsets.US_ASCII));
        }
    }
}
