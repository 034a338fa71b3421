package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainMatcherTest {

    final DomainMatcher m = DomainMatcher.parse(
            List.of("example.com", "*.example.org", "github.com:22", "github.com:443", "*.corp.test", "bücher.example"),
            List.of("bad.example.org", "*.evil.corp.test", "example.com:25"));

    @Test
    void exactAndWildcard() {
        assertTrue(m.check("example.com", 443).allowed());
        assertFalse(m.check("www.example.com", 443).allowed());
        assertTrue(m.check("a.example.org", 443).allowed());
        assertTrue(m.check("a.b.c.example.org", 443).allowed());
        assertFalse(m.check("example.org", 443).allowed());
        assertFalse(m.check("xexample.org", 443).allowed());
    }

    @Test
    void denyWinsAtAnyDepth() {
        assertInstanceOf(DomainMatcher.Verdict.Denied.class, m.check("bad.example.org", 443));
        assertTrue(m.check("sub.bad.example.org", 443).allowed(), "exact deny does not cover subdomains");
        assertTrue(m.check("x.corp.test", 80).allowed());
        assertEquals("denied by *.evil.corp.test", m.check("a.evil.corp.test", 80).reason());
        assertTrue(m.check("evil.corp.test", 80).allowed(), "wildcard deny does not cover its apex");
    }

    @Test
    void portRestrictions() {
        assertTrue(m.check("github.com", 22).allowed());
        assertTrue(m.check("github.com", 443).allowed());
        assertFalse(m.check("github.com", 80).allowed());
        assertTrue(m.check("github.com", DomainMatcher.ANY).allowed(), "DNS for a port-restricted name resolves");
        assertFalse(m.check("example.com", 25).allowed(), "port-restricted deny");
        assertTrue(m.check("example.com", 443).allowed());
        assertTrue(m.check("example.com", DomainMatcher.ANY).allowed(), "a port-restricted deny does not block DNS");
    }

    @Test
    void normalisation() {
        assertTrue(m.check("EXAMPLE.COM.", 443).allowed());
        assertTrue(m.check("BÜCHER.example", 443).allowed());
        assertTrue(m.check("xn--bcher-kva.example", 443).allowed());
        assertFalse(m.check("", 443).allowed());
        assertFalse(m.check("a..example.com", 443).allowed());
        assertFalse(m.check("exa mple.com", 443).allowed());
        assertEquals("not in allowlist", m.check("nope.test", 1).reason());
    }

    @Test
    void emptyListsRefuseEverything() {
        var empty = DomainMatcher.of(List.of(), List.of());
        assertFalse(empty.check("example.com", 443).allowed());
    }

    @Test
    void largeListsStillDecideCorrectly() {
        var allow = new ArrayList<String>();
        for (int i = 0; i < 10_000; i++) {
            allow.add(i % 2 == 0 ? "host" + i + ".example.net" : "*.zone" + i + ".example.net");
        }
        var big = DomainMatcher.parse(allow, List.of("deny.zone9999.example.net"));
        assertTrue(big.check("host0.example.net", 443).allowed());
        assertTrue(big.check("a.b.zone9999.example.net", 443).allowed());
        assertFalse(big.check("deny.zone9999.example.net", 443).allowed());
        assertFalse(big.check("host1.example.net", 443).allowed());
        assertFalse(big.check("zone9999.example.net", 443).allowed());
    }

    @Test
    void entryMatchesAgreeWithMatcher() {
        // The matcher must say exactly what a scan over the entries would say.
        var patterns = List.of("a.test", "*.b.test", "c.test:8080", "*.d.test:443");
        var mm = DomainMatcher.parse(patterns, List.of());
        var parsed = patterns.stream().map(DomainPattern::parse).toList();
        for (String host : List.of("a.test", "x.a.test", "b.test", "x.b.test", "y.x.b.test", "c.test", "x.d.test", "d.test")) {
            for (int port : new int[] {80, 443, 8080}) {
                boolean scan = parsed.stream().anyMatch(p -> p.matches(host, port));
                assertEquals(scan, mm.check(host, port).allowed(), host + ":" + port);
            }
        }
    }
}
