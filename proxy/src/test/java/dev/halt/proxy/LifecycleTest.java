package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start and stop: supplied sockets, what close() leaves behind, configuration errors. */
class LifecycleTest {

    static long haltThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("halt-")).count();
    }

    @Test
    void closeReleasesEveryDescriptorAndThread() throws Exception {
        try (var dns = new FakeDns().answer("allowed.test", "127.0.0.1"); var echo = new Origin(Origin.Mode.ECHO)) {
            // Warm up lazily created JDK machinery (pollers, resolver classes) outside the count.
            try (var p = ProxyServer.startOnLoopback(base(dns, events()).allow("allowed.test").build())) {
                try (Socket s = connect(p.proxyAddress())) {
                    send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
                    readHead(s);
                }
            }
            assertTrue(await(Duration.ofSeconds(5), () -> haltThreads() == 0), "threads left: " + haltThreads());
            Thread.sleep(100);
            long before = openFds();
            var p = ProxyServer.startOnLoopback(base(dns, events()).allow("allowed.test").build());
            Socket open = connect(p.proxyAddress());
            send(open, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(readHead(open).startsWith("HTTP/1.1 200"));
            Socket idle = connect(p.proxyAddress());
            try (var d = new DatagramSocket()) {
                byte[] q = DnsMessage.query(1, "allowed.test", DnsMessage.TYPE_A);
                d.setSoTimeout(3000);
                d.send(new DatagramPacket(q, q.length, p.dnsAddresses().getFirst()));
                d.receive(new DatagramPacket(new byte[512], 512));
            }
            assertTrue(haltThreads() >= 4, "accept, DNS and sweeper threads run: " + haltThreads());
            p.close();
            assertTrue(closedByPeer(open));
            assertTrue(closedByPeer(idle));
            open.close();
            idle.close();
            assertEquals(0, p.activeConnections());
            assertTrue(await(Duration.ofSeconds(5), () -> haltThreads() == 0), "threads left: " + haltThreads());
            assertTrue(await(Duration.ofSeconds(5), () -> {
                try {
                    return openFds() <= before;
                } catch (IOException e) {
                    return false;
                }
            }), "descriptors: before " + before + ", after " + openFds());
            p.close(); // idempotent
        }
    }

    @Test
    void suppliedChannelsAreServedAndClosed() throws Exception {
        try (var dns = new FakeDns().answer("allowed.test", "127.0.0.1"); var echo = new Origin(Origin.Mode.ECHO)) {
            var lo = InetAddress.getByName("127.0.0.1");
            var proxyCh = ServerSocketChannel.open().bind(new InetSocketAddress(lo, 0));
            proxyCh.configureBlocking(false); // the server must cope with either mode
            DatagramChannel udp = null;
            ServerSocketChannel tcp = null;
            for (int i = 0; i < 20 && tcp == null; i++) { // the UDP port number may be taken for TCP
                udp = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
                try {
                    tcp = ServerSocketChannel.open().bind(new InetSocketAddress(lo, ((InetSocketAddress) udp.getLocalAddress()).getPort()));
                } catch (java.net.BindException e) {
                    udp.close();
                }
            }
            assertNotNull(tcp);
            var listeners = new ProxyServer.Listeners(List.of(proxyCh), List.of(), List.of(udp), List.of(tcp));
            try (var p = ProxyServer.start(base(dns, events()).allow("allowed.test").build(), listeners)) {
                assertEquals(proxyCh.getLocalAddress(), p.proxyAddress());
                assertEquals(List.of(udp.getLocalAddress()), p.dnsAddresses());
                assertTrue(p.transparentAddresses().isEmpty());
                try (Socket s = connect(p.proxyAddress())) {
                    send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
                    assertTrue(readHead(s).startsWith("HTTP/1.1 200"));
                    send(s, "ok");
                    assertEquals("ok", new String(readN(s, 2), StandardCharsets.US_ASCII));
                }
            }
            assertFalse(proxyCh.isOpen());
            assertFalse(udp.isOpen());
            assertFalse(tcp.isOpen());
        }
    }

    @Test
    void unusableConfigurationFailsAndClosesTheGivenSockets(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var proxyCh = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        var emptyResolv = Files.writeString(dir.resolve("resolv.conf"), "search example\n");
        var cfg = ProxyConfig.builder().allow("a.test").resolvConf(emptyResolv).hostsFile(null).build();
        var e = assertThrows(IllegalArgumentException.class,
                () -> ProxyServer.start(cfg, new ProxyServer.Listeners(List.of(proxyCh), List.of(), List.of(), List.of())));
        assertTrue(e.getMessage().contains("no upstream DNS server"), e.getMessage());
        assertFalse(proxyCh.isOpen());
    }

    @Test
    void unboundListenerFailsStartAndLeavesNothingRunning() throws Exception {
        try (var dns = new FakeDns()) {
            var bound = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            var unbound = ServerSocketChannel.open();
            var cfg = base(dns, events()).allow("a.test").build();
            var e = assertThrows(IOException.class,
                    () -> ProxyServer.start(cfg, new ProxyServer.Listeners(List.of(bound), List.of(unbound), List.of(), List.of())));
            assertTrue(e.getMessage().contains("not bound"), e.getMessage());
            assertFalse(bound.isOpen());
            assertFalse(unbound.isOpen());
            assertTrue(await(Duration.ofSeconds(5), () -> haltThreads() == 0), "threads left: " + haltThreads());
        }
    }

    @Test
    void configValidationNamesTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.builder().maxConnections(0).build());
        assertTrue(e.getMessage().contains("max_connections"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.builder().idleTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("tcp_idle_timeout_secs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.builder().dnsTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("dnsTimeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.builder().allow("*.com"));
        assertTrue(e.getMessage().contains("\"*.com\""));
    }

    @Test
    void toBuilderRoundTrips() {
        var c = ProxyConfig.builder().allow("a.test", "*.b.test:8443").deny("x.b.test").upstreamDns(new InetSocketAddress("127.0.0.1", 53))
                .dnsTtl(Duration.ofSeconds(7)).connectTimeout(Duration.ofSeconds(3)).idleTimeout(Duration.ofSeconds(4))
                .maxConnections(9).allowLocalDestinations(true).hostsFile(null).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(10, c.toBuilder().maxConnections(10).build().policy().maxConnections());
    }

    @Test
    void ipv6LoopbackDestinationsWork() throws Exception {
        boolean v6;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            v6 = true;
        } catch (IOException e) {
            v6 = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(v6, "[ipv6] no ::1 on this machine");
        try (var dns = new FakeDns(); var echo6 = new Origin(Origin.Mode.ECHO, "::1")) {
            dns.answer("six.test", "::1");
            try (var p = ProxyServer.startOnLoopback(base(dns, events()).allow("six.test").build())) {
                try (Socket s = connect(p.proxyAddress())) {
                    send(s, "CONNECT six.test:" + echo6.port() + " HTTP/1.1\r\n\r\n");
                    assertTrue(readHead(s).startsWith("HTTP/1.1 200"));
                    send(s, "6");
                    assertEquals("6", new String(readN(s, 1), StandardCharsets.US_ASCII));
                }
                // Now ::1 is attributed to six.test: the bracketed literal is accepted.
                try (Socket s = connect(p.proxyAddress())) {
                    send(s, "CONNECT [::1]:" + echo6.port() + " HTTP/1.1\r\n\r\n");
                    assertTrue(readHead(s).startsWith("HTTP/1.1 200"));
                }
            }
            assertEquals(2, dns.count("six.test"), "A (empty) then AAAA: " + dns.log);
        }
    }
}
