package dev.halt.core.linux.supervisor;

import dev.halt.core.policy.NetworkMode;
import dev.halt.ffm.linux.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

import static dev.halt.ffm.linux.socket_h.AF_INET;
import static dev.halt.ffm.linux.socket_h.AF_INET6;
import static org.junit.jupiter.api.Assertions.*;

/** The decisions on copied addresses, and the sockaddr reading they rest on. */
class NetworkRulesTest {

    private static NetworkRules.Endpoint at(String address, int port) throws Exception {
        return new NetworkRules.Endpoint(InetAddress.getByName(address), port);
    }

    @Test
    void proxyOnlyAllowsTheProxysExactAddressInEitherForm() throws Exception {
        var rules = new NetworkRules(NetworkMode.PROXY_ONLY, new InetSocketAddress("127.0.0.1", 3128), Set.of(), false, false);
        assertTrue(rules.connect(at("127.0.0.1", 3128), Set.of()).allowed());
        assertTrue(rules.connect(at("::ffff:127.0.0.1", 3128), Set.of()).allowed());
        for (var other : new String[] {"127.0.0.2", "::1", "0.0.0.0", "::ffff:127.0.0.2", "10.0.0.1"}) {
            assertEquals("not the proxy", rules.connect(at(other, 3128), Set.of()).reason(), other);
        }
        assertFalse(rules.connect(at("127.0.0.1", 3129), Set.of()).allowed());
    }

    @Test
    void anExposedHostPortIsReachableOn127001AloneInEveryMode() throws Exception {
        for (var mode : new NetworkMode[] {NetworkMode.BLOCKED, NetworkMode.LOCALHOST_ONLY}) {
            var rules = new NetworkRules(mode, null, Set.of(), false, false, Set.of(5432));
            assertTrue(rules.connect(at("127.0.0.1", 5432), Set.of()).allowed(), mode.toString());
            assertTrue(rules.connect(at("::ffff:127.0.0.1", 5432), Set.of()).allowed(), mode.toString());
            for (var other : new String[] {"127.0.0.2", "::1", "10.0.0.1"}) {
                assertFalse(rules.connect(at(other, 5432), Set.of()).allowed(), mode + " " + other);
            }
            assertFalse(rules.connect(at("127.0.0.1", 5433), Set.of()).allowed(), "another port: " + mode);
        }
    }

    @Test
    void localhostOnlyIsLoopbackOnTheListedPortsAndTheCommandsOwnListeners() throws Exception {
        var rules = new NetworkRules(NetworkMode.LOCALHOST_ONLY, null, Set.of(3000), true, false);
        for (var loopback : new String[] {"127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1", "0.0.0.0", "::"}) {
            assertTrue(rules.connect(at(loopback, 3000), Set.of()).allowed(), loopback);
        }
        assertEquals("not loopback", rules.connect(at("169.254.1.1", 3000), Set.of()).reason());
        assertTrue(rules.connect(at("127.0.0.1", 4000), Set.of()).reason().contains("not in localhost_ports"));
        assertTrue(rules.connect(at("127.0.0.1", 4000), Set.of(at("127.0.0.1", 4000))).allowed(), "its own listener");
        assertTrue(rules.connect(at("0.0.0.0", 4000), Set.of(at("127.0.0.1", 4000))).allowed(), "0.0.0.0 reaches it too");
        assertFalse(rules.connect(at("127.0.0.2", 4000), Set.of(at("127.0.0.1", 4000))).allowed(), "the exact address");
        var blocked = new NetworkRules(NetworkMode.BLOCKED, null, Set.of(), false, false);
        assertEquals("network mode blocked", blocked.connect(at("127.0.0.1", 3000), Set.of(at("127.0.0.1", 3000))).reason());
    }

    @Test
    void aBindIsLoopbackAndAWildcardMovesThere() throws Exception {
        var rules = new NetworkRules(NetworkMode.BLOCKED, null, Set.of(), true, false);
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), rules.bindAddress(InetAddress.getByName("0.0.0.0")));
        assertEquals(Optional.of(InetAddress.getByName("::1")), rules.bindAddress(InetAddress.getByName("::")));
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.5")), rules.bindAddress(InetAddress.getByName("127.0.0.5")));
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), rules.bindAddress(InetAddress.getByName("::ffff:0.0.0.0")));
        assertEquals(Optional.empty(), rules.bindAddress(InetAddress.getByName("192.168.1.5")));
        assertEquals(Optional.empty(), new NetworkRules(NetworkMode.BLOCKED, null, Set.of(), false, false)
            .bindAddress(InetAddress.getByName("127.0.0.1")), "without allow_local_binding");
    }

    @Test
    void sockaddrsAreReadAsTheKernelReadsThem() {
        try (var arena = Arena.ofConfined()) {
            var v4 = Sockaddr.of(AF_INET(), NetworkRules.loopback4(), 3128, arena);
            assertEquals(new Sockaddr.Inet(new NetworkRules.Endpoint(NetworkRules.loopback4(), 3128)), Sockaddr.parse(AF_INET(), v4));
            assertEquals(new Sockaddr.Invalid(Errno.EINVAL), Sockaddr.parse(AF_INET(), v4.asSlice(0, 15)), "too short");
            // A child's connect(fd, addr, 3): no port to read yet, EINVAL as the kernel says (not a failure of halt's).
            assertEquals(new Sockaddr.Invalid(Errno.EINVAL), Sockaddr.parse(AF_INET(), v4.asSlice(0, 3)), "family and one byte");
            assertEquals(new Sockaddr.Invalid(Errno.EINVAL), Sockaddr.parse(AF_INET6(), v4.asSlice(0, 2)), "family alone");
            var v4ForSix = arena.allocate(28);
            MemorySegment.copy(v4, 0, v4ForSix, 0, v4.byteSize());
            assertEquals(new Sockaddr.Invalid(Errno.EAFNOSUPPORT), Sockaddr.parse(AF_INET6(), v4ForSix), "an IPv4 sockaddr for an IPv6 socket");
            var unspecified = arena.allocate(16);
            assertEquals(new Sockaddr.Unspecified(), Sockaddr.parse(AF_INET(), unspecified));
            // An IPv4 address written into an IPv6 socket's sockaddr is mapped, and read back as IPv4.
            var v6 = Sockaddr.of(AF_INET6(), NetworkRules.loopback4(), 80, arena);
            assertEquals(28, v6.byteSize());
            assertEquals(new Sockaddr.Inet(new NetworkRules.Endpoint(NetworkRules.loopback4(), 80)), Sockaddr.parse(AF_INET6(), v6));
            assertEquals(new Sockaddr.Invalid(Errno.EINVAL), Sockaddr.parse(AF_INET6(), v6.asSlice(0, 23)), "shorter than RFC 2133's");
        }
    }

    @Test
    void ipv6DestinationsAreWrittenAsPeopleWriteThem() throws Exception {
        assertEquals("[::1]:3128", at("::1", 3128).toString());
        assertEquals("[fd68:616c:74::2]:443", at("fd68:616c:74::2", 443).toString());
        assertEquals("[2001:db8::1:0:0:1]:1", at("2001:db8:0:0:1:0:0:1", 1).toString());
        assertEquals("127.0.0.2:3128", at("::ffff:127.0.0.2", 3128).toString(), "mapped addresses as IPv4");
        assertEquals("[::]:80", at("::", 80).toString());
        assertInstanceOf(Inet6Address.class, InetAddress.getByName("::1"));
    }
}
