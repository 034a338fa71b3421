package dev.halt.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards SIGINT, SIGTERM and SIGHUP that reach halt to the child, so halt stays to wait for it
 * and report its status. SIGINT goes, as a terminal sends it, to every process of the run in
 * halt's process group: a shell waiting for a command ignores a SIGINT its command did not also
 * get. It is not forwarded at all while halt is in the terminal's foreground group: the terminal
 * already sent it to the child, and a second one reads as "press twice to quit" to many tools. SIGQUIT is reserved by the JVM (thread dumps) and cannot be
 * caught; from the keyboard it reaches the child directly.
 *
 * <p>Install it before launching: a signal that arrives while the child is being started is
 * held and delivered as soon as the child is {@linkplain #attach attached}. The platform's part
 * (process groups, the terminal, sending by pid) is the {@link SandboxBackend}'s.
 */
public final class SignalForwarder {

    private static final System.Logger LOG = System.getLogger("halt");

    private record Forwarded(String name, int number) {}

    private static final List<Forwarded> SIGNALS = List.of(
        new Forwarded("INT", 2), new Forwarded("TERM", 15), new Forwarded("HUP", 1));

    private final SandboxBackend.ProcessSignals platform;
    /** Guarded by {@code this}. */
    private SandboxedProcess child;
    /** Signals that came before the child; guarded by {@code this}. */
    private final List<Integer> pending = new ArrayList<>();

    private SignalForwarder(SandboxBackend.ProcessSignals platform) {
        this.platform = platform;
    }

    /** Takes over SIGINT, SIGTERM and SIGHUP for this JVM. */
    public static SignalForwarder install() {
        var forwarder = new SignalForwarder(SandboxBackend.current().signals());
        for (var s : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s.name()), signal -> {
                    if (s.number() == 2 && forwarder.platform.inForegroundOfTerminal()) return;
                    forwarder.forward(s);
                });
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, "cannot handle SIG" + s.name() + ": " + e.getMessage());
            }
        }
        return forwarder;
    }

    private synchronized void forward(Forwarded s) {
        LOG.log(Level.DEBUG, "forwarding SIG" + s.name() + " to the child");
        if (child == null) pending.add(s.number());
        else deliver(s.number());
    }

    private void deliver(int signal) {
        child.signal(signal);
        if (signal != 2) return;
        long group = platform.processGroup(ProcessHandle.current().pid());
        child.process().descendants()
            .filter(h -> platform.processGroup(h.pid()) == group)
            .forEach(h -> platform.send(h.pid(), signal));
    }

    /** From now on signals go to {@code started}; any that came before are delivered now. */
    public synchronized void attach(SandboxedProcess started) {
        child = started;
        pending.forEach(this::deliver);
        pending.clear();
    }
}
