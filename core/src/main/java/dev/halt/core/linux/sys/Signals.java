package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.ioctls_h;

import java.lang.foreign.Arena;

/**
 * Signals sent through a pidfd opened while the child was known to be unreaped, so a recycled
 * PID never receives what was meant for the child.
 */
public final class Signals {
    private Signals() {}

    /** A pidfd for {@code pid}. */
    public static int open(long pid) throws ErrnoException {
        return (int) Syscall.call("pidfd_open", Syscall.TABLE.pidfdOpen(), pid, 0, 0, 0, 0, 0);
    }

    /** Sends {@code signal} through {@code pidfd}. */
    public static void send(int pidfd, int signal) throws ErrnoException {
        Syscall.call("pidfd_send_signal", Syscall.TABLE.pidfdSendSignal(), pidfd, signal, 0, 0, 0, 0);
    }

    /** Closes a pidfd. */
    public static void close(int pidfd) {
        Syscall.close(pidfd);
    }

    /** Sends {@code signal} to {@code pid} through a fresh pidfd; false when it is gone. */
    public static boolean sendToPid(long pid, int signal) {
        try {
            int pidfd = open(pid);
            try {
                send(pidfd, signal);
                return true;
            } finally {
                close(pidfd);
            }
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** The process group of {@code pid} (field 5 of {@code /proc/PID/stat}), or -1 when it is gone. */
    public static long processGroup(long pid) {
        try {
            var stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether this process's group is the foreground group of the terminal on stdin: then a
     * key such as Ctrl-C already signalled the child too, which shares the group.
     */
    public static boolean inForegroundOfTerminal() {
        try (var arena = Arena.ofConfined()) {
            var foreground = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            Syscall.call("ioctl(TIOCGPGRP)", Syscall.TABLE.ioctl(), 0, ioctls_h.TIOCGPGRP(), foreground.address(), 0, 0, 0);
            int group = foreground.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
            return group > 0 && group == Syscall.call("getpgid", Syscall.TABLE.getpgid(), 0, 0, 0, 0, 0, 0);
        } catch (ErrnoException e) {
            // No terminal on stdin (ENOTTY): nothing is in its foreground.
            return false;
        }
    }
}
