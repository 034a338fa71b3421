package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An allowed name that resolves to one of this machine's own addresses is refused like a
 * loopback one: otherwise it reaches every host service listening on 0.0.0.0. The machine's
 * addresses are injected, and the test's dialer routes the proxy's connects to a loopback
 * origin, so whatever the proxy decides, no packet leaves loopback; the dialer also records
 * every destination the proxy tried to dial.
 */
class HostAddressTest {
    /** TEST-NET-3 (RFC 5737): "this machine" in these tests. */
    static final InetAddress OWN = InetAddress.ofLiteral("203.0.113.7");
    /** TEST-NET-2: a public address that is not this machine's. */
    static final InetAddress OTHER = InetAddress.ofLiteral("198.51.100.9");

    FakeDns dns;
    Origin echo;
    ProxyServer proxy;
    List<DecisionEvent> events;
    final Set<InetAddress> machine = new CopyOnWriteArraySet<>();
    final AtomicInteger asked = new AtomicInteger();
    final List<InetAddress> dialled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dns = new FakeDns();
        dns.answer("own.test", OWN.getHostAddress());
        dns.answer("mixed.test", OWN.getHostAddress(), OTHER.getHostAddress());
        dns.answer("other.test", OTHER.getHostAddress());
        echo = new Origin(Origin.Mode.ECHO);
        events = events();
        machine.add(OWN);
        proxy = ProxyServer.startOnLoopback(base(dns, events)
                .allowLocalDestinations(false)
                .hostAddresses(() -> {
                    asked.incrementAndGet();
                    return Set.copyOf(machine);
                })
                .allow("own.test", "mixed.test", "other.test")
                .dialer(toEcho())
                .build());
    }

    /** Records every decided address and connects to the echo origin instead. */
    Dialer toEcho() {
        return routing(a -> {
            dialled.add(a.getAddress());
            return echo.address();
        });
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) proxy.close();
        echo.close();
        dns.close();
    }

    private String connectHead(String host) throws IOException {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "CONNECT " + host + ":" + echo.port() + " HTTP/1.1\r\n\r\n");
            return readHead(s);
        }
    }

    @Test
    void aNameResolvingToThisMachineIsRefusedBeforeAnyConnect() throws Exception {
        String head = connectHead("own.test");
        assertTrue(head.startsWith("HTTP/1.1 403 "), head);
        assertTrue(header(head, "X-Halt-Reason").contains("address 203.0.113.7 is one of this machine's own"), head);
        assertEquals(1, dns.count("own.test"), "the name is allowed and was resolved");
        assertEquals(List.of(), dialled, "no connect was attempted");
        assertEquals(0, echo.accepted.get());

        // The IP literal, now that halt's resolver handed it out for an allowed name: refused too.
        String literal = connectHead(OWN.getHostAddress());
        assertTrue(literal.startsWith("HTTP/1.1 403 "), literal);
        assertEquals(List.of(), dialled);
    }

    @Test
    void dnsAnswersNxdomainForANameResolvingOnlyToThisMachine() throws Exception {
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(3000);
            byte[] q = DnsMessage.query(7, "own.test", DnsMessage.TYPE_A);
            s.send(new DatagramPacket(q, q.length, proxy.dnsAddresses().getFirst()));
            var p = new DatagramPacket(new byte[65535], 65535);
            s.receive(p);
            assertEquals(DnsMessage.RCODE_NXDOMAIN, DnsMessage.parse(p.getData(), p.getLength()).rcode());
        }
        assertTrue(events.stream().anyMatch(e -> e.via() == DecisionEvent.Via.DNS && "own.test".equals(e.host())
                && e.decision() == DecisionEvent.Decision.REFUSED && e.reason().contains("this machine's own")), events.toString());
    }

    @Test
    void ofSeveralAddressesOnlyTheOthersAreDialled() throws Exception {
        String head = connectHead("mixed.test");
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertEquals(List.of(OTHER), dialled);
    }

    @Test
    void anAddressAddedDuringTheRunCountsWithinASecondAndTheSourceIsNotAskedPerConnection() throws Exception {
        machine.clear();
        long start = System.nanoTime();
        int askedBefore = asked.get();
        for (int i = 0; i < 20; i++) {
            assertTrue(connectHead("other.test").startsWith("HTTP/1.1 200 "));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(asked.get() - askedBefore <= seconds + 1, (asked.get() - askedBefore) + " questions for 20 connections in "
                + seconds + " s: at most one a second");

        machine.add(OTHER);
        assertTrue(await(Duration.ofSeconds(5), () -> {
            try {
                return connectHead("other.test").startsWith("HTTP/1.1 403 ");
            } catch (IOException e) {
                return false;
            }
        }), "the new address of this machine is refused within a second or so");
        assertEquals(List.of(OTHER), dialled.stream().distinct().toList(), "only ever remapped to the loopback origin");
    }

    @Test
    void aSourceThatFailsRefusesWhatItCannotCheck() throws Exception {
        proxy.close();
        var failing = new java.util.concurrent.atomic.AtomicBoolean();
        proxy = ProxyServer.startOnLoopback(base(dns, events)
                .allowLocalDestinations(false)
                .hostAddresses(() -> {
                    if (failing.get()) throw new IllegalStateException("netlink is gone");
                    return Set.of();
                })
                .allow("other.test")
                .dialer(toEcho())
                .build());
        failing.set(true);
        assertTrue(await(Duration.ofSeconds(5), () -> {
            try {
                var head = connectHead("other.test");
                return head.startsWith("HTTP/1.1 403 ") && header(head, "X-Halt-Reason").contains("netlink is gone");
            } catch (IOException e) {
                return false;
            }
        }), "refused, saying why, once the last good answer is a second old");
    }

    @Test
    void aSourceThatFailsAtStartStopsTheProxyFromStarting() {
        proxy.close();
        var e = assertThrows(IllegalStateException.class, () -> ProxyServer.startOnLoopback(base(dns, events)
                .allowLocalDestinations(false)
                .hostAddresses(() -> { throw new IllegalStateException("no netlink"); })
                .build()));
        assertTrue(e.getMessage().contains("no netlink"), e.getMessage());
        proxy = null;
    }

    @Test
    void allowLocalDestinationsPermitsThisMachineToo() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allowLocalDestinations(true)
                .hostAddresses(() -> Set.of(OWN)).allow("own.test").dialer(toEcho()).build());
        assertTrue(connectHead("own.test").startsWith("HTTP/1.1 200 "));
        assertEquals(List.of(OWN), dialled);
    }

}
