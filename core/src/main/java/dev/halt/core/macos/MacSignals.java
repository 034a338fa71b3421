package dev.halt.core.macos;

import dev.halt.core.SandboxBackend;
import dev.halt.ffm.macos.errno_h;
import dev.halt.ffm.macos.unistd_h;

import java.lang.foreign.Arena;

/**
 * Signals by pid on macOS, through {@code kill(2)}: the JDK sends only SIGTERM and SIGKILL. macOS
 * has no pidfd: a pid is signalled only while {@link ProcessHandle} sees it alive, which for the
 * command (halt's child, reaped by the JDK only once it exited) rules out a reused pid.
 */
final class MacSignals implements SandboxBackend.ProcessSignals {
    static final MacSignals INSTANCE = new MacSignals();

    private MacSignals() {}

    @Override
    public boolean send(long pid, int signal) {
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) return false;
        try (var arena = Arena.ofConfined()) {
            return unistd_h.kill(errno_h.allocate(arena), (int) pid, signal) == 0;
        }
    }

    @Override
    public long processGroup(long pid) {
        try (var arena = Arena.ofConfined()) {
            return unistd_h.getpgid(errno_h.allocate(arena), (int) pid);
        }
    }

    @Override
    public boolean inForegroundOfTerminal() {
        try (var arena = Arena.ofConfined()) {
            var errno = errno_h.allocate(arena);
            int foreground = unistd_h.tcgetpgrp(errno, 0);
            return foreground > 0 && foreground == unistd_h.getpgid(errno, 0);
        }
    }

    /** Sends {@code signal} to process group {@code group}; false when it has no process left. */
    static boolean sendToGroup(long group, int signal) {
        if (group <= 1) return false;
        try (var arena = Arena.ofConfined()) {
            return unistd_h.kill(errno_h.allocate(arena), (int) -group, signal) == 0;
        }
    }
}
