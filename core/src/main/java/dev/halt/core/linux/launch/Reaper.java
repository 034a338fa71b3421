package dev.halt.core.linux.launch;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.SyscallNumbers;

/** Reaps children the JDK did not start (orphans re-parented to a subreaper). */
final class Reaper {
    private Reaper() {}

    /** Waits for child {@code pid} to exit and reaps it, polling until {@code deadlineNanos}. */
    static boolean reap(long pid, long deadlineNanos) {
        while (true) {
            try {
                long r = Syscall.call("wait4", Syscall.TABLE.wait4(), pid, 0, SyscallNumbers.WNOHANG, 0, 0, 0);
                if (r == pid) return true;
            } catch (ErrnoException e) {
                // ECHILD: not ours (anymore), or already reaped by someone else.
                return false;
            }
            if (System.nanoTime() >= deadlineNanos) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
