package dev.halt.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The proxy's policy changed while it runs (halt allow, deny, --ask): a new policy decides the next
 * request, a deny cuts what is open to the name, a name no entry matches can be held and asked about,
 * and listeners added later see every decision.
 */
class LivePolicyTest {
    FakeDns dns;
    Origin echo;
    ProxyServer proxy;
    final List<DecisionEvent> events = events();

    @BeforeEach
    void start() throws Exception {
        dns = new FakeDns().answer("allowed.test", "127.0.0.1").answer("asked.test", "127.0.0.1");
        echo = new Origin(Origin.Mode.ECHO);
        proxy = ProxyServer.startOnLoopback(base(dns, events).allow("allowed.test").build());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
        dns.close();
    }

    private String connect(java.net.Socket s, String host) throws Exception {
        send(s, "CONNECT " + host + ":" + echo.port() + " HTTP/1.1\r\n\r\n");
        return readHead(s);
    }

    @Test
    void aDenyDecidesTheNextRequestAndCutsTheOpenTunnel() throws Exception {
        try (var tunnel = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(tunnel, "allowed.test").startsWith("HTTP/1.1 200"));
            send(tunnel, "hi");
            assertEquals("hi", new String(readN(tunnel, 2)));

            var deny = DomainPattern.parse("allowed.test");
            proxy.replacePolicy(ProxyPolicy.builder().deny(deny).build());
            int cut = proxy.closeConnections((host, port) -> proxy.matcher().checkNormalized(host, port) instanceof DomainMatcher.Verdict.Denied);
            assertEquals(1, cut);
            assertTrue(closedByPeer(tunnel), "the open tunnel to the denied name is cut");
        }
        try (var next = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(next, "allowed.test").startsWith("HTTP/1.1 403"), "the next request is refused");
        }
        proxy.replacePolicy(ProxyPolicy.builder().allow("allowed.test").build());
        try (var again = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(again, "allowed.test").startsWith("HTTP/1.1 200"), "and allowed again");
        }
    }

    @Test
    void forgettingADeniedNameTakesItsAddressesFromTheResolver() throws Exception {
        proxy.resolver().lookup("allowed.test");
        var address = InetAddress.ofLiteral("127.0.0.1");
        assertEquals(java.util.Set.of("allowed.test"), proxy.resolver().namesFor(address));
        assertEquals(1, proxy.forgetNames("allowed.test"::equals));
        assertEquals(java.util.Set.of(), proxy.resolver().namesFor(address));
        assertEquals(0, proxy.forgetNames("allowed.test"::equals), "nothing left to forget");
    }

    @Test
    void anApproverHoldsTheRequestAndItsAnswerDecides() throws Exception {
        var asked = new AtomicInteger();
        var held = new CountDownLatch(1);
        var answer = new CountDownLatch(1);
        var allow = new boolean[1];
        proxy.approver((host, port) -> {
            asked.incrementAndGet();
            held.countDown();
            try {
                assertTrue(answer.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (!allow[0]) return new Approver.Decision(false, "refused at the prompt");
            return new Approver.Decision(true, "allowed once at the prompt");
        });
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            send(s, "CONNECT asked.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
            assertTrue(held.await(10, TimeUnit.SECONDS), "asked");
            s.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read(), "held: no answer yet");
            s.setSoTimeout(5000);
            allow[0] = true;
            answer.countDown();
            assertTrue(readHead(s).startsWith("HTTP/1.1 200"));
            send(s, "ok");
            assertEquals("ok", new String(readN(s, 2)));
        }
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            allow[0] = false;
            assertTrue(connect(s, "asked.test").startsWith("HTTP/1.1 403"), "once was once: asked again, and refused");
        }
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(s, "allowed.test").startsWith("HTTP/1.1 200"), "an allowed name is not asked about");
        }
        proxy.replacePolicy(proxy.policy().toBuilder().deny("asked.test").build());
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(s, "asked.test").startsWith("HTTP/1.1 403"), "a denied name is not asked about");
        }
        assertEquals(2, asked.get());
        assertTrue(events.stream().anyMatch(e -> "asked.test".equals(e.host()) && e.reason().contains("refused at the prompt")), events.toString());
    }

    @Test
    void aSubscriberSeesEveryDecisionUntilItLeaves() throws Exception {
        var seen = new ArrayList<DecisionEvent>();
        var subscription = proxy.decisionLog().subscribe(seen::add);
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(s, "evil.test").startsWith("HTTP/1.1 403"));
        }
        subscription.close();
        try (var s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            assertTrue(connect(s, "other.test").startsWith("HTTP/1.1 403"));
        }
        assertEquals(List.of("evil.test"), seen.stream().map(DecisionEvent::host).toList());
    }
}
