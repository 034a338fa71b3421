package dev.halt.core.linux.net;

import dev.halt.core.linux.Requires;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rtnetlink reader of the host's own addresses (for the proxy's destination check): it lists
 * lo's addresses here, and, in a namespace the test made, the addresses of a veth pair the test
 * made there, added during its life too. The reader is opened inside that namespace and asked
 * from this thread, outside it: it answers for the namespace it was opened in. No traffic at all.
 */
@Tag("linux")
class HostAddressReaderTest {

    private static final Duration TASK = Duration.ofSeconds(20);

    @BeforeAll
    static void startJdkMachineryOnAnOrdinaryThread() throws Exception {
        // see NetlinkTest: a JDK thread started lazily by a first socket would inherit a test namespace
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void listsTheAddressesOfLoHere() throws Exception {
        Set<InetAddress> seen;
        try (var reader = HostAddressReader.open()) {
            seen = reader.get();
        }
        assertTrue(seen.contains(ip("127.0.0.1")), seen.toString());
        // ::1 is there whenever the kernel has IPv6 on lo, which the JDK sees too
        var lo = NetworkInterface.getByName("lo").inetAddresses().collect(Collectors.toSet());
        if (lo.contains(ip("::1"))) assertTrue(seen.contains(ip("::1")), seen.toString());
        assertTrue(seen.containsAll(lo), "every address the JDK lists on lo: " + lo + " in " + seen);
    }

    @Test
    @Tag("root")
    void answersForTheNamespaceItWasOpenedInAndSeesAddressesAddedLater() throws Exception {
        Requires.networkAdmin();
        Set<InetAddress> host;
        try (var reader = HostAddressReader.open()) {
            host = reader.get();
        }
        boolean ipv6 = ProxyLink.ipv6Available();
        try (var namespace = NetworkNamespace.create("test-host-addresses")) {
            int[] ends = new int[2];
            var reader = namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    netlink.linkUp("lo");
                    netlink.createVethPair("halt0", "halt1", namespace.fd());
                    ends[0] = netlink.linkIndex("halt0");
                    ends[1] = netlink.linkIndex("halt1");
                    // TEST-NET-2 (RFC 5737): a "public" address, on a link of this namespace only
                    netlink.addAddress(ends[0], ip("198.51.100.1"), 24);
                }
                return HostAddressReader.open();
            });
            try (reader) {
                var first = reader.get();
                assertTrue(first.contains(ip("198.51.100.1")), first.toString());
                assertTrue(first.contains(ip("127.0.0.1")), "the namespace's own lo, now up: " + first);
                for (var a : host) {
                    if (!a.isLoopbackAddress()) assertFalse(first.contains(a), "a host address " + a + " in " + first);
                }

                var added = ipv6 ? ip("fd00:77::2") : ip("198.51.100.2");
                namespace.call(TASK, () -> {
                    try (var netlink = Netlink.open()) {
                        netlink.addAddress(ends[1], added, ipv6 ? 64 : 24);
                    }
                    return null;
                });
                var second = reader.get();
                assertTrue(second.contains(added), "added during the reader's life: " + second);
                assertTrue(second.contains(ip("198.51.100.1")), second.toString());
            }
        }
        try (var reader = HostAddressReader.open()) {
            var after = reader.get();
            assertFalse(after.contains(ip("198.51.100.1")), "nothing of the test's namespace in the host's: " + after);
        }
    }
}
