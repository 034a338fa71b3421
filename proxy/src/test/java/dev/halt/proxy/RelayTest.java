package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tunnels: half-close, the idle timeout, many at once, and what they leave behind. */
class RelayTest {
    FakeDns dns;
    Origin echo;
    ProxyServer proxy;
    List<DecisionEvent> events;

    @BeforeEach
    void setUp() throws IOException {
        dns = new FakeDns().answer("allowed.test", "127.0.0.1");
        echo = new Origin(Origin.Mode.ECHO);
        events = events();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allow("allowed.test").idleTimeout(Duration.ofSeconds(1)).build());
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        echo.close();
        dns.close();
    }

    Socket tunnel() throws IOException {
        Socket s = connect(proxy.proxyAddress());
        send(s, "CONNECT allowed.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
        String head = readHead(s);
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        return s;
    }

    @Test
    void halfCloseIsPropagatedBothWays() throws Exception {
        try (Socket s = tunnel()) {
            send(s, "abc");
            s.shutdownOutput();
            // The origin saw end of stream (it answers "[eof]") while our read side stayed open.
            assertEquals("abc[eof]", readToEnd(s));
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.decision() == DecisionEvent.Decision.ALLOWED
                && e.bytesUp() == 3 && e.bytesDown() == 8)), events.toString());
    }

    @Test
    void aBulkTransferArrivesByteForByte() throws Exception {
        // 16 MiB each way: far past the reads after which a direction moves to the large buffer.
        int total = 16 << 20;
        var data = new byte[total];
        new java.util.Random(42).nextBytes(data);
        try (Socket s = tunnel()) {
            var writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < total; off += 256 * 1024) s.getOutputStream().write(data, off, 256 * 1024);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var echoed = s.getInputStream().readAllBytes();
            writer.get();
            assertEquals(total, echoed.length - "[eof]".length());
            assertTrue(java.util.Arrays.equals(data, 0, total, echoed, 0, total), "the echoed bytes differ from those sent");
        }
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.bytesUp() == total
            && e.bytesDown() == total + "[eof]".length())), events.toString());
    }

    @Test
    void idleTunnelIsClosedButASlowLiveOneStaysUp() throws Exception {
        try (Socket idle = tunnel(); Socket live = tunnel()) {
            long start = System.nanoTime();
            var idleClosed = CompletableFuture.supplyAsync(() -> {
                try {
                    return closedByPeer(idle);
                } catch (IOException e) {
                    return true;
                }
            });
            // 8 x 300 ms = 2.4 s of talk, more than twice the 1 s idle timeout.
            for (int i = 0; i < 8; i++) {
                Thread.sleep(300);
                send(live, "k");
                assertEquals("k", new String(readN(live, 1), StandardCharsets.US_ASCII), "live tunnel cut at round " + i);
            }
            assertTrue(idleClosed.get(), "idle tunnel still open");
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(900).toNanos());
        }
    }

    @Test
    void idleTimeoutAlsoEndsAClientThatStallsMidHead() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT allowed.te");
            assertTrue(closedByPeer(s));
        }
    }

    @Test
    void fiveHundredConcurrentTunnelsLeaveNoDescriptorBehind() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allow("allowed.test").build());
        try (Socket warm = tunnel()) {
            send(warm, "w");
            readN(warm, 1);
        }
        assertTrue(await(Duration.ofSeconds(5), () -> proxy.activeConnections() == 0));
        Thread.sleep(100);
        long before = openFds();
        var sockets = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 500; i++) {
                sockets.add(tunnel());
            }
            assertEquals(500, proxy.activeConnections());
            for (int i = 0; i < sockets.size(); i++) {
                send(sockets.get(i), "t" + (i % 10));
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertEquals("t" + (i % 10), new String(readN(sockets.get(i), 2), StandardCharsets.US_ASCII));
            }
            assertTrue(openFds() >= before + 1500, "the tunnels really were open at once");
        } finally {
            for (Socket s : sockets) s.close();
        }
        assertTrue(await(Duration.ofSeconds(10), () -> proxy.activeConnections() == 0), "connections still open: " + proxy.activeConnections());
        assertTrue(await(Duration.ofSeconds(10), () -> {
            try {
                return openFds() <= before;
            } catch (IOException e) {
                return false;
            }
        }), "descriptors leaked: before " + before + ", after " + openFds());
        assertTrue(await(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.decision() == DecisionEvent.Decision.ALLOWED).count() == 501));
    }
}
