package dev.halt.core.macos;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS proxy's listeners: the port the profile allows as {@code localhost:P} is the proxy's on
 * both loopback addresses, so nothing else can be reached through it on the other one.
 */
class LoopbackListenersTest {

    /** Whether this machine has an IPv6 loopback (a container may not). */
    private static boolean hasIpv6Loopback() {
        try (var probe = new java.net.ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void onePortOnBothLoopbackAddresses() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasIpv6Loopback(), "[no-ipv6-loopback] this machine has no ::1");
        var listeners = LoopbackListeners.bind();
        try {
            var addresses = listeners.proxy().stream().map(c -> {
                try {
                    return (InetSocketAddress) c.getLocalAddress();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            assertEquals("127.0.0.1", addresses.getFirst().getAddress().getHostAddress());
            assertEquals(2, addresses.size(), "this machine has ::1, so the proxy holds it too");
            assertEquals("0:0:0:0:0:0:0:1", addresses.get(1).getAddress().getHostAddress());
            assertEquals(addresses.getFirst().getPort(), addresses.get(1).getPort());
            assertTrue(listeners.dnsUdp().isEmpty() && listeners.dnsTcp().isEmpty() && listeners.transparent().isEmpty());
            // The attack: another service taking P on ::1 after halt did. It cannot: the port is halt's there.
            var squatter = new java.net.ServerSocket();
            var e = assertThrows(java.net.BindException.class,
                () -> squatter.bind(new InetSocketAddress("::1", addresses.getFirst().getPort())));
            assertNotNull(e);
            squatter.close();
            try (var client = new Socket("::1", addresses.getFirst().getPort())) {
                assertTrue(client.isConnected());
            }
        } finally {
            for (var c : listeners.proxy()) c.close();
        }
    }
}
