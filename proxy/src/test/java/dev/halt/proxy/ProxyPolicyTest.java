package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.base;
import static dev.halt.proxy.ProxyTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's one policy value: its defaults, its validation, and that the proxy enforces it as given. */
class ProxyPolicyTest {

    @Test
    void theDefaultsAreWrittenOnceWhicheverBuilderIsUsed() {
        assertEquals(ProxyPolicy.DEFAULTS, ProxyPolicy.builder().build());
        assertEquals(ProxyPolicy.DEFAULTS, ProxyConfig.builder().build().policy());
        assertEquals(ProxyPolicy.DEFAULTS, ProxyPolicy.DEFAULTS.toBuilder().build());
        var d = ProxyPolicy.DEFAULTS;
        assertEquals(List.of(), d.allowlist(), "nothing is reachable until a domain is allowed");
        assertEquals(List.of(), d.denylist());
        assertEquals(List.of(), d.upstreamDns(), "the nameservers of /etc/resolv.conf");
        assertEquals(Duration.ofSeconds(300), d.dnsTtl());
        assertEquals(Duration.ofSeconds(30), d.connectTimeout());
        assertEquals(Duration.ofSeconds(60), d.idleTimeout());
        assertFalse(d.allowLocalDestinations());
        assertEquals(1024, d.maxConnections());
    }

    @Test
    void everyBadValueIsNamedByItsConfigKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProxyPolicy.builder().dnsTtl(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(ProxyPolicy.MAX_CONNECT_TIMEOUT_SECONDS + 1)).idleTimeout(Duration.ofSeconds(-1))
                .maxConnections(ProxyPolicy.MAX_CONNECTIONS_LIMIT + 1).build());
        for (var key : List.of("dns_ttl_seconds", "tcp_connect_timeout_secs", "tcp_idle_timeout_secs", "max_connections")) {
            assertTrue(e.getMessage().contains(key), key + " in " + e.getMessage());
        }
        assertEquals(Duration.ofMillis(300), ProxyPolicy.builder().connectTimeout(Duration.ofMillis(300)).build().connectTimeout(),
                "the API may ask for less than a second; the config file counts whole seconds");
        var pattern = assertThrows(IllegalArgumentException.class, () -> ProxyPolicy.builder().deny("a..b"));
        assertTrue(pattern.getMessage().startsWith("\"a..b\""), pattern.getMessage());
        assertThrows(NullPointerException.class, () -> ProxyPolicy.builder().allow((DomainPattern) null).build());
    }

    /** Patterns are canonical, so two spellings of one name are one entry; the first instance stays. */
    @Test
    void spellingsOfOnePatternAreOneEntry() {
        var first = DomainPattern.parse("bücher.example");
        var policy = ProxyPolicy.builder().allow(first, DomainPattern.parse("XN--BCHER-KVA.example."))
                .allow("other.example", "Other.Example").upstreamDns(new InetSocketAddress("127.0.0.1", 53))
                .upstreamDns(Nameservers.parse("127.0.0.1")).build();
        assertEquals(2, policy.allowlist().size(), policy.allowlist().toString());
        assertSame(first, policy.allowlist().getFirst());
        assertEquals(1, policy.upstreamDns().size());
    }

    @Test
    void transparentListenersServeWebPortsAndEveryPortTheAllowlistNames() {
        var policy = ProxyPolicy.builder().allow("a.test", "github.com:22", "*.b.test:8443").deny("c.test:9000").build();
        assertEquals(List.of(22, 80, 443, 8443), List.copyOf(policy.transparentPorts()));
        assertEquals(List.of(80, 443), List.copyOf(ProxyPolicy.DEFAULTS.transparentPorts()));
    }

    /** The running proxy holds the policy it was given, and its matcher decides with those very patterns. */
    @Test
    void theProxyEnforcesThePolicyInstancesItWasGiven() throws Exception {
        var allowed = DomainPattern.parse("*.allowed.test");
        var denied = DomainPattern.parse("no.allowed.test");
        try (var dns = new FakeDns()) {
            var policy = base(dns, events()).build().policy().toBuilder().allow(allowed).deny(denied).build();
            try (var proxy = ProxyServer.startOnLoopback(base(dns, events()).policy(policy).build())) {
                assertEquals(policy, proxy.policy());
                assertSame(allowed, proxy.matcher().allowlist().getFirst());
                assertSame(allowed, assertInstanceOf(DomainMatcher.Verdict.Allowed.class,
                        proxy.matcher().check("a.allowed.test", 443)).by());
                assertSame(denied, assertInstanceOf(DomainMatcher.Verdict.Denied.class,
                        proxy.matcher().check("no.allowed.test", 443)).by());
            }
        }
    }
}
