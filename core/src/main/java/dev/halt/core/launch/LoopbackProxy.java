package dev.halt.core.launch;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.proxy.JsonLinesFile;
import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyServer;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * halt's proxy on the host's loopback, where a run without a network namespace of its own (Linux
 * rootless, macOS) sends the child: HTTP, CONNECT and SOCKS5 on one ephemeral port of 127.0.0.1.
 */
public final class LoopbackProxy {
    private LoopbackProxy() {}

    private static final System.Logger LOG = System.getLogger("halt");

    /** Listeners a backend binds for the proxy itself. */
    @FunctionalInterface
    public interface Listeners {
        ProxyServer.Listeners bind() throws IOException;
    }

    /** Starts the proxy of {@code config} on 127.0.0.1, its decisions going to {@code runLog} ({@link RunLog#proxyLog}). */
    public static ProxyServer start(ProxyConfig.Builder config, JsonLinesFile runLog) throws LaunchException {
        return start(config, runLog, null);
    }

    /** The same on the listeners {@code listeners} binds (macOS: both loopbacks), or on 127.0.0.1 when null. */
    public static ProxyServer start(ProxyConfig.Builder config, JsonLinesFile runLog, Listeners listeners) throws LaunchException {
        try {
            var built = config.log(RunLog.proxyLog(runLog)).build();
            var proxy = listeners == null ? ProxyServer.startOnLoopback(built) : ProxyServer.start(built, listeners.bind());
            LOG.log(Level.INFO, "proxy on " + (listeners == null ? proxy.proxyAddress() : proxy.proxyAddresses()) + ", allowing "
                + built.policy().allowlist());
            return proxy;
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot start the proxy: " + e.getMessage() + ". Nothing was run.", e);
        }
    }
}
