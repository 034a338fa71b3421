package dev.halt.core.linux;

import dev.halt.core.SandboxedProcess;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Forwards SIGINT, SIGTERM and SIGHUP that reach halt to the child, so halt stays to wait for it
 * and report its status. SIGINT is not forwarded while halt is in the terminal's foreground
 * group: the terminal already sent it to the child, and a second one reads as "press twice to
 * quit" to many interactive tools. SIGQUIT is reserved by the JVM (thread dumps) and cannot be
 * caught; from the keyboard it reaches the child directly.
 */
public final class SignalForwarder {
    private SignalForwarder() {}

    private static final System.Logger LOG = System.getLogger("halt");

    private record Forwarded(String name, int number) {}

    private static final List<Forwarded> SIGNALS = List.of(
        new Forwarded("INT", 2), new Forwarded("TERM", 15), new Forwarded("HUP", 1));

    /** Installs the handlers for {@code child}; call once, after the child started. */
    public static void install(SandboxedProcess child) {
        for (var s : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s.name()), signal -> {
                    if (s.number() == 2 && Signals.inForegroundOfTerminal()) return;
                    LOG.log(Level.DEBUG, "forwarding SIG" + s.name() + " to the child");
                    child.signal(s.number());
                });
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, "cannot handle SIG" + s.name() + ": " + e.getMessage());
            }
        }
    }
}
