package dev.halt.core.macos;

import dev.halt.proxy.ProxyServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

/**
 * The proxy's listening sockets on macOS: one port P on both {@code 127.0.0.1} and {@code [::1]}.
 * The profile allows {@code localhost:P}, which Seatbelt matches on either address, so a proxy on
 * one alone would leave P of the other to whatever else listens there, past the allowlist. No DNS
 * listener (a sandboxed command resolves nothing: it names hosts to the proxy) and no transparent
 * one (macOS cannot route a connection to it).
 */
final class LoopbackListeners {
    private LoopbackListeners() {}

    private static final int ATTEMPTS = 20;

    /** Binds an ephemeral port on 127.0.0.1 and the same port on ::1 (when this machine has IPv6 loopback). */
    static ProxyServer.Listeners bind() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var v4 = ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                v4.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 1024);
                int port = ((InetSocketAddress) v4.getLocalAddress()).getPort();
                var v6 = bindV6(port);
                var proxy = v6 == null ? List.of(v4) : List.of(v4, v6);
                return new ProxyServer.Listeners(proxy, List.of(), List.of(), List.of());
            } catch (java.net.BindException e) {
                // Another process has P on ::1: try another P.
                v4.close();
                last = e;
            } catch (IOException | RuntimeException e) {
                v4.close();
                throw e;
            }
        }
        throw new IOException("cannot find a port free on both 127.0.0.1 and ::1 after " + ATTEMPTS + " attempts", last);
    }

    /** {@code [::1]:port}, or null when this machine has no IPv6 loopback (then nothing else can listen there either). */
    private static ServerSocketChannel bindV6(int port) throws IOException {
        ServerSocketChannel v6;
        try {
            v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | SocketException e) {
            return null;
        }
        try {
            var loopback = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            v6.bind(new InetSocketAddress(loopback, port), 1024);
            return v6;
        } catch (java.net.BindException e) {
            v6.close();
            if (isAddressUnavailable(e)) return null;
            throw e;
        } catch (IOException | RuntimeException e) {
            v6.close();
            throw e;
        }
    }

    private static boolean isAddressUnavailable(java.net.BindException e) {
        var message = String.valueOf(e.getMessage());
        return message.contains("Cannot assign requested address") || message.contains("Can't assign requested address");
    }
}
