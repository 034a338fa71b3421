package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one parser of {@code upstream_dns} entries, used by the config file and the API alike. */
class NameserversTest {

    @Test
    void ipLiteralsWithAnOptionalPortDefaultingTo53() {
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("8.8.8.8"), 53), Nameservers.parse("8.8.8.8"));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("8.8.8.8"), 5353), Nameservers.parse("8.8.8.8:5353"));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("2001:db8::1"), 53), Nameservers.parse("2001:db8::1"));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("2001:db8::1"), 54), Nameservers.parse("[2001:db8::1]:54"));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("::1"), 5353), Nameservers.parse(" [::1]:5353 "));
    }

    /** A host name would need a resolver to find the resolver; the message starts with the entry as written. */
    @Test
    void anythingElseIsRefusedNamingTheEntry() {
        for (var bad : List.of("", " ", "dns.google", "dns.google:53", "8.8.8.8:0", "8.8.8.8:x", "8.8.8.8:", "[::1",
                "[::1]x", "[1.2.3.4]:53", "1.2.3.4:70000", "1.2.3.4:000053x")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Nameservers.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("\"" + bad + "\""), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Nameservers.parse("dns.google")).getMessage()
                .contains("host names are not accepted"));
    }

    @Test
    void theTextFormReadsBack() {
        for (var text : List.of("8.8.8.8", "8.8.8.8:5353", "2001:db8::1", "[2001:db8::1]:54")) {
            var address = Nameservers.parse(text);
            assertEquals(address, Nameservers.parse(Nameservers.format(address)), text);
        }
        assertEquals("[2001:db8:0:0:0:0:0:1]:54", Nameservers.format(Nameservers.parse("[2001:db8::1]:54")));
        assertEquals("8.8.8.8:53", Nameservers.format(Nameservers.parse("8.8.8.8")));
    }
}
