package dev.halt.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * How the proxy opens a connection to a destination its policy allowed
 * ({@link ProxyConfig#dialer()}). {@link #DIRECT}, the default, connects to the destination
 * itself from the calling thread, so in the network namespace of the thread that started the
 * proxy. Every policy check happens before the dialer is asked; the proxy also refuses to
 * connect when {@link #route} leads to one of its own listeners.
 */
public interface Dialer {
    /** Connects to the destination itself. */
    Dialer DIRECT = new Dialer() {};

    /** The address a connection to {@code destination} is made to. Direct: the destination. */
    default InetSocketAddress route(InetSocketAddress destination) {
        return destination;
    }

    /**
     * Opens a blocking TCP connection to {@code address} (a {@link #route}), with
     * {@code TCP_NODELAY}, within {@code timeoutMillis}.
     *
     * @throws java.net.SocketTimeoutException when it does not connect in time
     * @throws java.net.ConnectException when the connection is refused
     * @throws java.net.NoRouteToHostException when there is no route
     * @throws IOException when it fails otherwise; nothing is left open
     */
    default SocketChannel connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(address, timeoutMillis);
            return ch;
        } finally {
            if (!ch.isConnected()) {
                Connections.quietClose(ch);
            }
        }
    }
}
