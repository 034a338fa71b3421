package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DomainPatternTest {

    @Test
    void exactMatchesOnlyTheName() {
        var p = DomainPattern.parse("example.com");
        assertEquals(new DomainPattern("example.com", false, DomainPattern.ANY_PORT), p);
        assertTrue(p.matches("example.com", 443));
        assertTrue(p.matches("EXAMPLE.com.", 80));
        assertFalse(p.matches("a.example.com", 443));
        assertFalse(p.matches("notexample.com", 443));
        assertFalse(p.matches("example.com.evil", 443));
    }

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthButNotTheApex() {
        var p = DomainPattern.parse("*.example.com");
        assertTrue(p.wildcard());
        assertTrue(p.matches("a.example.com", 443));
        assertTrue(p.matches("a.b.c.example.com", 443));
        assertFalse(p.matches("example.com", 443));
        assertFalse(p.matches("badexample.com", 443));
        assertFalse(p.matches("a.example.org", 443));
    }

    @Test
    void caseAndTrailingDotAreNormalised() {
        assertEquals(DomainPattern.parse("example.com"), DomainPattern.parse("ExAmPle.COM."));
        assertEquals("*.example.com:8443", DomainPattern.parse("*.Example.Com.:8443").toString());
    }

    @Test
    void internationalisedNamesBecomePunycode() {
        var p = DomainPattern.parse("bücher.example");
        assertEquals("xn--bcher-kva.example", p.domain());
        assertTrue(p.matches("BÜCHER.example", 443));
        assertTrue(p.matches("xn--bcher-kva.example", 443));
        assertEquals("*.xn--bcher-kva.example", DomainPattern.parse("*.bücher.example").toString());
    }

    @Test
    void portSuffixRestrictsThePort() {
        var p = DomainPattern.parse("github.com:22");
        assertEquals(22, p.port());
        assertTrue(p.matches("github.com", 22));
        assertFalse(p.matches("github.com", 443));
        assertEquals(DomainPattern.ANY_PORT, DomainPattern.parse("github.com").port());
    }

    @Test
    void canonicalTextRoundTrips() {
        for (String s : new String[] {"example.com", "*.example.com", "github.com:22", "*.a.b.c:65535", "localhost", "_dmarc.example.com"}) {
            var p = DomainPattern.parse(s);
            assertEquals(p, DomainPattern.parse(p.toString()), s);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*|would allow every domain",
        "*.|would allow every domain",
        "*.com|at least two labels",
        "*.com.|at least two labels",
        "''|empty",
        "a..com|empty label",
        ".example.com|empty label",
        "*..example.com|empty label",
        "exa mple.com|invalid character ' '",
        "exa/mple.com|invalid character '/'",
        "ex*ample.com|'*' is only allowed",
        "a.*.example.com|'*' is only allowed",
        "**.example.com|'*' is only allowed",
        "example.com:0|out of range",
        "example.com:65536|out of range",
        "example.com:99999|out of range",
        "example.com:|empty port",
        "example.com:http|not a number",
        "example.com:-1|not a number",
        "1.2.3.4|IP address",
        "-example.com|starts or ends with '-'",
        "::1|more than one ':'",
    })
    void refusedEntriesNameTheEntryAndTheProblem(String text, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(text));
        assertTrue(e.getMessage().startsWith("\"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void wildcardOverASingleLabelMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse("*.com"));
        assertEquals("\"*.com\": a wildcard must cover at least two labels (*.example.com, not *.com)", e.getMessage());
    }

    @Test
    void overlongLabelAndNameAreRefused() {
        String label = "a".repeat(64);
        assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(label + ".com"));
        String name = ("a".repeat(60) + ".").repeat(5) + "com";
        assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(name));
        assertDoesNotThrow(() -> DomainPattern.parse("a".repeat(63) + ".com"));
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(null));
    }
}
