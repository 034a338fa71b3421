package dev.halt.core.linux.net;

import dev.halt.core.LaunchException;
import dev.halt.core.policy.ExposedPort;
import dev.halt.core.policy.NetworkMode;
import dev.halt.proxy.DecisionLog;
import dev.halt.proxy.HostPortRelay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.core.ExitStatus.HALT_FAILED;

/**
 * The host ports exposed into a run ({@code [sandbox] host_ports}, {@code --expose-host-port}). With
 * a network namespace the jailer makes a listener on {@code 127.0.0.1:SANDBOX_PORT} in it (a socket
 * stays in the namespace it was made in) and a host thread relays each connection to the host's
 * {@code 127.0.0.1:PORT} ({@link HostPortRelay}); nothing else of the host becomes reachable. Without
 * one the child connects to the host's {@code 127.0.0.1:PORT} itself, which the supervisor (or
 * Landlock's port rule) admits, so the port cannot be remapped.
 */
final class ExposedPortListeners {
    private ExposedPortListeners() {}

    private static final System.Logger LOG = System.getLogger("halt");
    private static final int MAX_CONNECTIONS = 256;

    /**
     * Refuses what cannot be enforced: a remapped port where the child shares the host's loopback
     * (no namespace). Says at -v what each port becomes.
     */
    static void check(List<ExposedPort> ports, NetworkMode mode, boolean namespace) throws LaunchException {
        if (ports.isEmpty()) return;
        if (!namespace) {
            var remapped = ports.stream().filter(ExposedPort::remapped).map(ExposedPort::toString).toList();
            if (!remapped.isEmpty()) {
                throw new LaunchException(HALT_FAILED, "host_ports " + String.join(", ", remapped) + ": a port cannot be remapped"
                    + " (PORT:SANDBOX_PORT) without a network namespace of the run's own, where the child shares the host's loopback"
                    + (mode == NetworkMode.UNRESTRICTED ? " (network mode unrestricted)" : " (halt runs without privileges)")
                    + "; expose the port as it is (" + remapped.getFirst().split(":")[0] + "). Nothing was run.");
            }
        }
        if (mode == NetworkMode.UNRESTRICTED) {
            LOG.log(System.Logger.Level.INFO, "host_ports: network mode unrestricted reaches every port of the host anyway");
        } else {
            LOG.log(System.Logger.Level.INFO, "host_ports: the child reaches " + ports.stream().map(p -> "127.0.0.1:" + p.sandboxPort()
                + (namespace ? " (relayed to the host's 127.0.0.1:" + p.hostPort() + ")" : "")).toList() + ", on loopback only");
        }
    }

    /** On the jailer, in the sandbox's namespace with {@code lo} up: a listener per port. Starts no thread. */
    static List<ServerSocketChannel> listen(List<ExposedPort> ports) throws IOException {
        var opened = new ArrayList<ServerSocketChannel>();
        try {
            for (var p : ports) {
                var channel = ServerSocketChannel.open();
                opened.add(channel);
                channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.sandboxPort()), 128);
            }
            return List.copyOf(opened);
        } catch (IOException | RuntimeException e) {
            close(opened);
            throw e;
        }
    }

    /** On a host thread: relays what the listeners accept to the host's loopback, each connection a decision in {@code log}. */
    static HostPortRelay serve(List<ExposedPort> ports, List<ServerSocketChannel> listeners, DecisionLog log) throws IOException {
        var forwards = new ArrayList<HostPortRelay.Forward>();
        for (int i = 0; i < ports.size(); i++) {
            var p = ports.get(i);
            forwards.add(new HostPortRelay.Forward(listeners.get(i), p.sandboxPort(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), p.hostPort())));
        }
        return HostPortRelay.start(forwards, log, MAX_CONNECTIONS);
    }

    static void close(List<ServerSocketChannel> channels) {
        for (var c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // what a failed setup opened; the failure itself is what the user sees
            }
        }
    }
}
